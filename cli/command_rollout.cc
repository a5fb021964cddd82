// wasmship rollout: the stage of a channel's newest release (--percent,
// --devices), --halt and --resume, or --revert VERSION (withdraws every newer
// release in a new metadata version).
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/repo_keys.h"
#include "update-repo/repository.h"

namespace ws {
namespace {

struct RolloutFlags {
  tuf::RolloutOptions options;
  std::vector<std::string> keys;
  double percent = -1;
  std::string devices;
};

int RunRollout(RolloutFlags f, const GlobalOptions& global) {
  int actions = (f.percent >= 0 || !f.devices.empty()) + f.options.halt + f.options.resume + !f.options.revert.empty();
  if (actions != 1 && !(f.options.resume && f.percent >= 0))
    return Fail(global, kExitUsage, "give one of --percent P [--devices D,..], --halt, --resume or --revert VERSION");
  if (f.percent > 100) return Fail(global, kExitUsage, "--percent must be within 0..100");
  if (f.percent >= 0) f.options.basis_points = static_cast<int>(f.percent * 100 + 0.5);
  std::stringstream list(f.devices);
  for (std::string id; std::getline(list, id, ',');) {
    if (!id.empty()) f.options.devices.push_back(id);
  }
  Result<tuf::Keyring> ring = LoadKeyring(f.keys);
  if (!ring) return Fail(global, kExitUsage, ring.error().message);
  Result<std::string> summary = tuf::ChangeRollout(f.options, *ring);
  if (!summary) return Fail(global, kExitUsage, summary.error().message);
  if (!global.quiet) std::cout << f.options.channel << ": " << *summary << "\n";
  return kExitOk;
}

}  // namespace

Command AddRolloutCommand(CLI::App& parent, const GlobalOptions& global) {
  auto f = std::make_shared<RolloutFlags>();
  CLI::App* app = parent.add_subcommand("rollout", "Stage, halt, resume or revert a channel's release");
  app->add_option("--repo", f->options.dir, "The update repository")->required()->option_text("DIR");
  app->add_option("--channel", f->options.channel)->required()->option_text("NAME");
  app->add_option("--release", f->options.version, "The release to stage (default: the newest)")->option_text("VERSION");
  app->add_option("--percent", f->percent, "Share of devices admitted (sticky buckets)")->option_text("P");
  app->add_option("--devices", f->devices, "Device ids admitted whatever their bucket")->option_text("D1,D2");
  app->add_flag("--halt", f->options.halt, "No device starts the release; devices on it stay");
  app->add_flag("--resume", f->options.resume, "Undo --halt");
  app->add_option("--revert", f->options.revert, "Withdraw every release newer than VERSION")->option_text("VERSION");
  app->add_option("--key", f->keys, "The channel's, snapshot's and timestamp's secret keys")->option_text("K")->required();
  return {app, [f, &global] { return RunRollout(*f, global); }};
}

}  // namespace ws
