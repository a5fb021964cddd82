#include "device-host/session/key_script.h"

#include <cmath>

#include "config-yaml/yaml_file.h"
#include "device-host/session/expect_step.h"
#include "diagnostics/suggest.h"

namespace ws::host {
namespace {

// "200ms", "1.5s" or a bare number of milliseconds.
std::optional<double> ParseDuration(const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  if (unit.empty() || unit == "ms") return value;
  if (unit == "s") return value * 1000;
  return std::nullopt;
}

std::optional<Step> ReadStep(YamlReader& r, const YAML::Node& node) {
  static const std::vector<std::string> kKinds = {"key", "wait", "screenshot", "expect"};
  r.CheckKeys(node, "a script step", kKinds);
  if (!node.IsMap() || node.size() != 1) {
    if (node.IsMap()) r.Error(node, "a script step has exactly one of: key, wait, screenshot, expect");
    return std::nullopt;
  }
  Step step;
  step.line = static_cast<int>(r.file().SpanOf(node).line);
  if (node["key"]) {
    std::optional<std::string> name = r.String(node["key"], "key");
    if (!name) return std::nullopt;
    std::optional<int32_t> code = KeyCode(*name);
    if (!code) {
      r.Error(node["key"], "unknown key '" + *name + "'" + DidYouMean(*name, KeyNames()),
              {"keys are up, down, left, right, select, back, or one printable character"});
      return std::nullopt;
    }
    step.kind = Step::Kind::kKey;
    step.key = *code;
    step.text = *name;
  } else if (node["wait"]) {
    std::optional<std::string> text = r.String(node["wait"], "wait");
    std::optional<double> ms = text ? ParseDuration(*text) : std::nullopt;
    if (!ms) {
      if (text) r.Error(node["wait"], "wait needs a duration such as 200ms or 1.5s, not '" + *text + "'");
      return std::nullopt;
    }
    step.kind = Step::Kind::kWait;
    step.wait_ms = *ms;
    step.text = *text;
  } else if (node["screenshot"]) {
    std::optional<std::string> path = r.String(node["screenshot"], "screenshot");
    if (!path) return std::nullopt;
    step.kind = Step::Kind::kScreenshot;
    step.path = *path;
    step.text = *path;
  } else if (node["expect"]) {
    std::optional<Expect> expect = ReadExpect(r, node["expect"]);
    if (!expect) return std::nullopt;
    step.kind = Step::Kind::kExpect;
    step.expect = std::move(*expect);
    step.text = "expect";
  } else {
    return std::nullopt;
  }
  return step;
}

}  // namespace

const std::vector<std::string>& KeyNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const host_abi::NamedKey& key : host_abi::kNamedKeys) out.emplace_back(key.name);
    return out;
  }();
  return names;
}

std::optional<int32_t> KeyCode(const std::string& name) {
  for (const host_abi::NamedKey& key : host_abi::kNamedKeys) {
    if (name == key.name) return key.key;
  }
  if (name.size() == 1 && name[0] >= host_abi::kFirstCharacterKey && name[0] < 127) return name[0];
  return std::nullopt;
}

std::optional<std::vector<Step>> ParseKeyList(const std::string& list, DiagnosticSink& sink) {
  std::vector<Step> steps;
  size_t start = 0, position = 1;
  bool ok = true;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string name = list.substr(start, comma - start);
    std::optional<int32_t> code = KeyCode(name);
    if (code) {
      Step step;
      step.key = *code;
      step.text = name;
      steps.push_back(std::move(step));
    } else {
      sink.Error({}, "--keys: key " + std::to_string(position) + " '" + name + "' is not a key" +
                         DidYouMean(name, KeyNames()),
                 {"keys are up, down, left, right, select, back, or one printable character"});
      ok = false;
    }
    start = comma + 1;
    ++position;
  }
  if (!ok) return std::nullopt;
  return steps;
}

std::optional<std::vector<Step>> LoadKeyScript(const std::string& path, DiagnosticSink& sink) {
  std::optional<YamlFile> file = YamlFile::Load(path, sink);
  if (!file) return std::nullopt;
  YamlReader r(*file, sink);
  const YAML::Node& root = file->root();
  if (!root.IsSequence()) {
    r.Error(root, "a key script is a list of steps",
            {"for example:\n  - key: right\n  - wait: 200ms\n  - expect: { focused_text: \"Home\" }"});
    return std::nullopt;
  }
  std::vector<Step> steps;
  size_t errors = sink.ErrorCount();
  for (const YAML::Node& node : root) {
    if (std::optional<Step> step = ReadStep(r, node)) steps.push_back(std::move(*step));
  }
  if (sink.ErrorCount() > errors) return std::nullopt;
  return steps;
}

}  // namespace ws::host
