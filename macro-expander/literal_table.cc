#include "macro-expander/literal_table.h"

#include <cstdint>
#include <cstdio>

namespace ws::dsl {
namespace {

struct Kind {
  const char* suffix;
  const char* type;
};
constexpr Kind kText = {"_s", "const char* const"};
constexpr Kind kFloat = {"_f", "const float"};
constexpr Kind kColor = {"_c", "const unsigned int"};

std::string Add(std::vector<std::string>& values, std::string value, const std::string& prefix, const Kind& kind) {
  values.push_back(std::move(value));
  return "::" + prefix + kind.suffix + "[" + std::to_string(values.size() - 1) + "]";
}

std::string Declaration(const std::string& prefix, const Kind& kind) {
  return std::string("extern \"C\" ") + kind.type + " " + prefix + kind.suffix + "[];\n";
}

std::string Definition(const std::vector<std::string>& values, const std::string& prefix, const Kind& kind) {
  if (values.empty()) return "";
  std::string out = Declaration(prefix, kind) + kind.type + " " + prefix + kind.suffix + "[] = {\n";
  for (const std::string& value : values) out += "    " + value + ",\n";
  return out + "};\n";
}

}  // namespace

std::string LiteralTable::Text(std::string quoted) { return Add(texts_, std::move(quoted), prefix_, kText); }
std::string LiteralTable::Float(std::string literal) { return Add(floats_, std::move(literal), prefix_, kFloat); }
std::string LiteralTable::Color(std::string literal) { return Add(colors_, std::move(literal), prefix_, kColor); }

std::string LiteralTable::Declarations() const {
  std::string out;
  if (!texts_.empty()) out += Declaration(prefix_, kText);
  if (!floats_.empty()) out += Declaration(prefix_, kFloat);
  if (!colors_.empty()) out += Declaration(prefix_, kColor);
  return out;
}

std::string LiteralTable::Definitions(const std::string& display) const {
  std::string name = display;
  for (char& c : name) c = c == '\n' || c == '\r' ? ' ' : c;
  return "// The DSL literals of " + name + " (written by wasmship-expander).\n" +
         Definition(texts_, prefix_, kText) + Definition(floats_, prefix_, kFloat) +
         Definition(colors_, prefix_, kColor);
}

std::string LiteralTablePrefix(const std::string& display) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : display) hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::string("wsgen_lits_") + hex;
}

}  // namespace ws::dsl
