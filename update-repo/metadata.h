// The parts of TUF 1.0 metadata both the repository and the client read:
// the common header of every role, role trust (keyids and threshold), the
// meta entries of snapshot and timestamp, target entries, and time (ISO 8601
// in UTC, "2027-01-31T12:00:00Z"). Checks name the file and the field.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "update-repo/canonical_json.h"
#include "update-repo/signing.h"

namespace ws::tuf {

inline constexpr const char* kSpecVersion = "1.0.31";

// Seconds since the epoch; WASMSHIP_NOW (seconds) replaces the clock, for
// tests and fleet simulations of skewed device clocks.
int64_t Now();
std::string FormatTime(int64_t seconds);
std::optional<int64_t> ParseTime(const std::string& text);

struct Header {
  std::string type;
  int64_t version = 0;
  int64_t expires = 0;
};
// {"_type", "spec_version", "version", "expires"} for a new "signed" object.
Json NewSigned(const std::string& type, int64_t version, int64_t expires);
// Checks _type == `type`, a 1.x spec_version, a version ≥ 1 and a valid expires.
Result<Header> ReadHeader(const Json& signed_part, const std::string& type, const std::string& where);

// roles[name] of root, or a delegation entry: {"keyids": [...], "threshold": N}.
Result<RoleTrust> ReadRoleTrust(const Json& role, const std::string& where);

// An entry of snapshot's or timestamp's "meta".
struct MetaFile {
  int64_t version = 0;
  std::optional<uint64_t> length;
  std::optional<std::string> sha256;
};
Result<MetaFile> ReadMetaFile(const Json& meta, const std::string& name, const std::string& where);

// An entry of a targets role's "targets".
struct TargetFile {
  std::string path;
  uint64_t length = 0;
  std::string sha256;
  Json custom = Json::object();
};
Result<std::map<std::string, TargetFile>> ReadTargets(const Json& signed_part, const std::string& where);
Json TargetJson(const TargetFile& target);

// Version-prefixed file names of consistent snapshots: "3.snapshot.json".
std::string VersionedName(int64_t version, const std::string& role);
// A target's file under targets/ with consistent snapshots: "stable/<sha256>.name.wsb".
std::string HashedTargetPath(const std::string& path, const std::string& sha256);

std::string Sha256Hex(std::string_view bytes);

}  // namespace ws::tuf
