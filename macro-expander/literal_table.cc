#include "macro-expander/literal_table.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include "macro-expander/dsl_lexer.h"
#include "macro-expander/element_info.h"
#include "macro-expander/literal_range.h"

namespace ws::dsl {
namespace {

// Per kind: the array's name suffix and element type.
const char* Suffix(char kind) { return kind == 's' ? "_s" : kind == 'f' ? "_f" : "_c"; }
const char* Type(char kind) {
  return kind == 's' ? "const char* const" : kind == 'f' ? "const float" : "const unsigned int";
}

std::string Declaration(const std::string& prefix, char kind) {
  return std::string("extern \"C\" ") + Type(kind) + " " + prefix + Suffix(kind) + "[];\n";
}

std::string Definition(const std::vector<std::string>& values, const std::string& prefix, char kind) {
  if (values.empty()) return "";
  std::string out = Declaration(prefix, kind) + Type(kind) + " " + prefix + Suffix(kind) + "[] = {\n";
  for (const std::string& value : values) out += "    " + value + ",\n";
  return out + "};\n";
}

std::string Hex(uint64_t value) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(value));
  return hex;
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

constexpr std::string_view kSourceNote = "// wasmship-literals source ";
constexpr std::string_view kSlotNote = "// wasmship-literal ";

}  // namespace

std::string LiteralTable::Add(std::vector<std::string>& values, std::string value, char kind, TextRange where) {
  values.push_back(std::move(value));
  slots_.push_back({kind, where});
  return "::" + prefix_ + Suffix(kind) + "[" + std::to_string(values.size() - 1) + "]";
}

std::string LiteralTable::Text(std::string quoted, TextRange where) { return Add(texts_, std::move(quoted), 's', where); }
std::string LiteralTable::Float(std::string literal, TextRange where) {
  return Add(floats_, std::move(literal), 'f', where);
}
std::string LiteralTable::Color(std::string literal, TextRange where) {
  return Add(colors_, std::move(literal), 'c', where);
}

std::string LiteralTable::Declarations() const {
  std::string out;
  if (!texts_.empty()) out += Declaration(prefix_, 's');
  if (!floats_.empty()) out += Declaration(prefix_, 'f');
  if (!colors_.empty()) out += Declaration(prefix_, 'c');
  return out;
}

std::string LiteralTable::Definitions(const std::string& display, const std::string& source) const {
  std::string name = display;
  for (char& c : name) c = c == '\n' || c == '\r' ? ' ' : c;
  std::string out = "// The DSL literals of " + name + " (written by wasmship-expander).\n" +
                    Definition(texts_, prefix_, 's') + Definition(floats_, prefix_, 'f') +
                    Definition(colors_, prefix_, 'c');
  out += std::string(kSourceNote) + Hex(Fnv1a(source)) + "\n";
  for (const Slot& slot : slots_) {
    out += std::string(kSlotNote) + slot.kind + " " + std::to_string(slot.where.begin) + " " +
           std::to_string(slot.where.end) + "\n";
  }
  return out;
}

std::string LiteralTablePrefix(const std::string& display) { return "wsgen_lits_" + Hex(Fnv1a(display)); }

namespace {

struct OldSlot {
  char kind;
  TextRange where;
};

// The notes Definitions wrote; nullopt when they are not there or do not
// describe `source`.
std::optional<std::vector<OldSlot>> ReadNotes(const std::string& table, const std::string& source) {
  std::istringstream in(table);
  std::string line;
  bool described = false;
  std::vector<OldSlot> slots;
  while (std::getline(in, line)) {
    if (line.rfind(kSourceNote, 0) == 0) {
      described = line.substr(kSourceNote.size()) == Hex(Fnv1a(source));
    } else if (line.rfind(kSlotNote, 0) == 0) {
      OldSlot slot{};
      std::istringstream fields(line.substr(kSlotNote.size()));
      if (!(fields >> slot.kind >> slot.where.begin >> slot.where.end)) return std::nullopt;
      if (slot.where.begin > slot.where.end || slot.where.end > source.size()) return std::nullopt;
      slots.push_back(slot);
    }
  }
  if (!described) return std::nullopt;
  return slots;
}

// The literal token starting exactly at `at`.
Token LexAt(std::string_view text, uint32_t at) {
  Token token = Lexer(text.substr(at)).Next();
  if (token.range.begin != 0) token.kind = TokenKind::kError;
  return token;
}

// The table's C++ value for `token` in a slot of `kind`; empty when the
// token is not a valid value of that kind.
std::string ValueOf(char kind, const Token& token) {
  if (kind == 's' && token.kind == TokenKind::kString) {
    return FindInvalidUtf8(token.text) == std::string::npos ? StringLiteral(token.text) : "";
  }
  if (kind == 'c' && token.kind == TokenKind::kColor) return ColorLiteral(token.text);
  if (kind != 'f' || token.kind != TokenKind::kNumber) return "";
  PropInfo any_float;
  any_float.type = PropType::kLength;
  Value value{ValueKind::kNumber, token.text, token.unit, {}, {}};
  return OutOfRange(value, any_float).empty() ? FloatLiteral(token.text) : "";
}

}  // namespace

std::optional<std::string> PatchLiterals(const std::string& old_source, const std::string& old_table,
                                         const std::string& new_source, const std::string& display) {
  std::optional<std::vector<OldSlot>> slots = ReadNotes(old_table, old_source);
  if (!slots) return std::nullopt;
  std::vector<size_t> by_position(slots->size());
  for (size_t i = 0; i < by_position.size(); ++i) by_position[i] = i;
  std::sort(by_position.begin(), by_position.end(),
            [&](size_t a, size_t b) { return (*slots)[a].where.begin < (*slots)[b].where.begin; });
  std::string_view before(old_source), after(new_source);
  std::vector<std::string> values(slots->size());
  std::vector<TextRange> moved(slots->size());
  uint32_t old_at = 0, new_at = 0;
  for (size_t i : by_position) {
    const OldSlot& slot = (*slots)[i];
    // Everything between literals is as it was, byte for byte.
    std::string_view gap = before.substr(old_at, slot.where.begin - old_at);
    if (slot.where.begin < old_at || after.substr(new_at, gap.size()) != gap) return std::nullopt;
    new_at += static_cast<uint32_t>(gap.size());
    Token was = LexAt(before, slot.where.begin), now = LexAt(after, new_at);
    // Same kind and unit (a unit is part of the expansion: px vs %), one line.
    if (was.kind != now.kind || was.unit != now.unit || was.range.end != slot.where.end - slot.where.begin) {
      return std::nullopt;
    }
    values[i] = ValueOf(slot.kind, now);
    if (values[i].empty()) return std::nullopt;
    moved[i] = {new_at, new_at + now.range.end};
    old_at = slot.where.end;
    new_at = moved[i].end;
  }
  if (before.substr(old_at) != after.substr(new_at)) return std::nullopt;
  LiteralTable table(LiteralTablePrefix(display));
  for (size_t i = 0; i < slots->size(); ++i) {
    char kind = (*slots)[i].kind;
    if (kind == 's') table.Text(values[i], moved[i]);
    if (kind == 'f') table.Float(values[i], moved[i]);
    if (kind == 'c') table.Color(values[i], moved[i]);
  }
  return table.Definitions(display, new_source);
}

}  // namespace ws::dsl
