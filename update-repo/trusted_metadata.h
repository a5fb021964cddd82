// The device side of TUF 1.0's client workflow (the specification's section
// 5): the root chain version by version, then timestamp, snapshot, targets
// and the channel's delegated role, each checked for signatures (threshold),
// rollback (versions never go down), freeze (expiry) and mix-and-match
// (versions and hashes must be the ones the role above names), and each
// persisted to the state's tuf/ once it passed. An error's message starts
// with the attack or fault it refuses ("rollback attack: ...").
#pragma once

#include <map>
#include <string>

#include "update-repo/canonical_json.h"
#include "update-repo/fetcher.h"
#include "update-repo/metadata.h"

namespace ws::tuf {

struct Refusal {
  bool refused = true;  // false: a failure that is no attack (network, disk)
  std::string message;
};

using Checked = Result<void, Refusal>;

class TrustedMetadata {
 public:
  // `dir`: the state's tuf/ directory; `initial_root`: the root the device
  // was given, used when tuf/ holds none yet.
  Checked Load(const std::string& dir, const std::string& initial_root);
  Checked Refresh(Fetcher& fetcher, const std::string& channel);

  const std::map<std::string, TargetFile>& channel_targets() const { return channel_targets_; }

 private:
  Checked UpdateRoot(Fetcher& fetcher);
  Checked UpdateTimestamp(Fetcher& fetcher);
  Checked UpdateSnapshot(Fetcher& fetcher);
  Result<Json, Refusal> UpdateTargetsRole(Fetcher& fetcher, const std::string& role, const Json& keys,
                                          const RoleTrust& trust);
  Checked Persist(const std::string& name, const std::string& text);
  std::optional<Json> Trusted(const std::string& name) const;

  std::string dir_;
  Json root_;  // "signed" parts
  Json timestamp_, snapshot_;
  std::map<std::string, TargetFile> channel_targets_;
};

}  // namespace ws::tuf
