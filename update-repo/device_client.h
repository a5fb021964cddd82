// `wasmship device update`: what a device's C++ layer runs to update its
// app from an update repository (update-repo/repository.h). It verifies the
// TUF chain (trusted_metadata.h), chooses the release its rollout admits and
// the bundle for its device class (a delta when it holds the delta's base),
// checks the bundle's length and hash against the signed metadata and its
// manifest against the device, and installs it atomically (device_state.h).
#pragma once

#include <cstdint>
#include <string>

#include "update-repo/trusted_metadata.h"

namespace ws::tuf {

struct UpdateOptions {
  std::string repo;  // a directory or an http(s) URL
  std::string device, device_id, state_dir, trusted_root;
  std::string channel = "stable";
};

struct UpdateOutcome {
  bool updated = false;
  std::string from_version, to_version, target;
  bool delta = false;
  bool downgrade = false;  // a revert the channel authorized
  uint64_t bytes = 0;      // downloaded for the bundle
};

// A Refusal (exit 5) names the attack or fault; refused == false is a
// failure that is no attack (network, disk: exit 1). Either way the
// installed app is unchanged.
Result<UpdateOutcome, Refusal> UpdateDevice(const UpdateOptions& options);

}  // namespace ws::tuf
