// A channel's releases as its targets metadata lists them, and which one a
// device takes. Every target of a channel carries, in its "custom" object:
//   app, version, variant, devices, features, host_abi, build_id, wasm_sha256,
//   kind ("full" or "delta"), delta_base (the base module's sha256 or null),
//   delta_from (the base release's version, deltas only),
//   rollout {basis_points, salt, halted, devices}, withdrawn.
// A device's rollout bucket is sha256(device id + salt) read as a number
// in [0, 10000) basis points: sticky per release (the salt is the release's),
// independent between releases, and a device inside at P% stays inside at
// any larger P.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "update-repo/metadata.h"

namespace ws::tuf {

struct Rollout {
  int basis_points = 10000;  // 100% = 10000
  std::string salt;
  bool halted = false;
  std::vector<std::string> devices;  // always included
};

struct Release {
  std::string app;
  std::string version;
  std::vector<const TargetFile*> full;    // one per variant
  std::vector<const TargetFile*> deltas;
  Rollout rollout;
  bool withdrawn = false;
};

// <0, 0, >0 like strcmp; dotted numbers compare numerically ("1.10" > "1.9").
int CompareVersions(const std::string& a, const std::string& b);
// [0, 10000): the device's bucket for a release's salt.
int RolloutBucket(const std::string& device_id, const std::string& salt);
bool InRollout(const Rollout& rollout, const std::string& device_id);

Json RolloutJson(const Rollout& rollout);
// Groups a channel's targets by release, newest first.
std::vector<Release> ReleasesOf(const std::map<std::string, TargetFile>& targets);

// What a device on `installed` (its version; empty: nothing installed)
// should take, skipping releases whose module is in `crashed`. nullopt: stay.
struct Choice {
  const Release* release = nullptr;
  const TargetFile* target = nullptr;  // the full bundle, or a delta from `installed_wasm`
  bool downgrade = false;              // authorized: the installed release is withdrawn
};
Result<std::optional<Choice>> ChooseTarget(const std::vector<Release>& releases, const std::string& device,
                                           const std::string& device_id, const std::string& installed_version,
                                           const std::string& installed_wasm,
                                           const std::vector<std::string>& crashed = {});

}  // namespace ws::tuf
