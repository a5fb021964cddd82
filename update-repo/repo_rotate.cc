// `wasmship repo rotate-key`: root version N+1 names the role's new keys.
// Devices walk the root chain one version at a time and accept N+1 only when
// N's root threshold and N+1's own root threshold both signed it, so the
// new root carries both signatures. The role's metadata is then re-signed
// with its new keys (and snapshot and timestamp after it), which is what
// makes metadata signed by a compromised old key worthless to devices.
#include <filesystem>
#include <set>
#include <vector>

#include "platform/atomic_file.h"
#include "update-repo/repo_state.h"
#include "update-repo/repository.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

}  // namespace

Result<int64_t> RotateKey(const std::string& dir, const std::string& role, const std::vector<RoleKey>& new_keys,
                          int threshold, const Keyring& keys) {
  if (role != "root" && role != "targets" && role != "snapshot" && role != "timestamp")
    return Error{"ROLE must be root, targets, snapshot or timestamp (channels are signed with the targets keys)"};
  if (new_keys.empty() || threshold < 1 || threshold > static_cast<int>(new_keys.size()))
    return Error{"--new-key must give at least --threshold (" + std::to_string(threshold) + ") keys"};
  Result<FileLock> lock = LockRepo(dir);
  if (!lock) return lock.error();
  Result<Repo> repo = LoadRepo(dir);
  if (!repo) return repo.error();
  Result<RoleTrust> old_root = TrustOf(*repo, "root");
  if (!old_root) return old_root.error();
  Result<std::vector<const RoleKey*>> old_signers = keys.For(*old_root, "root (the current root)");
  if (!old_signers) return old_signers.error();
  Json root = repo->root;
  int64_t version = root["version"].get<int64_t>() + 1;
  root["version"] = version;
  root["expires"] = FormatTime(Now() + kRootLifetime);
  root["spec_version"] = kSpecVersion;
  Json ids = Json::array();
  for (const RoleKey& key : new_keys) {
    ids.push_back(key.keyid);
    root["keys"][key.keyid] = KeyJson(key.key.public_key);
  }
  root["roles"][role] = {{"keyids", ids}, {"threshold", threshold}};
  // Keys no role names any more leave the root.
  std::set<std::string> used;
  for (const auto& [name, r] : root["roles"].items()) {
    for (const Json& id : r["keyids"]) used.insert(id);
  }
  for (auto it = root["keys"].begin(); it != root["keys"].end();) {
    if (!used.count(it.key())) it = root["keys"].erase(it);
    else ++it;
  }
  std::vector<const RoleKey*> signers = *old_signers;
  if (role == "root") {
    for (const RoleKey& key : new_keys) {
      bool already = false;
      for (const RoleKey* s : signers) already = already || s->keyid == key.keyid;
      if (!already) signers.push_back(&key);
    }
  }
  Result<Json> envelope = SignMetadata(root, signers);
  if (!envelope) return envelope.error();
  std::string text = MetadataText(*envelope);
  repo->root = root;
  // Sign everything that follows before writing anything.
  Keyring ring = keys;
  for (const RoleKey& key : new_keys) ring.Add(key);
  Change change(*repo, ring);
  if (role == "targets") {
    if (Status s = change.SetTargets(repo->targets); !s) return s.error();
  }
  change.WriteFirst(VersionedName(version, "root"), text);
  change.WriteFirst("root.json", text);
  if (role == "root") {
    for (const std::string& name : std::vector<std::string>{VersionedName(version, "root"), "root.json"}) {
      if (Status s = WriteFileAtomically((fs::path(dir) / name).string(), text); !s) return s.error();
    }
    return version;
  }
  if (Status s = change.Commit(/*new_snapshot=*/role != "timestamp"); !s) return s.error();
  return version;
}

}  // namespace ws::tuf
