// Loading the --key files of the repository commands (repo, publish,
// rollout): each a PEM secret key as `wasmship keygen` writes it.
#pragma once

#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "update-repo/repo_state.h"

namespace ws {

Result<std::vector<tuf::RoleKey>> LoadRoleKeys(const std::vector<std::string>& paths);
Result<tuf::Keyring> LoadKeyring(const std::vector<std::string>& paths);

}  // namespace ws
