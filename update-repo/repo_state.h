// The repository as a publisher sees it (the newest root, targets, snapshot,
// timestamp and channel roles), the keys a command was given, and a change
// staged in memory: every file is built and signed before the first one is
// written, then written in TUF's order (targets, delegated channel roles,
// targets.json, snapshot, timestamp last), each atomically, so a device
// reading the repository mid-publish sees the old release or the new one.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "platform/file_lock.h"
#include "update-repo/metadata.h"

namespace ws::tuf {

// How long each role's metadata is valid after it is signed.
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kRootLifetime = 365 * kDay;
inline constexpr int64_t kTargetsLifetime = 90 * kDay;  // targets and channel roles
inline constexpr int64_t kSnapshotLifetime = 30 * kDay;
inline constexpr int64_t kTimestampLifetime = 7 * kDay;
inline constexpr const char* kLockFile = ".wasmship-repo.lock";

struct Repo {
  std::string dir;
  Json root;  // "signed" of the newest root
  Json targets;
  Json snapshot;
  Json timestamp;
  std::map<std::string, Json> channels;  // name → "signed"
};

Result<Repo> LoadRepo(const std::string& dir);
// The repository's lock (kLockFile): an error when another command holds it.
Result<FileLock> LockRepo(const std::string& dir);
// An error when the repository's root has expired (renew it with rotate-key).
Status CheckRootFresh(const Repo& repo);
// root["roles"][name] (or a channel's delegation) as trust.
Result<RoleTrust> TrustOf(const Repo& repo, const std::string& role);
// A metadata file's bytes: its canonical JSON.
std::string MetadataText(const Json& envelope);

// The secret keys a command was given (--key, repeatable).
class Keyring {
 public:
  Status Load(const std::vector<std::string>& paths);
  void Add(RoleKey key) { keys_.push_back(std::move(key)); }
  // Keys of `trust` this ring holds; an error naming the role and its
  // keyids when fewer than the threshold are here.
  Result<std::vector<const RoleKey*>> For(const RoleTrust& trust, const std::string& role) const;
  const std::vector<RoleKey>& keys() const { return keys_; }

 private:
  std::vector<RoleKey> keys_;
};

class Change {
 public:
  Change(Repo& repo, const Keyring& keys) : repo_(repo), keys_(keys) {}
  // A file written before all others (a new root).
  void WriteFirst(const std::string& path, std::string bytes) { first_files_.emplace_back(path, std::move(bytes)); }
  // A target file's bytes under targets/ (its hash-prefixed name).
  void AddTargetFile(const std::string& hashed_path, std::string bytes);
  // Replaces a role's "signed" (version bumped and expiry renewed here) and signs it.
  Status SetChannel(const std::string& name, Json signed_part);
  Status SetTargets(Json signed_part);
  // New snapshot (when `snapshot`) and timestamp, then every file written.
  Status Commit(bool new_snapshot = true);

 private:
  Status Sign(const std::string& role, const RoleTrust& trust, Json& signed_part, int64_t lifetime,
              const std::string& file);
  Repo& repo_;
  const Keyring& keys_;
  std::vector<std::pair<std::string, std::string>> first_files_;
  std::vector<std::pair<std::string, std::string>> target_files_;
  std::vector<std::pair<std::string, std::string>> metadata_;  // written in this order
};

}  // namespace ws::tuf
