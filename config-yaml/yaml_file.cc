#include "config-yaml/yaml_file.h"

#include <cmath>
#include <set>

#include "diagnostics/suggest.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

// Where flow collections (`[`, `{`) first nest deeper than kMaxYamlDepth, or
// line 0. yaml-cpp recurses once per level; configuration files nest a few
// levels, so anything this deep is damaged or hostile and is refused before
// yaml-cpp sees it. Quoted strings and comments do not count.
Span TooDeep(const std::string& path, const std::string& text) {
  int depth = 0;
  uint32_t line = 1, column = 0;
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line, column = 0, comment = false;
      continue;
    }
    if (comment) continue;
    if (quote != 0) {
      if (quote == '"' && c == '\\') ++i, ++column;
      else if (c == quote) quote = 0;
      continue;
    }
    // Quotes open a scalar only where one can start (not in "it's").
    bool starts = i == 0 || std::string_view(" \t\n[{,:").find(text[i - 1]) != std::string_view::npos;
    if ((c == '"' || c == '\'') && starts) {
      quote = c;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      comment = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxYamlDepth) return {path, line, column, 1};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return {path, 0, 0, 1};
}

}  // namespace

std::optional<YamlFile> YamlFile::Load(const std::string& path, DiagnosticSink& sink) {
  Result<std::string> text = ReadFile(path, kConfigFile);
  if (!text) {
    sink.Error({path, 0, 0, 1}, text.error().message);
    return std::nullopt;
  }
  return Parse(path, *text, sink);
}

std::optional<YamlFile> YamlFile::Parse(const std::string& path, const std::string& text,
                                        DiagnosticSink& sink) {
  if (Span deep = TooDeep(path, text); deep.line > 0) {
    sink.Error(deep, "invalid YAML: lists and mappings nest more than " + std::to_string(kMaxYamlDepth) + " levels deep here",
               {"configuration files nest a few levels; check the file for a damaged or generated part"});
    return std::nullopt;
  }
  try {
    return YamlFile(path, YAML::Load(text));
  } catch (const YAML::Exception& e) {
    Span span{path, 0, 0, 1};
    if (!e.mark.is_null()) {
      span.line = static_cast<uint32_t>(e.mark.line + 1);
      span.column = static_cast<uint32_t>(e.mark.column + 1);
    }
    sink.Error(span, "invalid YAML: " + e.msg, {"fix the syntax at this position"});
  }
  return std::nullopt;
}

Span YamlFile::SpanOf(const YAML::Node& node) const {
  Span span{path_, 0, 0, 1};
  if (!node.IsDefined()) return span;
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return span;
  span.line = static_cast<uint32_t>(mark.line + 1);
  span.column = static_cast<uint32_t>(mark.column + 1);
  if (node.IsScalar()) span.length = static_cast<uint32_t>(std::max<size_t>(1, node.Scalar().size()));
  return span;
}

void YamlReader::Error(const YAML::Node& node, std::string message,
                       std::vector<std::string> notes) {
  sink_.Error(file_.SpanOf(node), std::move(message), std::move(notes));
}

bool YamlReader::IsMapping(const YAML::Node& node, std::string_view what) {
  if (node.IsMap()) return true;
  Error(node, std::string(what) + " must be a mapping of keys to values");
  return false;
}

bool YamlReader::CheckKeys(const YAML::Node& node, std::string_view what,
                           const std::vector<std::string>& known) {
  if (!IsMapping(node, what)) return false;
  bool ok = true;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    std::string name = key.IsScalar() ? key.Scalar() : std::string();
    if (!seen.insert(name).second) {
      Error(key, "duplicate key '" + name + "' in " + std::string(what));
      ok = false;
    } else if (std::find(known.begin(), known.end(), name) == known.end()) {
      Error(key, "unknown key '" + name + "' in " + std::string(what) + DidYouMean(name, known),
            {"valid keys are: " + JoinNames(known)});
      ok = false;
    }
  }
  return ok;
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what,
                                              std::string_view expected) {
  if (node.IsScalar()) return node.Scalar();
  Error(node, std::string(what) + " must be " + std::string(expected));
  return std::nullopt;
}

std::optional<std::string> YamlReader::String(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a string");
  if (text && text->empty()) {
    Error(node, std::string(what) + " must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& node, std::string_view what) {
  if (!Scalar(node, what, "true or false")) return std::nullopt;
  bool value = false;
  if (YAML::convert<bool>::decode(node, value)) return value;
  Error(node, std::string(what) + " must be true or false, not '" + node.Scalar() + "'");
  return std::nullopt;
}

std::optional<int64_t> YamlReader::Int(const YAML::Node& node, std::string_view what,
                                       int64_t min, int64_t max) {
  std::optional<std::string> text = Scalar(node, what, "a whole number");
  if (!text) return std::nullopt;
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(*text, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != text->size() || value < min || value > max) {
    Error(node, std::string(what) + " must be a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) + ", not '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> YamlReader::Size(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a size such as 64MiB");
  if (!text) return std::nullopt;
  std::optional<uint64_t> size = ParseSize(*text);
  if (!size) {
    Error(node, std::string(what) + " is not a size: '" + *text + "'",
          {"write a number of bytes with an optional unit: B, KiB, MiB, GiB, kB, MB, GB"});
  }
  return size;
}

std::optional<std::vector<std::string>> YamlReader::StringList(const YAML::Node& node,
                                                               std::string_view what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    std::optional<std::string> item = String(node, what);
    if (!item) return std::nullopt;
    items.push_back(*item);
    return items;
  }
  if (!node.IsSequence()) {
    Error(node, std::string(what) + " must be a list of strings");
    return std::nullopt;
  }
  bool ok = true;
  for (const YAML::Node& element : node) {
    std::optional<std::string> item = String(element, what);
    if (item) items.push_back(*item);
    ok = ok && item.has_value();
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<std::string> YamlReader::Choice(const YAML::Node& node, std::string_view what,
                                              const std::vector<std::string>& choices) {
  std::optional<std::string> text = Scalar(node, what, "one of: " + JoinNames(choices));
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  Error(node, "'" + *text + "' is not a valid " + std::string(what) + DidYouMean(*text, choices),
        {"valid values are: " + JoinNames(choices)});
  return std::nullopt;
}

std::optional<uint64_t> ParseSize(std::string_view text) {
  std::string s(text);
  size_t used = 0;
  double number = 0;
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return std::nullopt;
  try {
    number = std::stod(s, &used);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = s.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1},          {"B", 1},           {"KiB", 1024.0},      {"MiB", 1048576.0},
      {"GiB", 1073741824.0}, {"kB", 1000.0}, {"KB", 1000.0},      {"MB", 1e6},
      {"GB", 1e9}};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    double bytes = number * scale;
    if (!std::isfinite(bytes) || bytes < 0 || bytes > 1.8e19) return std::nullopt;
    if (scale == 1 && bytes != std::floor(bytes)) return std::nullopt;
    return static_cast<uint64_t>(std::llround(bytes));
  }
  return std::nullopt;
}

}  // namespace ws
