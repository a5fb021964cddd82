// YAML configuration files (wasmship.yaml, devices.yaml, key scripts) read
// with yaml-cpp, where every problem becomes a Diagnostic with file:line:col.
// yaml-cpp throws; nothing thrown here leaves this library.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/diagnostic.h"

namespace ws {

// Deeper nesting of `[` and `{` is refused before parsing (yaml-cpp recurses per level).
inline constexpr int kMaxYamlDepth = 100;

class YamlFile {
 public:
  // Reads and parses `path`. A missing file, one that is not a regular file
  // of at most 1 MiB, or a syntax error is reported to `sink` (with the
  // line:col yaml-cpp gives) and yields nullopt.
  static std::optional<YamlFile> Load(const std::string& path, DiagnosticSink& sink);
  static std::optional<YamlFile> Parse(const std::string& path, const std::string& text,
                                       DiagnosticSink& sink);

  const std::string& path() const { return path_; }
  const YAML::Node& root() const { return root_; }
  Span SpanOf(const YAML::Node& node) const;

 private:
  YamlFile(std::string path, YAML::Node root) : path_(std::move(path)), root_(std::move(root)) {}
  std::string path_;
  YAML::Node root_;
};

// Typed reads of YAML nodes. Each reports a precise diagnostic on a wrong
// kind or value and returns nullopt; `what` names the setting in messages
// ("app.name", "devices.ps5.memory").
class YamlReader {
 public:
  YamlReader(const YamlFile& file, DiagnosticSink& sink) : file_(file), sink_(sink) {}

  // True when `node` is a mapping whose keys are all in `known`. Each unknown
  // or duplicate key is reported, with the nearest valid key as a suggestion.
  bool CheckKeys(const YAML::Node& node, std::string_view what,
                 const std::vector<std::string>& known);
  bool IsMapping(const YAML::Node& node, std::string_view what);

  std::optional<std::string> String(const YAML::Node& node, std::string_view what);
  std::optional<bool> Bool(const YAML::Node& node, std::string_view what);
  std::optional<int64_t> Int(const YAML::Node& node, std::string_view what,
                             int64_t min, int64_t max);
  // A byte size: 1024, "64MiB", "400KiB", "1.5MB".
  std::optional<uint64_t> Size(const YAML::Node& node, std::string_view what);
  // A list of strings; a single string is accepted as a list of one.
  std::optional<std::vector<std::string>> StringList(const YAML::Node& node,
                                                     std::string_view what);
  // One of `choices`, with a suggestion when it is close to one.
  std::optional<std::string> Choice(const YAML::Node& node, std::string_view what,
                                    const std::vector<std::string>& choices);

  void Error(const YAML::Node& node, std::string message, std::vector<std::string> notes = {});
  const YamlFile& file() const { return file_; }
  DiagnosticSink& sink() { return sink_; }

 private:
  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what,
                                    std::string_view expected);
  const YamlFile& file_;
  DiagnosticSink& sink_;
};

// "64MiB" → 67108864. Binary (KiB, MiB, GiB) and decimal (kB, MB, GB) units,
// or plain bytes ("B" or none). nullopt when the text is not a size.
std::optional<uint64_t> ParseSize(std::string_view text);

}  // namespace ws
