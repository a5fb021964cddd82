// The bundle manifest: its canonical JSON (the bytes that get signed) and a
// strict parser. Strictness is the point: a verifier must not accept two
// different byte strings for one manifest, or a signed bundle could be
// re-serialized and still look signed; so the parser demands exactly the
// canonical form, every key with its type, and nothing else.
#include <algorithm>
#include <climits>
#include <nlohmann/json.hpp>

#include "diagnostics/suggest.h"
#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "wasm-binary/host_abi_check.h"
#include "wasm-binary/wasm_features.h"

namespace ws::bundle {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "wsb1";
constexpr std::string_view kCodec = "zstd";

const std::vector<std::string>& ManifestKeys() {
  static const std::vector<std::string> keys = {"app",        "build_id", "codec",         "created",
                                                "delta_base", "devices",  "features",      "format",
                                                "host_abi",   "level",    "payload_bytes", "toolchain",
                                                "variant",    "version",  "wasm_bytes",    "wasm_sha256"};
  return keys;
}

json ToJson(const Manifest& m) {
  json j = json::object();
  j["format"] = m.format;
  j["app"] = m.app;
  j["version"] = m.version;
  j["build_id"] = m.build_id;
  j["variant"] = m.variant;
  j["features"] = m.features;
  j["devices"] = m.devices;
  j["host_abi"] = m.host_abi;
  j["wasm_bytes"] = m.wasm_bytes;
  j["wasm_sha256"] = m.wasm_sha256;
  j["codec"] = m.codec;
  j["level"] = m.level;
  j["payload_bytes"] = m.payload_bytes;
  j["delta_base"] = m.delta_base ? json(*m.delta_base) : json(nullptr);
  j["created"] = m.created;
  j["toolchain"] = m.toolchain;
  return j;
}

// Messages quote the input; a damaged file must not put control bytes or a
// megabyte of text on the user's terminal.
std::string Printable(std::string text, size_t max_chars) {
  if (text.size() > max_chars) text = text.substr(0, max_chars - 3) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

std::string Quoted(const std::string& text) { return "\"" + Printable(text, 80) + "\""; }

// What a value is, for "must be X, not Y".
std::string Describe(const json& v) {
  if (v.is_string()) return Quoted(v.get<std::string>());
  if (v.is_number() || v.is_boolean() || v.is_null()) return v.dump();
  return std::string("an ") + v.type_name();  // "an object", "an array"
}

// Reads typed values out of the parsed object; the first problem sticks.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  const std::string& error() const { return error_; }

  std::string String(const char* key) {
    const json& v = object_.at(key);
    if (!v.is_string()) return Fail(key, "must be a string, not " + Describe(v)), std::string();
    return v.get<std::string>();
  }
  std::vector<std::string> Strings(const char* key) {
    const json& v = object_.at(key);
    if (!v.is_array())
      return Fail(key, "must be an array of strings, not " + Describe(v)), std::vector<std::string>();
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        Fail(key, "must be an array of strings, but item " + std::to_string(i) + " is " + Describe(v[i]));
        return {};
      }
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }
  int64_t Integer(const char* key, int64_t min, int64_t max) {
    const json& v = object_.at(key);
    if (!v.is_number_integer()) return Fail(key, "must be an integer, not " + Describe(v)), 0;
    bool in_range = v.is_number_unsigned() ? v.get<uint64_t>() <= static_cast<uint64_t>(max)
                                           : v.get<int64_t>() >= min && v.get<int64_t>() <= max;
    if (!in_range) return Fail(key, "is out of range: " + v.dump()), 0;
    return v.get<int64_t>();
  }
  uint64_t Unsigned(const char* key) {
    const json& v = object_.at(key);
    if (!v.is_number_unsigned()) return Fail(key, "must be a non-negative integer, not " + Describe(v)), 0;
    return v.get<uint64_t>();
  }
  std::string Sha256(const char* key) {
    std::string s = String(key);
    if (error_.empty() && !internal::IsSha256Hex(s))
      Fail(key, "must be a sha256 (64 lowercase hex digits), not " + Quoted(s));
    return s;
  }
  std::optional<std::string> NullableSha256(const char* key) {
    const json& v = object_.at(key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_string()) return Fail(key, "must be null or a sha256 string, not " + Describe(v)), std::nullopt;
    return Sha256(key);
  }

 private:
  void Fail(const char* key, const std::string& what) {
    if (error_.empty()) error_ = "manifest: \"" + std::string(key) + "\" " + what;
  }

  const json& object_;
  std::string error_;
};

bool PlainName(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

namespace internal {

Status CheckManifestValues(const Manifest& m) {
  if (m.host_abi != wasm::kHostAbiVersion)
    return Error{"manifest: \"host_abi\" is " + std::to_string(m.host_abi) + "; this host implements host ABI " +
                 std::to_string(wasm::kHostAbiVersion)};
  const std::vector<std::string>& known = wasm::WasmFeatureNames();
  for (const std::string& feature : m.features) {
    if (std::find(known.begin(), known.end(), feature) == known.end())
      return Error{"manifest: \"features\" has " + Quoted(feature) + ", which is not a wasm feature this host knows (" +
                   JoinNames(known) + ")"};
  }
  if (!PlainName(m.variant))
    return Error{"manifest: \"variant\" is " + Quoted(m.variant) +
                 "; a variant is a plain name of a-z, 0-9, '-' and '_' (it becomes part of file names)"};
  return {};
}

}  // namespace internal

std::string CanonicalJson(const Manifest& manifest) {
  // nlohmann's default object is a std::map: keys come out sorted. `replace`
  // keeps a string that is not UTF-8 from throwing; the writer refuses such
  // manifests because they do not read back.
  return ToJson(manifest).dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Manifest> ParseManifest(std::string_view text) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    std::string what = e.what();
    size_t tag_end = what.find("] ");  // drop "[json.exception.parse_error.101] "
    return Error{"manifest: not JSON: " +
                 Printable(tag_end == std::string::npos ? what : what.substr(tag_end + 2), 240)};
  }
  if (!j.is_object()) return Error{"manifest: must be a JSON object, not " + Describe(j)};
  // A newer format may have other keys; saying "wsb2" beats "unknown key".
  if (j.contains("format") && j.at("format").is_string() && j.at("format").get<std::string>() != kFormat)
    return Error{"manifest: \"format\" is " + Quoted(j.at("format").get<std::string>()) +
                 "; this version of wasmship reads \"wsb1\""};
  for (const auto& [key, value] : j.items()) {
    if (!std::binary_search(ManifestKeys().begin(), ManifestKeys().end(), key)) {
      // Suggestions cost length × length; a forged megabyte-long key gets none.
      std::string hint = key.size() <= 64 ? DidYouMean(key, ManifestKeys()) : "";
      return Error{"manifest: unknown key " + Quoted(key) + hint};
    }
  }
  for (const std::string& key : ManifestKeys()) {
    if (!j.contains(key)) return Error{"manifest: missing key \"" + key + "\""};
  }

  FieldReader r(j);
  Manifest m;
  m.app = r.String("app");
  m.build_id = r.String("build_id");
  m.codec = r.String("codec");
  m.created = r.Integer("created", INT64_MIN, INT64_MAX);
  m.delta_base = r.NullableSha256("delta_base");
  m.devices = r.Strings("devices");
  m.features = r.Strings("features");
  m.format = r.String("format");
  m.host_abi = static_cast<int>(r.Integer("host_abi", INT_MIN, INT_MAX));
  m.level = static_cast<int>(r.Integer("level", INT_MIN, INT_MAX));
  m.payload_bytes = r.Unsigned("payload_bytes");
  m.toolchain = r.String("toolchain");
  m.variant = r.String("variant");
  m.version = r.String("version");
  m.wasm_bytes = r.Unsigned("wasm_bytes");
  m.wasm_sha256 = r.Sha256("wasm_sha256");
  if (!r.error().empty()) return Error{r.error()};
  if (m.codec != kCodec)
    return Error{"manifest: \"codec\" is " + Quoted(m.codec) + "; wsb1 bundles are \"zstd\""};

  std::string canonical = CanonicalJson(m);
  if (canonical != text) {
    size_t at = 0;
    while (at < canonical.size() && at < text.size() && canonical[at] == text[at]) ++at;
    return Error{
        "manifest: not in canonical form (sorted keys, no whitespace, shortest escapes, as "
        "CanonicalJson writes it): it differs from the canonical form at byte " +
        std::to_string(at)};
  }
  return m;
}

}  // namespace ws::bundle
