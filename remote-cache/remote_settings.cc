// Where the remote cache's settings come from (remote_cache.h):
// wasmship.yaml, then the environment.
#include <algorithm>
#include <cctype>

#include "remote-cache/remote_cache.h"
#include "remote-cache/remote_url.h"

namespace ws {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

Result<bool> ParseFlag(const std::string& name, const std::string& value) {
  std::string v = Lower(value);
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  return Error{name + "='" + value + "': expected 1 or 0 (true/false, yes/no, on/off)"};
}

}  // namespace

Result<std::optional<RemoteCacheSettings>> ResolveRemoteCacheSettings(const RemoteCacheManifest& manifest,
                                                                      const char* env_remote,
                                                                      const char* env_read_only) {
  std::optional<std::string> url = manifest.remote;
  std::string where = manifest.remote_where.empty() ? "wasmship.yaml" : manifest.remote_where;
  if (env_remote != nullptr) {
    std::string value = env_remote;
    std::string lowered = Lower(value);
    url = (value.empty() || lowered == "off" || lowered == "none") ? std::nullopt : std::optional(value);
    where = "WASMSHIP_REMOTE_CACHE";
  }
  bool read_only = manifest.remote_read_only.value_or(false);
  if (env_read_only != nullptr) {
    Result<bool> flag = ParseFlag("WASMSHIP_REMOTE_CACHE_READ_ONLY", env_read_only);
    if (!flag) return flag.error();
    read_only = *flag;
  }
  if (!url) return std::optional<RemoteCacheSettings>();
  // Checked here so that the message says where the URL came from.
  Result<remote::RemoteUrl> parsed = remote::ParseRemoteUrl(*url);
  if (!parsed) return Error{where + ": " + parsed.error().message};
  RemoteCacheSettings settings;
  settings.url = *url;
  settings.read_only = read_only;
  return std::optional(settings);
}

}  // namespace ws
