#include <algorithm>
#include <filesystem>

#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "update-repo/device_client.h"
#include "update-repo/device_state.h"
#include "update-repo/releases.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

Refusal Refuse(std::string message) { return Refusal{true, std::move(message)}; }

std::span<const uint8_t> Bytes(const std::string& s) {
  return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// A little more than a target's signed length is read, so that a swapped
// file of about the same size can be named (mix-and-match) instead of only
// being too long; anything beyond the slack is endless data.
constexpr uint64_t kTargetSlackBytes = 64 << 10;

// Downloads a target: never more than its signed length and the slack, and
// accepts only the bytes its signed length and hash name.
Result<std::string, Refusal> FetchTarget(Fetcher& fetcher, const TargetFile& target,
                                         const std::map<std::string, TargetFile>& listed) {
  Result<std::string, FetchError> bytes = fetcher.Fetch("targets/" + HashedTargetPath(target.path, target.sha256), target.length + kTargetSlackBytes);
  if (!bytes && bytes.error().kind == FetchError::kTooLarge)
    return Refuse("endless data attack: " + target.path + " is larger than the " + std::to_string(target.length) +
                  " bytes its signed metadata says");
  if (!bytes) return Refusal{false, "cannot fetch " + target.path + ": " + bytes.error().message};
  std::string sha = Sha256Hex(*bytes);
  if (bytes->size() == target.length && sha == target.sha256) return std::move(*bytes);
  for (const auto& [path, other] : listed) {
    if (other.sha256 == sha)
      return Refuse("mix-and-match attack: the file served for " + target.path + " is " + path +
                    ", another target of the signed metadata");
  }
  if (bytes->size() > target.length)
    return Refuse("endless data attack: " + target.path + " is larger than the " + std::to_string(target.length) +
                  " bytes its signed metadata says");
  return Refuse("arbitrary software attack: " + target.path + " is " + std::to_string(bytes->size()) +
                " bytes with sha256 " + sha.substr(0, 16) + "…, not what its signed metadata says");
}

bool Lists(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

Result<UpdateOutcome, Refusal> UpdateDevice(const UpdateOptions& o) {
  Result<DeviceState> state = LoadDeviceState(o.state_dir);
  if (!state) return Refusal{false, state.error().message};
  if (!state->device.empty() && state->device != o.device)
    return Refusal{false, o.state_dir + " belongs to a " + state->device + " device, not " + o.device};
  state->device = o.device;
  if (state->device_id.empty()) state->device_id = o.device_id;
  TrustedMetadata trusted;
  if (Checked c = trusted.Load((fs::path(o.state_dir) / "tuf").string(), o.trusted_root); !c) return c.error();
  std::unique_ptr<Fetcher> fetcher = MakeFetcher(o.repo);
  if (Checked c = trusted.Refresh(*fetcher, o.channel); !c) return c.error();
  std::vector<Release> releases = ReleasesOf(trusted.channel_targets());
  std::string installed_version = state->current ? state->current->version : "";
  // A delta needs the installed module; without it (a damaged state) the full bundle is taken.
  std::string installed_wasm = state->current && fs::exists(ModulePath(o.state_dir, state->current->wasm_sha256))
                                   ? state->current->wasm_sha256
                                   : "";
  auto choice = ChooseTarget(releases, o.device, o.device_id, installed_version, installed_wasm, state->crashed);
  if (!choice) return Refuse(choice.error().message);
  UpdateOutcome outcome;
  outcome.from_version = installed_version;
  outcome.to_version = installed_version;
  if (!*choice) return outcome;  // up to date
  const TargetFile& target = *(*choice)->target;
  const Json& custom = target.custom;
  if (state->current && !state->current->app.empty() && custom.value("app", "") != state->current->app)
    return Refuse("wrong app: the channel offers " + custom.value("app", "") + ", the device runs " + state->current->app);
  Result<std::string, Refusal> bytes = FetchTarget(*fetcher, target, trusted.channel_targets());
  if (!bytes) return bytes.error();
  bool delta = custom.value("kind", "full") == "delta";
  std::string base;
  if (delta) {
    Result<std::string> module = ReadFile(ModulePath(o.state_dir, installed_wasm), kModuleFile);
    if (!module) return Refusal{false, "the delta's base module is gone from the state: " + module.error().message};
    base = std::move(*module);
  }
  bundle::ReadOptions read;
  read.delta_base = Bytes(base);
  Result<bundle::Bundle> b = bundle::ReadBundle(Bytes(*bytes), read);
  if (!b) return Refuse("arbitrary software attack: " + target.path + ": " + b.error().message);
  const bundle::Manifest& m = b->manifest;
  if (!Lists(m.devices, o.device))
    return Refuse("wrong device: " + target.path + " is built for " +
                  (m.devices.empty() ? std::string("no device") : m.devices[0]) + " (variant " + m.variant + "), not " + o.device);
  if (m.app != custom.value("app", "") || m.version != custom.value("version", "") ||
      m.wasm_sha256 != custom.value("wasm_sha256", ""))
    return Refuse("mix-and-match attack: " + target.path + " holds " + m.app + " " + m.version +
                  ", not what its signed metadata says");
  if (m.host_abi > host_abi::kVersion)
    return Refuse("unsupported host ABI: " + target.path + " needs version " + std::to_string(m.host_abi) +
                  ", this device implements " + std::to_string(host_abi::kVersion));
  InstalledApp app{m.app, m.version, m.variant, m.wasm_sha256, m.build_id, o.channel, false};
  std::string_view wasm(reinterpret_cast<const char*>(b->wasm.data()), b->wasm.size());
  if (Status s = InstallModule(o.state_dir, wasm, app, *state); !s) return Refusal{false, s.error().message};
  outcome.updated = true;
  outcome.to_version = m.version;
  outcome.target = target.path;
  outcome.delta = delta;
  outcome.downgrade = (*choice)->downgrade;
  outcome.bytes = bytes->size();
  return outcome;
}

}  // namespace ws::tuf
