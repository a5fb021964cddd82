// wasmship repo init|refresh|rotate-key: the update repository's roles and
// keys (docs/update-repo.md). Publishing is `wasmship publish`, rollouts
// `wasmship rollout`.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/repo_keys.h"
#include "update-repo/repository.h"

namespace ws {
namespace {

struct RepoFlags {
  std::string dir, role;
  std::vector<std::string> keys, root_keys, new_keys;
  std::string targets_key, snapshot_key, timestamp_key;
  int threshold = 1;
};

int Init(const RepoFlags& f, const GlobalOptions& global) {
  std::vector<std::string> root = f.root_keys.empty() ? f.keys : f.root_keys;
  auto role = [&](const std::string& one) { return one.empty() ? f.keys : std::vector<std::string>{one}; };
  tuf::InitOptions o;
  o.dir = f.dir;
  o.root_threshold = f.threshold;
  for (auto [paths, out] : {std::pair{root, &o.root_keys}, std::pair{role(f.targets_key), &o.targets_keys},
                            std::pair{role(f.snapshot_key), &o.snapshot_keys}, std::pair{role(f.timestamp_key), &o.timestamp_keys}}) {
    if (paths.empty())
      return Fail(global, kExitUsage, "a role has no key", {"give --key K (every role) or a key for each role"});
    Result<std::vector<tuf::RoleKey>> keys = LoadRoleKeys(paths);
    if (!keys) return Fail(global, kExitUsage, keys.error().message);
    *out = std::move(*keys);
  }
  if (f.root_keys.empty() && f.targets_key.empty() && f.snapshot_key.empty() && f.timestamp_key.empty() && !global.quiet)
    PrintDiagnostics(global, {{Level::kWarning, "one key signs every role of " + f.dir, {},
                               {"fine for a quick start; real setups give root an offline key (or several with "
                                "--threshold) and targets, snapshot and timestamp keys of their own"}}});
  if (Status s = tuf::InitRepository(o); !s) return Fail(global, kExitUsage, s.error().message);
  if (!global.quiet)
    std::cout << "created the update repository " << f.dir << " (root version 1; give devices " << f.dir
              << "/1.root.json as their --trusted-root)\n";
  return kExitOk;
}

int Refresh(const RepoFlags& f, const GlobalOptions& global) {
  Result<tuf::Keyring> ring = LoadKeyring(f.keys);
  if (!ring) return Fail(global, kExitUsage, ring.error().message);
  Result<int64_t> version = tuf::RefreshTimestamp(f.dir, *ring);
  if (!version) return Fail(global, kExitUsage, version.error().message);
  if (!global.quiet) std::cout << f.dir << ": timestamp version " << *version << "\n";
  return kExitOk;
}

int Rotate(const RepoFlags& f, const GlobalOptions& global) {
  Result<tuf::Keyring> ring = LoadKeyring(f.keys);
  if (!ring) return Fail(global, kExitUsage, ring.error().message);
  Result<std::vector<tuf::RoleKey>> fresh = LoadRoleKeys(f.new_keys);
  if (!fresh) return Fail(global, kExitUsage, fresh.error().message);
  Result<int64_t> version = tuf::RotateKey(f.dir, f.role, *fresh, f.threshold, *ring);
  if (!version) return Fail(global, kExitUsage, version.error().message);
  if (!global.quiet) std::cout << f.dir << ": root version " << *version << " trusts the new " << f.role << " keys\n";
  return kExitOk;
}

}  // namespace

Command AddRepoCommand(CLI::App& parent, const GlobalOptions& global) {
  auto f = std::make_shared<RepoFlags>();
  CLI::App* app = parent.add_subcommand("repo", "Create and maintain a signed (TUF) update repository");
  app->require_subcommand(1);
  CLI::App* init = app->add_subcommand("init", "Create a repository: version 1 of root, targets, snapshot, timestamp");
  init->add_option("DIR", f->dir, "The repository directory (absent or empty)")->required();
  init->add_option("--key", f->keys, "Secret key for every role not given its own")->option_text("K");
  init->add_option("--root-key", f->root_keys, "A root key (repeat for several)")->option_text("K");
  init->add_option("--threshold", f->threshold, "Root signatures required")->option_text("N");
  init->add_option("--targets-key", f->targets_key, "The targets role's key")->option_text("K");
  init->add_option("--snapshot-key", f->snapshot_key, "The snapshot role's key")->option_text("K");
  init->add_option("--timestamp-key", f->timestamp_key, "The timestamp role's key")->option_text("K");
  CLI::App* refresh = app->add_subcommand("refresh", "Sign a new timestamp (run it from cron, well within 7 days)");
  refresh->add_option("DIR", f->dir)->required();
  refresh->add_option("--key", f->keys, "The timestamp key")->option_text("K")->required();
  CLI::App* rotate = app->add_subcommand("rotate-key", "A new root version in which ROLE trusts new keys");
  rotate->add_option("DIR", f->dir)->required();
  rotate->add_option("ROLE", f->role, "root, targets, snapshot or timestamp")->required();
  rotate->add_option("--key", f->keys, "The current root keys (threshold), and keys of roles to re-sign")
      ->option_text("K")->required();
  rotate->add_option("--new-key", f->new_keys, "The role's new key (repeat for several)")->option_text("K")->required();
  rotate->add_option("--threshold", f->threshold, "Signatures the role requires from now on")->option_text("N");
  return {app, [f, init, refresh, rotate, &global] {
            if (init->parsed()) return Init(*f, global);
            if (refresh->parsed()) return Refresh(*f, global);
            if (rotate->parsed()) return Rotate(*f, global);
            return static_cast<int>(kExitUsage);
          }};
}

}  // namespace ws
