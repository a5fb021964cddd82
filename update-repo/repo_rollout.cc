// `wasmship rollout` and `wasmship repo refresh`: new versions of a
// channel's role (rollout stage, halt, resume, revert) or of the timestamp.
// A revert withdraws the newer releases in a new, higher metadata version:
// devices never see metadata go backwards, and the withdrawn flag is what
// authorizes them to install an older app version.
#include "update-repo/releases.h"
#include "update-repo/repo_state.h"
#include "update-repo/repository.h"

namespace ws::tuf {

Result<std::string> ChangeRollout(const RolloutOptions& o, const Keyring& keys) {
  Result<FileLock> lock = LockRepo(o.dir);
  if (!lock) return lock.error();
  Result<Repo> repo = LoadRepo(o.dir);
  if (!repo) return repo.error();
  if (Status s = CheckRootFresh(*repo); !s) return s.error();
  if (!repo->channels.count(o.channel)) return Error{"the repository has no channel \"" + o.channel + "\""};
  Json channel = repo->channels[o.channel];
  Result<std::map<std::string, TargetFile>> targets = ReadTargets(channel, o.channel + ".json");
  if (!targets) return targets.error();
  std::vector<Release> releases = ReleasesOf(*targets);
  if (releases.empty()) return Error{"channel " + o.channel + " has no releases"};
  std::string summary;
  if (!o.revert.empty()) {
    bool found = false;
    for (const Release& r : releases) found = found || r.version == o.revert;
    if (!found) return Error{"channel " + o.channel + " has no release " + o.revert};
    for (const Release& r : releases) {
      if (CompareVersions(r.version, o.revert) <= 0) continue;
      for (const TargetFile* t : r.full) channel["targets"][t->path]["custom"]["withdrawn"] = true;
      summary += "withdrew " + r.version + "; ";
    }
    for (const Release& r : releases) {
      if (r.version != o.revert) continue;
      Rollout rollout = r.rollout;
      rollout.basis_points = 10000;
      rollout.halted = false;
      for (const TargetFile* t : r.full) {
        channel["targets"][t->path]["custom"]["rollout"] = RolloutJson(rollout);
        channel["targets"][t->path]["custom"]["withdrawn"] = false;
      }
    }
    summary += "devices go back to " + o.revert;
  } else {
    const Release* release = &releases[0];
    for (const Release& r : releases) {
      if (!o.version.empty() && r.version == o.version) release = &r;
    }
    if (!o.version.empty() && release->version != o.version)
      return Error{"channel " + o.channel + " has no release " + o.version};
    Rollout rollout = release->rollout;
    if (o.basis_points) rollout.basis_points = *o.basis_points;
    if (!o.devices.empty()) rollout.devices = o.devices;
    if (o.halt) rollout.halted = true;
    if (o.resume) rollout.halted = false;
    for (const TargetFile* t : release->full) channel["targets"][t->path]["custom"]["rollout"] = RolloutJson(rollout);
    summary = release->version + ": " + std::to_string(rollout.basis_points / 100) + "." +
              std::to_string(rollout.basis_points % 100 / 10) + "% of devices" +
              (rollout.devices.empty() ? "" : " and " + std::to_string(rollout.devices.size()) + " named") +
              (rollout.halted ? ", halted" : "");
  }
  Change change(*repo, keys);
  if (Status s = change.SetChannel(o.channel, channel); !s) return s.error();
  if (Status s = change.Commit(); !s) return s.error();
  return summary + " (" + o.channel + ".json version " + std::to_string(repo->channels[o.channel]["version"].get<int64_t>()) + ")";
}

Result<int64_t> RefreshTimestamp(const std::string& dir, const Keyring& keys) {
  Result<FileLock> lock = LockRepo(dir);
  if (!lock) return lock.error();
  Result<Repo> repo = LoadRepo(dir);
  if (!repo) return repo.error();
  Change change(*repo, keys);
  if (Status s = change.Commit(/*new_snapshot=*/false); !s) return s.error();
  return repo->timestamp["version"].get<int64_t>();
}

}  // namespace ws::tuf
