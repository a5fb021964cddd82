// `wasmship repo init`: version 1 of every role, root first.
#include <filesystem>

#include "platform/atomic_file.h"
#include "update-repo/repo_state.h"
#include "update-repo/repository.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

Json RoleEntry(const std::vector<RoleKey>& keys, int threshold) {
  Json ids = Json::array();
  for (const RoleKey& key : keys) ids.push_back(key.keyid);
  return Json{{"keyids", ids}, {"threshold", threshold}};
}

Result<std::string> SignedText(const Json& signed_part, const std::vector<RoleKey>& keys) {
  std::vector<const RoleKey*> signers;
  for (const RoleKey& key : keys) signers.push_back(&key);
  Result<Json> envelope = SignMetadata(signed_part, signers);
  if (!envelope) return envelope.error();
  return MetadataText(*envelope);
}

}  // namespace

Status InitRepository(const InitOptions& o) {
  std::error_code ec;
  if (fs::exists(o.dir, ec) && (!fs::is_directory(o.dir, ec) || !fs::is_empty(o.dir, ec)))
    return Error{o.dir + " exists and is not an empty directory; `repo init` creates a new repository"};
  if (o.root_keys.empty() || o.targets_keys.empty() || o.snapshot_keys.empty() || o.timestamp_keys.empty())
    return Error{"every role needs a key (--key K gives one key to every role)"};
  if (o.root_threshold < 1 || o.root_threshold > static_cast<int>(o.root_keys.size()))
    return Error{"--threshold " + std::to_string(o.root_threshold) + " needs as many root keys, and " +
                 std::to_string(o.root_keys.size()) + " were given"};
  int64_t now = Now();
  Json keys = Json::object();
  for (const auto* list : {&o.root_keys, &o.targets_keys, &o.snapshot_keys, &o.timestamp_keys}) {
    for (const RoleKey& key : *list) keys[key.keyid] = KeyJson(key.key.public_key);
  }
  Json root = NewSigned("root", 1, now + kRootLifetime);
  root["consistent_snapshot"] = true;
  root["keys"] = keys;
  root["roles"] = {{"root", RoleEntry(o.root_keys, o.root_threshold)},
                   {"targets", RoleEntry(o.targets_keys, 1)},
                   {"snapshot", RoleEntry(o.snapshot_keys, 1)},
                   {"timestamp", RoleEntry(o.timestamp_keys, 1)}};
  Json targets = NewSigned("targets", 1, now + kTargetsLifetime);
  targets["targets"] = Json::object();
  targets["delegations"] = {{"keys", Json::object()}, {"roles", Json::array()}};
  Json snapshot = NewSigned("snapshot", 1, now + kSnapshotLifetime);
  snapshot["meta"] = {{"targets.json", {{"version", 1}}}};
  Result<std::string> root_text = SignedText(root, o.root_keys);
  Result<std::string> targets_text = SignedText(targets, o.targets_keys);
  Result<std::string> snapshot_text = SignedText(snapshot, o.snapshot_keys);
  if (!root_text || !targets_text || !snapshot_text) return Error{"signing failed"};
  Json timestamp = NewSigned("timestamp", 1, now + kTimestampLifetime);
  timestamp["meta"] = {{"snapshot.json",
                        {{"version", 1}, {"length", snapshot_text->size()}, {"hashes", {{"sha256", Sha256Hex(*snapshot_text)}}}}}};
  Result<std::string> timestamp_text = SignedText(timestamp, o.timestamp_keys);
  if (!timestamp_text) return timestamp_text.error();
  if (Status s = MakeDirectories((fs::path(o.dir) / "targets").string()); !s) return s;
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"1.root.json", *root_text}, {"root.json", *root_text}, {"1.targets.json", *targets_text},
           {"1.snapshot.json", *snapshot_text}, {"timestamp.json", *timestamp_text}, {kLockFile, ""}}) {
    if (Status s = WriteFileAtomically((fs::path(o.dir) / name).string(), text); !s) return s;
  }
  return {};
}

}  // namespace ws::tuf
