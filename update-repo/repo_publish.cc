// `wasmship publish`: a release build's bundles (one per variant) become
// targets of the channel's role, with deltas from the channel's previous
// releases, in a new channel version, snapshot and timestamp.
#include <filesystem>
#include <future>
#include <regex>
#include <set>
#include <thread>

#include "ota-bundle/bundle_file.h"
#include "platform/atomic_file.h"
#include "update-repo/releases.h"
#include "update-repo/repo_state.h"
#include "update-repo/repository.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

struct NewBundle {
  std::string file;  // under dist/
  std::string bytes;
  bundle::Manifest manifest;
};

std::span<const uint8_t> Bytes(const std::string& s) {
  return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// The release's full bundles, one per variant, as dist/index.json lists them.
Result<std::vector<NewBundle>> ReadDist(const std::string& dist) {
  std::string index_path = (fs::path(dist) / "index.json").string();
  Result<std::string> text = ReadFile(index_path, kReportFile);
  if (!text) return Error{text.error().message + " (publish takes a release build's dist/: `wasmship build -p release --all-devices`)"};
  Result<Json> index = ParseJson(*text, index_path);
  if (!index) return index.error();
  if (!index->contains("devices") || !(*index)["devices"].is_object())
    return Error{index_path + ": no \"devices\" object"};
  std::set<std::string> files;
  for (const auto& [device, entry] : (*index)["devices"].items()) {
    if (!entry.contains("bundle") || !entry["bundle"].is_string())
      return Error{index_path + ": device \"" + device + "\" has no bundle"};
    files.insert(entry["bundle"].get<std::string>());
  }
  std::vector<NewBundle> out;
  for (const std::string& file : files) {
    std::string path = (fs::path(dist) / file).string();
    Result<std::string> bytes = ReadFile(path, bundle::kBundleFile);
    if (!bytes) return bytes.error();
    auto inspected = bundle::InspectBundle(Bytes(*bytes));
    if (!inspected) return Error{path + ": " + inspected.error().message};
    if (inspected->first.delta_base) return Error{path + " is a delta bundle; publish takes full bundles"};
    out.push_back({file, std::move(*bytes), inspected->first});
  }
  if (out.empty()) return Error{index_path + " lists no bundles"};
  for (const NewBundle& b : out) {
    if (b.manifest.app != out[0].manifest.app || b.manifest.version != out[0].manifest.version)
      return Error{dist + " mixes releases: " + b.file + " is " + b.manifest.app + " " + b.manifest.version};
  }
  return out;
}

Json CustomOf(const bundle::Manifest& m, const std::string& kind) {
  return Json{{"app", m.app},         {"version", m.version},       {"variant", m.variant},
              {"devices", m.devices}, {"features", m.features},     {"host_abi", m.host_abi},
              {"build_id", m.build_id}, {"wasm_sha256", m.wasm_sha256}, {"kind", kind},
              {"delta_base", nullptr}, {"withdrawn", false}};
}

// The module inside a full bundle (already hash-checked by the repository's metadata when published).
Result<std::vector<uint8_t>> ModuleOf(std::span<const uint8_t> bytes, const std::string& what) {
  Result<bundle::Bundle> b = bundle::ReadBundle(bytes, {});
  if (!b) return Error{what + ": " + b.error().message};
  return std::move(b->wasm);
}

struct DeltaJob {
  const NewBundle* to;
  const TargetFile* from;
};

Result<std::pair<std::string, TargetFile>> MakeDelta(const DeltaJob& job, const std::string& dir,
                                                     const std::string& channel, const RoleKey* key) {
  std::string from_path = (fs::path(dir) / "targets" / HashedTargetPath(job.from->path, job.from->sha256)).string();
  Result<std::string> from_bytes = ReadFile(from_path, bundle::kBundleFile);
  if (!from_bytes) return from_bytes.error();
  Result<std::vector<uint8_t>> base = ModuleOf(Bytes(*from_bytes), from_path);
  Result<std::vector<uint8_t>> wasm = ModuleOf(Bytes(job.to->bytes), job.to->file);
  if (!base) return base.error();
  if (!wasm) return wasm.error();
  bundle::BundleInputs inputs;
  inputs.manifest = job.to->manifest;
  inputs.wasm = *wasm;
  inputs.delta_base = *base;
  inputs.key = key != nullptr ? &key->key : nullptr;
  Result<std::vector<uint8_t>> delta = bundle::WriteBundle(inputs);
  if (!delta) return Error{"delta of " + job.to->file + ": " + delta.error().message};
  const bundle::Manifest& m = job.to->manifest;
  std::string from_version = job.from->custom["version"];
  TargetFile target;
  target.path = channel + "/" + m.app + "-" + m.version + "-" + m.variant + ".from-" + from_version + ".wsb";
  std::string bytes(delta->begin(), delta->end());
  target.length = bytes.size();
  target.sha256 = Sha256Hex(bytes);
  target.custom = CustomOf(m, "delta");
  target.custom["delta_base"] = job.from->custom["wasm_sha256"];
  target.custom["delta_from"] = from_version;
  return std::make_pair(std::move(bytes), std::move(target));
}

Status CheckChannelName(const std::string& channel) {
  static const std::regex kName("[a-z0-9][a-z0-9_-]{0,63}");
  if (!std::regex_match(channel, kName) || channel == "root" || channel == "targets" || channel == "snapshot" ||
      channel == "timestamp")
    return Error{"--channel \"" + channel + "\" must be a lowercase name ([a-z0-9_-]) other than a TUF role's"};
  return {};
}

// A new channel: a delegation from targets to a role of the targets keys.
Json WithChannel(const Repo& repo, const std::string& channel) {
  Json targets = repo.targets;
  if (!targets.contains("delegations")) targets["delegations"] = {{"keys", Json::object()}, {"roles", Json::array()}};
  Json role = repo.root["roles"]["targets"];
  for (const Json& id : role["keyids"]) targets["delegations"]["keys"][id.get<std::string>()] = repo.root["keys"][id.get<std::string>()];
  targets["delegations"]["roles"].push_back({{"name", channel},
                                             {"keyids", role["keyids"]},
                                             {"threshold", role["threshold"]},
                                             {"paths", {channel + "/*"}},
                                             {"terminating", true}});
  return targets;
}

}  // namespace

Result<PublishSummary> Publish(const PublishOptions& o, const Keyring& keys) {
  if (Status s = CheckChannelName(o.channel); !s) return s.error();
  Result<FileLock> lock = LockRepo(o.dir);
  if (!lock) return lock.error();
  Result<Repo> repo = LoadRepo(o.dir);
  if (!repo) return repo.error();
  if (Status s = CheckRootFresh(*repo); !s) return s.error();
  Result<std::vector<NewBundle>> bundles = ReadDist(o.dist);
  if (!bundles) return bundles.error();
  const bundle::Manifest& first = (*bundles)[0].manifest;
  Change change(*repo, keys);
  bool new_channel = !repo->channels.count(o.channel);
  if (new_channel) {
    if (Status s = change.SetTargets(WithChannel(*repo, o.channel)); !s) return s.error();
  }
  Result<RoleTrust> trust = TrustOf(*repo, o.channel);
  if (!trust) return trust.error();
  Result<std::vector<const RoleKey*>> channel_keys = keys.For(*trust, o.channel);
  if (!channel_keys) return channel_keys.error();
  Json channel = new_channel ? NewSigned("targets", 1, 0) : repo->channels[o.channel];
  if (new_channel) channel["targets"] = Json::object();
  Result<std::map<std::string, TargetFile>> existing = ReadTargets(channel, o.channel + ".json");
  if (!existing) return existing.error();
  std::vector<Release> previous = ReleasesOf(*existing);
  for (const Release& r : previous) {
    if (r.app == first.app && r.version == first.version)
      return Error{first.app + " " + first.version + " is already in channel " + o.channel +
                   "; a release is published once (bump the version, or `rollout --revert` to go back)"};
  }
  PublishSummary summary{first.app, first.version};
  Rollout rollout{o.basis_points, o.channel + "/" + first.app + "/" + first.version, false, {}};
  std::vector<DeltaJob> jobs;
  for (const NewBundle& b : *bundles) {
    TargetFile target;
    target.path = o.channel + "/" + b.manifest.app + "-" + b.manifest.version + "-" + b.manifest.variant + ".wsb";
    target.length = b.bytes.size();
    target.sha256 = Sha256Hex(b.bytes);
    target.custom = CustomOf(b.manifest, "full");
    target.custom["rollout"] = RolloutJson(rollout);
    channel["targets"][target.path] = TargetJson(target);
    change.AddTargetFile(HashedTargetPath(target.path, target.sha256), b.bytes);
    ++summary.bundles;
    summary.bytes += b.bytes.size();
    int taken = 0;
    for (const Release& r : previous) {
      if (r.app != first.app || taken >= o.delta_releases) continue;
      ++taken;
      for (const TargetFile* from : r.full) {
        if (from->custom.value("variant", "") == b.manifest.variant) jobs.push_back({&b, from});
      }
    }
  }
  // Each delta is one zstd compression at level 19: run them side by side,
  // as many at once as there are cores (each holds its window in memory).
  size_t width = std::max(2u, std::thread::hardware_concurrency());
  for (size_t start = 0; start < jobs.size(); start += width) {
    std::vector<std::future<Result<std::pair<std::string, TargetFile>>>> futures;
    for (size_t i = start; i < std::min(jobs.size(), start + width); ++i)
      futures.push_back(std::async(std::launch::async, MakeDelta, jobs[i], o.dir, o.channel, (*channel_keys)[0]));
    for (auto& future : futures) {
      Result<std::pair<std::string, TargetFile>> delta = future.get();
      if (!delta) return delta.error();
      channel["targets"][delta->second.path] = TargetJson(delta->second);
      change.AddTargetFile(HashedTargetPath(delta->second.path, delta->second.sha256), std::move(delta->first));
      ++summary.deltas;
      summary.bytes += delta->second.length;
    }
  }
  if (Status s = change.SetChannel(o.channel, channel); !s) return s.error();
  if (Status s = change.Commit(); !s) return s.error();
  summary.channel_version = repo->channels[o.channel]["version"];
  return summary;
}

}  // namespace ws::tuf
