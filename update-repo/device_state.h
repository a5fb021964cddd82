// A device's state directory: what it runs and what it trusts.
//   device.json          the installed app (current) and the last good one (previous)
//   modules/<sha256>.wasm  the modules of both, never overwritten in place
//   tuf/*.json           the trusted metadata and, through it, the version floors
//   reports/*.json       crash reports of bundles that were rolled back
// device.json is replaced atomically after the new module is complete, so a
// failed install (a full disk) leaves the old bundle bootable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "update-repo/canonical_json.h"

namespace ws::tuf {

struct InstalledApp {
  std::string app, version, variant, wasm_sha256, build_id, channel;
  bool good = false;  // it ran to its mark-good point at least once
};

struct DeviceState {
  std::string device, device_id;
  std::optional<InstalledApp> current;
  std::optional<InstalledApp> previous;  // the last good one, kept for rollback
  // Modules (sha256) that trapped before they were marked good: the device
  // does not install them again, whatever the channel says.
  std::vector<std::string> crashed;
};

Result<DeviceState> LoadDeviceState(const std::string& dir);
Status SaveDeviceState(const std::string& dir, const DeviceState& state);
std::string ModulePath(const std::string& dir, const std::string& wasm_sha256);
// Writes the module, then makes it current (the previous good app kept),
// then removes modules neither current nor previous names.
Status InstallModule(const std::string& dir, std::string_view wasm, InstalledApp app, DeviceState& state);

}  // namespace ws::tuf
