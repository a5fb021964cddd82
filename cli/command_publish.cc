// wasmship publish: a release build's bundles into a channel of the update
// repository, with deltas from the channel's previous releases.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/repo_keys.h"
#include "update-repo/repository.h"

namespace ws {
namespace {

struct PublishFlags {
  std::string dir, channel, dist = "dist";
  std::vector<std::string> keys;
  double percent = 100;
  int deltas = 3;
};

int RunPublish(const PublishFlags& f, const GlobalOptions& global) {
  auto start = std::chrono::steady_clock::now();
  Result<tuf::Keyring> ring = LoadKeyring(f.keys);
  if (!ring) return Fail(global, kExitUsage, ring.error().message);
  if (f.percent < 0 || f.percent > 100) return Fail(global, kExitUsage, "--percent must be within 0..100");
  tuf::PublishOptions o{f.dir, f.channel, f.dist, static_cast<int>(f.percent * 100 + 0.5), f.deltas};
  Result<tuf::PublishSummary> s = tuf::Publish(o, *ring);
  if (!s) return Fail(global, kExitUsage, s.error().message);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!global.quiet)
    std::cout << "published " << s->app << " " << s->version << " to " << f.channel << ": " << s->bundles
              << " bundles, " << s->deltas << " deltas, " << s->bytes << " bytes (" << f.channel << ".json version "
              << s->channel_version << ", " << static_cast<int>(ms) << " ms)\n";
  return kExitOk;
}

}  // namespace

Command AddPublishCommand(CLI::App& parent, const GlobalOptions& global) {
  auto f = std::make_shared<PublishFlags>();
  CLI::App* app = parent.add_subcommand("publish", "Publish a release build's bundles to a channel of an update repository");
  app->add_option("--repo", f->dir, "The update repository")->required()->option_text("DIR");
  app->add_option("--channel", f->channel, "The channel (beta, stable, ...)")->required()->option_text("NAME");
  app->add_option("--dist", f->dist, "The release build's output (default: dist)")->option_text("DIR");
  app->add_option("--key", f->keys, "Secret keys: the channel's, snapshot's and timestamp's (and targets' for a new channel)")
      ->option_text("K")->required();
  app->add_option("--percent", f->percent, "The first rollout stage (default 100)")->option_text("P");
  app->add_option("--deltas", f->deltas, "Deltas from this many previous releases (default 3)")->option_text("N");
  return {app, [f, &global] { return RunPublish(*f, global); }};
}

}  // namespace ws
