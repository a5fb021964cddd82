#include "update-repo/repo_state.h"

#include <filesystem>

#include "platform/atomic_file.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

constexpr ReadLimit kMetadataFile{"metadata file", 64ull << 20};

Result<Json> LoadSigned(const std::string& dir, const std::string& name, const std::string& type) {
  std::string path = (fs::path(dir) / name).string();
  Result<std::string> text = ReadFile(path, kMetadataFile);
  if (!text) return Error{text.error().message};
  Result<Json> envelope = ParseJson(*text, path);
  if (!envelope) return envelope.error();
  if (!envelope->is_object() || !envelope->contains("signed"))
    return Error{path + ": malformed metadata: no \"signed\" object"};
  Json signed_part = (*envelope)["signed"];
  if (Result<Header> header = ReadHeader(signed_part, type, path); !header) return header.error();
  return signed_part;
}

}  // namespace

Result<Repo> LoadRepo(const std::string& dir) {
  Repo repo;
  repo.dir = dir;
  if (!fs::exists(fs::path(dir) / "timestamp.json"))
    return Error{dir + " is not an update repository (no timestamp.json); create one with `wasmship repo init " + dir +
                 " --key K`"};
  Result<Json> root = LoadSigned(dir, "root.json", "root");
  if (!root) return root.error();
  repo.root = std::move(*root);
  Result<Json> timestamp = LoadSigned(dir, "timestamp.json", "timestamp");
  if (!timestamp) return timestamp.error();
  repo.timestamp = std::move(*timestamp);
  Result<MetaFile> snap = ReadMetaFile(repo.timestamp["meta"], "snapshot.json", dir + "/timestamp.json");
  if (!snap) return snap.error();
  Result<Json> snapshot = LoadSigned(dir, VersionedName(snap->version, "snapshot"), "snapshot");
  if (!snapshot) return snapshot.error();
  repo.snapshot = std::move(*snapshot);
  for (const auto& [name, entry] : repo.snapshot["meta"].items()) {
    Result<MetaFile> meta = ReadMetaFile(repo.snapshot["meta"], name, dir + "/snapshot.json");
    if (!meta) return meta.error();
    std::string role = name.substr(0, name.size() - 5);  // drop ".json"
    Result<Json> signed_part = LoadSigned(dir, VersionedName(meta->version, role), "targets");
    if (!signed_part) return signed_part.error();
    if (role == "targets") repo.targets = std::move(*signed_part);
    else repo.channels[role] = std::move(*signed_part);
  }
  if (repo.targets.is_null()) return Error{dir + "/snapshot.json: malformed metadata: no targets.json in meta"};
  return repo;
}

Result<FileLock> LockRepo(const std::string& dir) {
  Result<FileLock> lock = FileLock::TryAcquire((fs::path(dir) / kLockFile).string());
  if (!lock) return lock.error();
  if (!lock->held())
    return Error{"another wasmship command is writing the repository " + dir + " (it holds " + kLockFile +
                 "); run this one when it has finished"};
  return lock;
}

Status CheckRootFresh(const Repo& repo) {
  Result<Header> header = ReadHeader(repo.root, "root", repo.dir + "/root.json");
  if (!header) return header.error();
  if (header->expires <= Now())
    return Error{"expired key: the repository's root metadata expired at " + FormatTime(header->expires) +
                 "; renew it with `wasmship repo rotate-key " + repo.dir + " root --key ROOT_KEY --new-key ROOT_KEY`"};
  return {};
}

Result<RoleTrust> TrustOf(const Repo& repo, const std::string& role) {
  if (role == "root" || role == "targets" || role == "snapshot" || role == "timestamp")
    return ReadRoleTrust(repo.root["roles"][role], repo.dir + "/root.json roles." + role);
  if (repo.targets.contains("delegations")) {
    for (const Json& delegation : repo.targets["delegations"]["roles"]) {
      if (delegation.value("name", "") == role) return ReadRoleTrust(delegation, repo.dir + " delegation " + role);
    }
  }
  return Error{"the repository has no channel \"" + role + "\""};
}

std::string MetadataText(const Json& envelope) { return *CanonicalJson(envelope); }

Status Keyring::Load(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    Result<RoleKey> key = LoadRoleKey(path);
    if (!key) return key.error();
    keys_.push_back(std::move(*key));
  }
  return {};
}

Result<std::vector<const RoleKey*>> Keyring::For(const RoleTrust& trust, const std::string& role) const {
  std::vector<const RoleKey*> found;
  for (const std::string& id : trust.keyids) {
    for (const RoleKey& key : keys_) {
      if (key.keyid == id) {
        found.push_back(&key);
        break;
      }
    }
  }
  if (static_cast<int>(found.size()) >= trust.threshold) return found;
  std::string ids;
  for (const std::string& id : trust.keyids) ids += (ids.empty() ? "" : ", ") + id.substr(0, 16);
  return Error{"missing key: the " + role + " role needs " + std::to_string(trust.threshold) +
               " of its keys (keyids " + ids + "), and --key gave " + std::to_string(found.size())};
}

void Change::AddTargetFile(const std::string& hashed_path, std::string bytes) {
  target_files_.emplace_back("targets/" + hashed_path, std::move(bytes));
}

Status Change::Sign(const std::string& role, const RoleTrust& trust, Json& signed_part, int64_t lifetime,
                    const std::string& file) {
  Result<std::vector<const RoleKey*>> keys = keys_.For(trust, role);
  if (!keys) return keys.error();
  signed_part["expires"] = FormatTime(Now() + lifetime);
  signed_part["spec_version"] = kSpecVersion;
  Result<Json> envelope = SignMetadata(signed_part, *keys);
  if (!envelope) return envelope.error();
  metadata_.emplace_back(file, MetadataText(*envelope));
  return {};
}

Status Change::SetChannel(const std::string& name, Json signed_part) {
  Result<RoleTrust> trust = TrustOf(repo_, name);
  if (!trust) return trust.error();
  auto it = repo_.channels.find(name);
  int64_t version = it == repo_.channels.end() ? 1 : it->second["version"].get<int64_t>() + 1;
  signed_part["version"] = version;
  if (Status s = Sign(name, *trust, signed_part, kTargetsLifetime, VersionedName(version, name)); !s) return s;
  repo_.channels[name] = std::move(signed_part);
  return {};
}

Status Change::SetTargets(Json signed_part) {
  Result<RoleTrust> trust = TrustOf(repo_, "targets");
  if (!trust) return trust.error();
  int64_t version = repo_.targets["version"].get<int64_t>() + 1;
  signed_part["version"] = version;
  if (Status s = Sign("targets", *trust, signed_part, kTargetsLifetime, VersionedName(version, "targets")); !s) return s;
  repo_.targets = std::move(signed_part);
  return {};
}

Status Change::Commit(bool new_snapshot) {
  if (new_snapshot) {
    Json meta = {{"targets.json", {{"version", repo_.targets["version"]}}}};
    for (const auto& [name, channel] : repo_.channels) meta[name + ".json"] = {{"version", channel["version"]}};
    Json snapshot = NewSigned("snapshot", repo_.snapshot["version"].get<int64_t>() + 1, 0);
    snapshot["meta"] = meta;
    Result<RoleTrust> trust = TrustOf(repo_, "snapshot");
    if (!trust) return trust.error();
    std::string file = VersionedName(snapshot["version"], "snapshot");
    if (Status s = Sign("snapshot", *trust, snapshot, kSnapshotLifetime, file); !s) return s;
    repo_.snapshot = snapshot;
  }
  Json timestamp = NewSigned("timestamp", repo_.timestamp["version"].get<int64_t>() + 1, 0);
  Json snap_meta = {{"version", repo_.snapshot["version"]}};
  if (new_snapshot) {
    const std::string& snapshot_text = metadata_.back().second;
    snap_meta["length"] = snapshot_text.size();
    snap_meta["hashes"] = {{"sha256", Sha256Hex(snapshot_text)}};
  } else {
    snap_meta = repo_.timestamp["meta"]["snapshot.json"];
  }
  timestamp["meta"] = {{"snapshot.json", snap_meta}};
  Result<RoleTrust> trust = TrustOf(repo_, "timestamp");
  if (!trust) return trust.error();
  if (Status s = Sign("timestamp", *trust, timestamp, kTimestampLifetime, "timestamp.json"); !s) return s;
  repo_.timestamp = timestamp;
  // Everything is signed: only now does anything reach the disk.
  for (const auto& [path, bytes] : first_files_) {
    if (Status s = WriteFileAtomically((fs::path(repo_.dir) / path).string(), bytes); !s) return s;
  }
  for (const auto& [path, bytes] : target_files_) {
    if (Status s = WriteFileAtomically((fs::path(repo_.dir) / path).string(), bytes); !s) return s;
  }
  for (const auto& [path, bytes] : metadata_) {
    if (Status s = WriteFileAtomically((fs::path(repo_.dir) / path).string(), bytes); !s) return s;
  }
  return {};
}

}  // namespace ws::tuf
