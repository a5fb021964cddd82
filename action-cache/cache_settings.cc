#include "action-cache/cache_settings.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace ws {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text) {
  std::string trimmed(text);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  size_t digits = 0;
  while (digits < trimmed.size() && (std::isdigit(static_cast<unsigned char>(trimmed[digits])) || trimmed[digits] == '.')) {
    ++digits;
  }
  std::string number = trimmed.substr(0, digits);
  std::string unit = Lower(trimmed.substr(digits));
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  struct Unit {
    const char* name;
    double factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},          {"b", 1},
      {"k", 1024.0},    {"kib", 1024.0},       {"kb", 1e3},
      {"m", 1048576.0}, {"mib", 1048576.0},    {"mb", 1e6},
      {"g", 1073741824.0}, {"gib", 1073741824.0}, {"gb", 1e9},
      {"t", 1099511627776.0}, {"tib", 1099511627776.0}, {"tb", 1e12}};
  char* end = nullptr;
  double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  for (const Unit& u : kUnits) {
    if (unit != u.name || value < 0 || end != number.c_str() + number.size()) continue;
    double bytes = value * u.factor;
    if (bytes < 1 || bytes > 1.8e19) break;
    return static_cast<uint64_t>(std::llround(bytes));
  }
  return Error{"'" + std::string(text) + "' is not a size: write for example 5GiB, 500MB or 64KiB"};
}

std::string DescribeBytes(uint64_t bytes) {
  static constexpr const char* kNames[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kNames)) {
    value /= 1024;
    ++unit;
  }
  char text[48];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", value, kNames[unit]);
  }
  return text;
}

std::string UserCacheDir() {
  if (std::optional<std::string> xdg = Env("XDG_CACHE_HOME")) return *xdg + "/wasmship";
  if (std::optional<std::string> home = Env("HOME")) return *home + "/.cache/wasmship";
  return (fs::temp_directory_path() / "wasmship-cache").string();
}

Result<CacheSettings> ResolveCacheSettings(const CacheConfig& config) {
  CacheSettings s;
  std::error_code ec;
  if (std::optional<std::string> dir = Env("WASMSHIP_CACHE_DIR")) {
    s.dir = fs::absolute(*dir, ec).lexically_normal().string();
    s.dir_origin = "WASMSHIP_CACHE_DIR";
  } else if (config.dir) {
    s.dir = fs::absolute(*config.dir, ec).lexically_normal().string();
    s.dir_origin = "cache.dir in wasmship.yaml";
  } else {
    s.dir = fs::absolute(UserCacheDir(), ec).lexically_normal().string();
    s.dir_origin = "the user cache";
  }
  if (s.dir.size() > 1 && s.dir.back() == '/') s.dir.pop_back();
  s.max_size = config.max_size.value_or(kDefaultCacheMaxBytes);
  s.remote = config.remote.value_or("");
  // "off" or "none": a developer turns the manifest's remote off.
  if (std::optional<std::string> remote = Env("WASMSHIP_REMOTE_CACHE")) {
    std::string v = Lower(*remote);
    s.remote = v == "off" || v == "none" ? "" : *remote;
    s.remote_origin = "WASMSHIP_REMOTE_CACHE";
  } else if (!s.remote.empty()) {
    s.remote_origin = "cache.remote in wasmship.yaml";
  }
  s.remote_read_only = config.remote_read_only.value_or(false);
  if (std::optional<std::string> ro = Env("WASMSHIP_REMOTE_CACHE_READ_ONLY")) {
    std::string v = Lower(*ro);
    if (v == "1" || v == "true" || v == "yes" || v == "on") {
      s.remote_read_only = true;
    } else if (v == "0" || v == "false" || v == "no" || v == "off") {
      s.remote_read_only = false;
    } else {
      return Error{"WASMSHIP_REMOTE_CACHE_READ_ONLY is '" + *ro + "': write 1/true or 0/false"};
    }
  }
  return s;
}

}  // namespace ws
