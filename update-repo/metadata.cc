#include "update-repo/metadata.h"

#include <cstdlib>
#include <ctime>

#include "ota-bundle/ota_bundle.h"

namespace ws::tuf {

int64_t Now() {
  if (const char* now = std::getenv("WASMSHIP_NOW"); now != nullptr && *now != '\0') return std::atoll(now);
  return static_cast<int64_t>(std::time(nullptr));
}

std::string FormatTime(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::optional<int64_t> ParseTime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

Json NewSigned(const std::string& type, int64_t version, int64_t expires) {
  return Json{{"_type", type}, {"spec_version", kSpecVersion}, {"version", version}, {"expires", FormatTime(expires)}};
}

Result<Header> ReadHeader(const Json& s, const std::string& type, const std::string& where) {
  auto bad = [&](const std::string& what) { return Error{where + ": malformed metadata: " + what}; };
  if (!s.is_object()) return bad("\"signed\" is not an object");
  if (!s.contains("_type") || s["_type"] != type) return bad("_type is not \"" + type + "\"");
  if (!s.contains("spec_version") || !s["spec_version"].is_string() ||
      s["spec_version"].get<std::string>().rfind("1.", 0) != 0)
    return bad("spec_version is not 1.x");
  if (!s.contains("version") || !s["version"].is_number_integer() || s["version"].get<int64_t>() < 1)
    return bad("version is not an integer ≥ 1");
  std::optional<int64_t> expires =
      s.contains("expires") && s["expires"].is_string() ? ParseTime(s["expires"]) : std::nullopt;
  if (!expires) return bad("expires is not a time like \"2027-01-31T12:00:00Z\"");
  return Header{type, s["version"].get<int64_t>(), *expires};
}

Result<RoleTrust> ReadRoleTrust(const Json& role, const std::string& where) {
  if (!role.is_object() || !role.contains("keyids") || !role["keyids"].is_array() || !role.contains("threshold") ||
      !role["threshold"].is_number_integer() || role["threshold"].get<int64_t>() < 1)
    return Error{where + ": malformed metadata: a role needs \"keyids\" and a \"threshold\" ≥ 1"};
  RoleTrust trust;
  trust.threshold = static_cast<int>(role["threshold"].get<int64_t>());
  for (const Json& id : role["keyids"]) {
    if (!id.is_string()) return Error{where + ": malformed metadata: a keyid is not a string"};
    trust.keyids.push_back(id);
  }
  return trust;
}

Result<MetaFile> ReadMetaFile(const Json& meta, const std::string& name, const std::string& where) {
  if (!meta.is_object() || !meta.contains(name)) return Error{where + ": malformed metadata: meta has no \"" + name + "\""};
  const Json& entry = meta[name];
  if (!entry.is_object() || !entry.contains("version") || !entry["version"].is_number_integer())
    return Error{where + ": malformed metadata: meta[\"" + name + "\"] has no integer version"};
  MetaFile out;
  out.version = entry["version"];
  if (entry.contains("length")) {
    if (!entry["length"].is_number_unsigned()) return Error{where + ": malformed metadata: a length is not a count"};
    out.length = entry["length"].get<uint64_t>();
  }
  if (entry.contains("hashes") && entry["hashes"].is_object() && entry["hashes"].contains("sha256") &&
      entry["hashes"]["sha256"].is_string())
    out.sha256 = entry["hashes"]["sha256"];
  return out;
}

Result<std::map<std::string, TargetFile>> ReadTargets(const Json& s, const std::string& where) {
  if (!s.contains("targets") || !s["targets"].is_object())
    return Error{where + ": malformed metadata: no \"targets\" object"};
  std::map<std::string, TargetFile> out;
  for (const auto& [path, entry] : s["targets"].items()) {
    TargetFile target;
    target.path = path;
    if (!entry.is_object() || !entry.contains("length") || !entry["length"].is_number_unsigned() ||
        !entry.contains("hashes") || !entry["hashes"].is_object() || !entry["hashes"].contains("sha256") ||
        !entry["hashes"]["sha256"].is_string())
      return Error{where + ": malformed metadata: target \"" + path + "\" needs a length and hashes.sha256"};
    target.length = entry["length"];
    target.sha256 = entry["hashes"]["sha256"];
    if (entry.contains("custom")) target.custom = entry["custom"];
    out[path] = std::move(target);
  }
  return out;
}

Json TargetJson(const TargetFile& target) {
  return Json{{"length", target.length}, {"hashes", {{"sha256", target.sha256}}}, {"custom", target.custom}};
}

std::string VersionedName(int64_t version, const std::string& role) {
  return std::to_string(version) + "." + role + ".json";
}

std::string HashedTargetPath(const std::string& path, const std::string& sha256) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return sha256 + "." + path;
  return path.substr(0, slash + 1) + sha256 + "." + path.substr(slash + 1);
}

std::string Sha256Hex(std::string_view bytes) {
  return bundle::Sha256Hex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace ws::tuf
