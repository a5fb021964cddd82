#include "macro-expander/literal_range.h"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace ws::dsl {
namespace {

struct Integer {
  bool negative = false;
  bool overflow = false;  // more than 64 bits
  uint64_t magnitude = 0;
};

Integer ParseInteger(const std::string& text) {
  Integer n;
  n.negative = !text.empty() && text[0] == '-';
  size_t first = text.find_first_not_of('0', n.negative ? 1 : 0);
  if (first == std::string::npos) return n;
  auto [end, error] = std::from_chars(text.data() + first, text.data() + text.size(), n.magnitude);
  n.overflow = error == std::errc::result_out_of_range;
  return n;
}

std::string TypeName(const PropInfo& p) {
  if (p.type != PropType::kInteger && p.type != PropType::kNumber) return "float";
  return p.cpp_type.rfind("::", 0) == 0 ? p.cpp_type.substr(2) : p.cpp_type;
}

std::string IntegerRange(const Value& v, const PropInfo& p) {
  int bits = p.bits < 1 ? 32 : (p.bits > 64 ? 64 : p.bits);
  uint64_t max = p.is_signed ? (uint64_t{1} << (bits - 1)) - 1 : (bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1);
  uint64_t min_magnitude = p.is_signed ? max + 1 : 0;
  Integer n = ParseInteger(v.text);
  if (!n.overflow && n.magnitude <= (n.negative ? min_magnitude : max)) return "";
  std::string min = min_magnitude == 0 ? "0" : "-" + std::to_string(min_magnitude);
  return "takes a whole number from " + min + " to " + std::to_string(max) + " (" + TypeName(p) + "); " + v.text +
         " is out of range";
}

std::string Shortest(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string NumberRange(const Value& v, const PropInfo& p) {
  bool is_double = p.type == PropType::kNumber && p.bits == 64;
  double max = is_double ? DBL_MAX : FLT_MAX;
  double smallest = is_double ? DBL_TRUE_MIN : FLT_TRUE_MIN;
  double value = 0;
  auto [end, error] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), value);
  bool nonzero = v.text.find_first_of("123456789") != std::string::npos;
  bool huge = error == std::errc::result_out_of_range ? v.text.find_first_of("123456789") < v.text.find('.')
                                                       : std::fabs(value) * (v.unit == "s" ? 1000.0 : 1.0) > max;
  bool tiny = nonzero && !huge && (error == std::errc::result_out_of_range || std::fabs(value) < smallest);
  if (huge) {
    return "takes a number from -" + Shortest(max) + " to " + Shortest(max) + " (" + TypeName(p) + "); " + v.text +
           v.unit + " is out of range";
  }
  if (tiny) {
    return "takes a number of magnitude at least " + Shortest(smallest) + " or 0 (" + TypeName(p) + "); " + v.text +
           v.unit + " would become 0";
  }
  return "";
}

}  // namespace

std::string OutOfRange(const Value& v, const PropInfo& p) {
  if (v.kind != ValueKind::kNumber) return "";
  switch (p.type) {
    case PropType::kInteger: return IntegerRange(v, p);
    case PropType::kNumber:
    case PropType::kLength:
    case PropType::kDuration:
    case PropType::kEdges: return NumberRange(v, p);
    default: return "";
  }
}

std::string IntegerLiteral(const std::string& text) {
  Integer n = ParseInteger(text);
  // -9223372036854775808 is minus a literal no signed type holds.
  if (n.negative && n.magnitude == uint64_t{1} << 63) return "(-9223372036854775807LL - 1)";
  std::string digits = std::to_string(n.magnitude);
  if (n.magnitude > INT64_MAX) digits += "ull";
  return n.negative && n.magnitude != 0 ? "-" + digits : digits;
}

std::string FloatLiteral(const std::string& number, const char* suffix) {
  std::string out = number;
  if (out[0] == '.') out.insert(0, "0");
  if (out.size() > 1 && out[0] == '-' && out[1] == '.') out.insert(1, "0");
  if (out.find('.') == std::string::npos) out += ".0";
  if (out.back() == '.') out += "0";
  return out + suffix;
}

std::string StringLiteral(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string ColorLiteral(const std::string& hex) { return "0x" + hex + (hex.size() == 6 ? "FF" : "") + "u"; }

}  // namespace ws::dsl
