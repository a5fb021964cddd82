#include "update-repo/canonical_json.h"

namespace ws::tuf {
namespace {

void AppendString(const std::string& text, std::string& out) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

Status Append(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::null: out += "null"; return {};
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return {};
    case Json::value_t::number_integer: out += std::to_string(value.get<int64_t>()); return {};
    case Json::value_t::number_unsigned: out += std::to_string(value.get<uint64_t>()); return {};
    case Json::value_t::string: AppendString(value.get_ref<const std::string&>(), out); return {};
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& item : value) {
        if (!first) out += ',';
        first = false;
        if (Status s = Append(item, out); !s) return s;
      }
      out += ']';
      return {};
    }
    case Json::value_t::object: {
      // nlohmann's objects are std::maps: keys already in byte order, which
      // for UTF-8 is code point order (what securesystemslib sorts by).
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        AppendString(key, out);
        out += ':';
        if (Status s = Append(item, out); !s) return s;
      }
      out += '}';
      return {};
    }
    case Json::value_t::number_float:
      return Error{"canonical JSON has no floating-point numbers (found " + value.dump() + ")"};
    default:
      return Error{"canonical JSON cannot encode a binary or discarded value"};
  }
}

}  // namespace

Result<std::string> CanonicalJson(const Json& value) {
  std::string out;
  if (Status s = Append(value, out); !s) return s.error();
  return out;
}

Result<Json> ParseJson(std::string_view text, std::string_view source) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Error{std::string(source) + ": malformed metadata: not valid JSON"};
  return value;
}

}  // namespace ws::tuf
