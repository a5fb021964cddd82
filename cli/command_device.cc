// wasmship device update|run|report: what a device's C++ layer does with an
// update repository (docs/update-repo.md). update: verify the TUF chain and
// install the bundle the device's rollout admits (exit 5 when refused,
// naming the attack); run: run the installed app and roll back to the last
// good one when a new app traps before it is marked good; report: the
// crash reports of rolled-back apps.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/device_run.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "update-repo/device_client.h"

namespace ws {
namespace {

int Update(const tuf::UpdateOptions& o, const GlobalOptions& global) {
  Result<tuf::UpdateOutcome, tuf::Refusal> result = tuf::UpdateDevice(o);
  if (!result) {
    const tuf::Refusal& r = result.error();
    if (r.refused)
      return Fail(global, kExitBundleInvalid, "update refused: " + r.message,
                  {"the installed app is unchanged; the repository (or the network path to it) is not to be trusted"});
    return Fail(global, kExitBuildError, "update failed: " + r.message, {"the installed app is unchanged"});
  }
  const tuf::UpdateOutcome& u = *result;
  if (global.quiet) return kExitOk;
  if (!u.updated) {
    std::cout << o.device_id << ": up to date" << (u.to_version.empty() ? " (nothing to install)" : " (" + u.to_version + ")") << "\n";
  } else {
    std::cout << o.device_id << ": " << (u.from_version.empty() ? "installed " : "updated " + u.from_version + " -> ")
              << u.to_version << (u.downgrade ? " (the channel withdrew " + u.from_version + ")" : "") << " from "
              << u.target << " (" << (u.delta ? "delta, " : "") << u.bytes << " bytes)\n";
  }
  return kExitOk;
}

}  // namespace

Command AddDeviceCommand(CLI::App& parent, const GlobalOptions& global) {
  auto update_options = std::make_shared<tuf::UpdateOptions>();
  auto run_options = std::make_shared<DeviceRunFlags>();
  CLI::App* app = parent.add_subcommand("device", "Act as a device: update from a repository, run, report crashes");
  app->require_subcommand(1);
  CLI::App* update = app->add_subcommand("update", "Fetch, verify (TUF) and install the device's bundle");
  update->add_option("--repo", update_options->repo, "The update repository: a directory or an http(s) URL")
      ->required()->option_text("DIR|URL");
  update->add_option("--device", update_options->device, "The device class (devices.yaml's name)")->required()->option_text("D");
  update->add_option("--device-id", update_options->device_id, "This device's id (its rollout bucket)")->required()->option_text("ID");
  update->add_option("--state", update_options->state_dir, "The device's state directory")->required()->option_text("DIR");
  update->add_option("--trusted-root", update_options->trusted_root, "The root metadata the device ships with (1.root.json)")
      ->option_text("ROOT.json");
  update->add_option("--channel", update_options->channel, "The channel to follow (default stable)")->option_text("NAME");
  CLI::App* run = app->add_subcommand("run", "Run the installed app; roll back a new one that traps before it is good");
  run->add_option("--state", run_options->state_dir)->required()->option_text("DIR");
  run->add_option("--frames", run_options->frames, "Frames to run (default 120)")->option_text("N");
  run->add_option("--good-after", run_options->good_after, "Frames without a trap that mark a new app good (default 60)")
      ->option_text("N");
  run->add_option("--engine", run_options->engine, "interp or aot")->option_text("E");
  CLI::App* report = app->add_subcommand("report", "Print the device's crash reports");
  report->add_option("--state", run_options->report_dirs, "A state directory (repeat for a fleet)")
      ->required()->option_text("DIR");
  report->add_option("--format", run_options->format, "text or json")->option_text("text|json");
  return {app, [=, &global] {
            if (update->parsed()) return Update(*update_options, global);
            if (run->parsed()) return RunDevice(*run_options, global);
            if (report->parsed()) return ReportDevice(*run_options, global);
            return static_cast<int>(kExitUsage);
          }};
}

}  // namespace ws
