#include "device-host/session/expect_step.h"

#include <cmath>
#include <filesystem>

namespace ws::host {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxDiffPixels = 8192LL * 8192;  // every pixel of the largest screen

// A positive number of milliseconds: 16, 16.5 or "16ms".
std::optional<double> ReadMs(YamlReader& r, const YAML::Node& node, const char* what) {
  if (!node.IsScalar()) {
    r.Error(node, std::string(what) + " must be a number of milliseconds, for example 16");
    return std::nullopt;
  }
  std::string text = node.Scalar();
  if (text.size() > 2 && text.compare(text.size() - 2, 2, "ms") == 0) text.resize(text.size() - 2);
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value) || value <= 0) {
    r.Error(node, std::string(what) + " must be a positive number of milliseconds, not '" + node.Scalar() + "'");
    return std::nullopt;
  }
  return value;
}

// A relative path to a .png inside the scenario's directory tree: goldens
// are part of the project, never a file elsewhere on the machine.
bool ValidGoldenPath(YamlReader& r, const YAML::Node& node, const std::string& path) {
  fs::path p(path);
  bool escapes = false;
  for (const fs::path& part : p) escapes = escapes || part == "..";
  if (p.is_absolute() || escapes) {
    r.Error(node, "screenshot_matches '" + path + "' must be a path inside the scenario's directory",
            {"for example screenshot_matches: golden/home.png (kept as golden/<W>x<H>/home.png)"});
    return false;
  }
  if (p.extension() != ".png" || p.stem().empty()) {
    r.Error(node, "screenshot_matches '" + path + "' must name a .png file");
    return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& ExpectFields() {
  static const std::vector<std::string> fields = {"focused_text",       "text_visible",    "no_traps",
                                                  "screenshot_matches", "max_diff_pixels", "frame_ms_p99_below"};
  return fields;
}

std::optional<Expect> ReadExpect(YamlReader& r, const YAML::Node& node) {
  size_t errors = r.sink().ErrorCount();
  if (!node.IsMap()) {
    r.Error(node, "expect must be a mapping of checks",
            {"for example: - expect: { focused_text: \"Home\", no_traps: true }"});
    return std::nullopt;
  }
  if (!r.CheckKeys(node, "expect", ExpectFields())) return std::nullopt;
  if (node.size() == 0) {
    r.Error(node, "expect names no check", {"checks are: focused_text, text_visible, no_traps, screenshot_matches, "
                                            "max_diff_pixels, frame_ms_p99_below"});
    return std::nullopt;
  }
  Expect expect;
  if (node["focused_text"]) expect.focused_text = r.String(node["focused_text"], "expect.focused_text");
  if (node["text_visible"]) expect.text_visible = r.String(node["text_visible"], "expect.text_visible");
  if (node["no_traps"]) expect.no_traps = r.Bool(node["no_traps"], "expect.no_traps").value_or(false);
  if (const YAML::Node& golden = node["screenshot_matches"]) {
    std::optional<std::string> path = r.String(golden, "expect.screenshot_matches");
    if (path && ValidGoldenPath(r, golden, *path)) expect.screenshot_matches = *path;
  }
  if (const YAML::Node& max = node["max_diff_pixels"]) {
    expect.max_diff_pixels = r.Int(max, "expect.max_diff_pixels", 0, kMaxDiffPixels).value_or(0);
    if (!node["screenshot_matches"]) {
      r.Error(max, "max_diff_pixels applies to screenshot_matches, which this expect does not have");
    }
  }
  if (node["frame_ms_p99_below"]) {
    expect.frame_ms_p99_below = ReadMs(r, node["frame_ms_p99_below"], "expect.frame_ms_p99_below");
  }
  if (r.sink().ErrorCount() > errors) return std::nullopt;
  return expect;
}

std::string GoldenPathFor(const std::string& scenario_dir, const std::string& written, int width, int height) {
  fs::path path = fs::path(scenario_dir) / written;
  std::string size = std::to_string(width) + "x" + std::to_string(height);
  return (path.parent_path() / size / path.filename()).lexically_normal().string();
}

}  // namespace ws::host
