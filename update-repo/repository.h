// update-repo: a TUF 1.0 update repository of wasmship bundles (static
// files any HTTP server or CDN can serve) and what writes it. The layout
// (consistent snapshots, docs/update-repo.md):
//   N.root.json, root.json (the newest root's copy), N.targets.json,
//   N.<channel>.json (one delegated targets role per channel),
//   N.snapshot.json, timestamp.json, targets/<channel>/<sha256>.<file>.wsb
// Every command stages and signs everything in memory first (a missing key
// or an expired root fails before anything is written), holds the
// repository's lock file, and writes in TUF's order, timestamp last.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "update-repo/signing.h"

namespace ws::tuf {

struct InitOptions {
  std::string dir;
  std::vector<RoleKey> root_keys;
  int root_threshold = 1;
  std::vector<RoleKey> targets_keys, snapshot_keys, timestamp_keys;
};
// Creates DIR (empty or absent) with version 1 of every role.
Status InitRepository(const InitOptions& options);

class Keyring;

struct PublishOptions {
  std::string dir;
  std::string channel;
  std::string dist;           // a release build's dist/ (index.json, bundles/)
  int basis_points = 10000;   // the release's first rollout stage
  int delta_releases = 3;     // deltas from this many previous releases
};
struct PublishSummary {
  std::string app, version;
  int bundles = 0, deltas = 0;
  uint64_t bytes = 0;  // of the new target files
  int64_t channel_version = 0;
};
Result<PublishSummary> Publish(const PublishOptions& options, const Keyring& keys);

struct RolloutOptions {
  std::string dir, channel;
  std::string version;  // the release to change; empty: the newest
  std::optional<int> basis_points;
  std::vector<std::string> devices;
  bool halt = false, resume = false;
  std::string revert;  // withdraw every release newer than this one
};
// A summary line of what changed.
Result<std::string> ChangeRollout(const RolloutOptions& options, const Keyring& keys);

// A new timestamp over the current snapshot.
Result<int64_t> RefreshTimestamp(const std::string& dir, const Keyring& keys);

// A new root whose `role` trusts `new_keys` (threshold `threshold`), signed
// by the old root's threshold and, for the root role, the new keys; then
// the role's own metadata re-signed with its new keys.
Result<int64_t> RotateKey(const std::string& dir, const std::string& role, const std::vector<RoleKey>& new_keys,
                          int threshold, const Keyring& keys);

}  // namespace ws::tuf
