#include "cli/repo_keys.h"

namespace ws {

Result<std::vector<tuf::RoleKey>> LoadRoleKeys(const std::vector<std::string>& paths) {
  std::vector<tuf::RoleKey> keys;
  for (const std::string& path : paths) {
    Result<tuf::RoleKey> key = tuf::LoadRoleKey(path);
    if (!key) return key.error();
    keys.push_back(std::move(*key));
  }
  return keys;
}

Result<tuf::Keyring> LoadKeyring(const std::vector<std::string>& paths) {
  if (paths.empty()) return Error{"no --key given: the command signs metadata and needs the role's secret key"};
  tuf::Keyring ring;
  if (Status s = ring.Load(paths); !s) return s.error();
  return ring;
}

}  // namespace ws
