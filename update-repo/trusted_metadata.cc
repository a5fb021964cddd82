#include "update-repo/trusted_metadata.h"

#include <filesystem>

#include "platform/atomic_file.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

// Caps on metadata a device downloads before any signature is checked; the
// snapshot and targets roles get the exact length when the role above names it.
constexpr uint64_t kMaxRootBytes = 512 << 10;
constexpr uint64_t kMaxTimestampBytes = 16 << 10;
constexpr uint64_t kMaxSnapshotBytes = 4 << 20;
constexpr uint64_t kMaxTargetsBytes = 16 << 20;
constexpr int kMaxRootRotations = 256;

Refusal Refuse(std::string message) { return Refusal{true, std::move(message)}; }

Refusal FromFetch(const FetchError& e, const std::string& what) {
  if (e.kind == FetchError::kTooLarge) return Refuse("endless data attack: " + what + ": " + e.message);
  return Refusal{false, "cannot fetch " + what + ": " + e.message};
}

Result<Json, Refusal> Envelope(const std::string& text, const std::string& name) {
  Result<Json> j = ParseJson(text, name);
  if (!j) return Refuse(j.error().message);
  if (!j->is_object() || !j->contains("signed") || !j->contains("signatures"))
    return Refuse(name + ": malformed metadata: no \"signed\" and \"signatures\"");
  return std::move(*j);
}

Result<Header, Refusal> HeaderOf(const Json& envelope, const std::string& type, const std::string& name) {
  Result<Header> h = ReadHeader(envelope["signed"], type, name);
  if (!h) return Refuse(h.error().message);
  return *h;
}

Checked Verified(const Json& envelope, const Json& keys, const Json& role, const std::string& name) {
  Result<RoleTrust> trust = ReadRoleTrust(role, name);
  if (!trust) return Refuse(trust.error().message);
  if (Status s = VerifyThreshold(envelope, keys, *trust, name); !s) return Refuse(s.error().message);
  return {};
}

Checked Fresh(const Header& h, const std::string& name) {
  if (h.expires <= Now())
    return Refuse("freeze attack: " + name + " expired at " + FormatTime(h.expires) + " (the device's clock reads " +
                  FormatTime(Now()) + ")");
  return {};
}

}  // namespace

std::optional<Json> TrustedMetadata::Trusted(const std::string& name) const {
  std::string path = (fs::path(dir_) / name).string();
  if (!fs::exists(path)) return std::nullopt;
  Result<std::string> text = ReadFile(path, kStateFile);
  if (!text) return std::nullopt;
  Result<Json> j = ParseJson(*text, path);
  if (!j || !j->is_object() || !j->contains("signed")) return std::nullopt;
  return (*j)["signed"];
}

Checked TrustedMetadata::Persist(const std::string& name, const std::string& text) {
  if (Status s = WriteFileAtomically((fs::path(dir_) / name).string(), text); !s)
    return Refusal{false, "cannot save trusted metadata: " + s.error().message};
  return {};
}

Checked TrustedMetadata::Load(const std::string& dir, const std::string& initial_root) {
  dir_ = dir;
  if (std::optional<Json> root = Trusted("root.json")) {
    root_ = *root;
  } else {
    if (initial_root.empty()) return Refusal{false, "no trusted root: give --trusted-root ROOT.json (the repository's 1.root.json, shipped with the device)"};
    Result<std::string> text = ReadFile(initial_root, kStateFile);
    if (!text) return Refusal{false, text.error().message};
    Result<Json, Refusal> envelope = Envelope(*text, initial_root);
    if (!envelope) return envelope.error();
    Result<Header, Refusal> h = HeaderOf(*envelope, "root", initial_root);
    if (!h) return h.error();
    const Json& s = (*envelope)["signed"];
    if (Checked c = Verified(*envelope, s["keys"], s["roles"]["root"], initial_root); !c) return c;
    if (Status made = MakeDirectories(dir_); !made) return Refusal{false, made.error().message};
    if (Checked c = Persist("root.json", *text); !c) return c;
    root_ = s;
  }
  if (std::optional<Json> t = Trusted("timestamp.json")) timestamp_ = *t;
  if (std::optional<Json> s = Trusted("snapshot.json")) snapshot_ = *s;
  return {};
}

Checked TrustedMetadata::UpdateRoot(Fetcher& fetcher) {
  Json original_roles = root_["roles"];
  for (int i = 0; i < kMaxRootRotations; ++i) {
    int64_t next = root_["version"].get<int64_t>() + 1;
    std::string name = VersionedName(next, "root");
    Result<std::string, FetchError> text = fetcher.Fetch(name, kMaxRootBytes);
    if (!text && text.error().kind == FetchError::kNotFound) break;
    if (!text) return FromFetch(text.error(), name);
    Result<Json, Refusal> envelope = Envelope(*text, name);
    if (!envelope) return envelope.error();
    // The trusted root's threshold, then the new root's own.
    if (Checked c = Verified(*envelope, root_["keys"], root_["roles"]["root"], name + " (by the trusted root's keys)"); !c) return c;
    Result<Header, Refusal> h = HeaderOf(*envelope, "root", name);
    if (!h) return h.error();
    const Json& s = (*envelope)["signed"];
    if (Checked c = Verified(*envelope, s["keys"], s["roles"]["root"], name + " (by its own root keys)"); !c) return c;
    if (h->version != next)
      return Refuse("rollback attack: " + name + " holds root version " + std::to_string(h->version) + ", not " +
                    std::to_string(next));
    if (Checked c = Persist("root.json", *text); !c) return c;
    root_ = s;
  }
  Result<Header> h = ReadHeader(root_, "root", "root.json");
  if (!h) return Refuse(h.error().message);
  if (Checked c = Fresh(*h, "root.json"); !c) return c;
  // New timestamp or snapshot keys: forget what the old ones signed, so a
  // fast-forward attack with a compromised key cannot pin the device (5.3.11).
  for (const char* role : {"timestamp", "snapshot"}) {
    if (original_roles[role] != root_["roles"][role]) {
      std::error_code ec;
      fs::remove(fs::path(dir_) / "timestamp.json", ec);
      timestamp_ = Json();
      if (std::string(role) == "snapshot") {
        fs::remove(fs::path(dir_) / "snapshot.json", ec);
        snapshot_ = Json();
      }
    }
  }
  return {};
}

Checked TrustedMetadata::UpdateTimestamp(Fetcher& fetcher) {
  Result<std::string, FetchError> text = fetcher.Fetch("timestamp.json", kMaxTimestampBytes);
  if (!text) return FromFetch(text.error(), "timestamp.json");
  Result<Json, Refusal> envelope = Envelope(*text, "timestamp.json");
  if (!envelope) return envelope.error();
  if (Checked c = Verified(*envelope, root_["keys"], root_["roles"]["timestamp"], "timestamp.json"); !c) return c;
  Result<Header, Refusal> h = HeaderOf(*envelope, "timestamp", "timestamp.json");
  if (!h) return h.error();
  const Json& s = (*envelope)["signed"];
  Result<MetaFile> snap = ReadMetaFile(s["meta"], "snapshot.json", "timestamp.json");
  if (!snap) return Refuse(snap.error().message);
  if (timestamp_.is_object()) {
    int64_t trusted = timestamp_["version"];
    if (h->version < trusted)
      return Refuse("rollback attack: timestamp.json is version " + std::to_string(h->version) +
                    ", older than the trusted version " + std::to_string(trusted));
    int64_t trusted_snap = timestamp_["meta"]["snapshot.json"]["version"];
    if (snap->version < trusted_snap)
      return Refuse("rollback attack: timestamp.json names snapshot version " + std::to_string(snap->version) +
                    ", older than the trusted " + std::to_string(trusted_snap));
  }
  if (Checked c = Fresh(*h, "timestamp.json"); !c) return c;
  if (Checked c = Persist("timestamp.json", *text); !c) return c;
  timestamp_ = s;
  return {};
}

Checked TrustedMetadata::UpdateSnapshot(Fetcher& fetcher) {
  MetaFile meta = *ReadMetaFile(timestamp_["meta"], "snapshot.json", "timestamp.json");
  std::string name = VersionedName(meta.version, "snapshot");
  Result<std::string, FetchError> text = fetcher.Fetch(name, meta.length.value_or(kMaxSnapshotBytes));
  if (!text) return FromFetch(text.error(), name);
  if ((meta.length && text->size() != *meta.length) || (meta.sha256 && Sha256Hex(*text) != *meta.sha256))
    return Refuse("mix-and-match attack: " + name + " is not the snapshot timestamp.json names (length or sha256 differs)");
  Result<Json, Refusal> envelope = Envelope(*text, name);
  if (!envelope) return envelope.error();
  if (Checked c = Verified(*envelope, root_["keys"], root_["roles"]["snapshot"], name); !c) return c;
  Result<Header, Refusal> h = HeaderOf(*envelope, "snapshot", name);
  if (!h) return h.error();
  if (h->version != meta.version)
    return Refuse("mix-and-match attack: " + name + " is snapshot version " + std::to_string(h->version) +
                  ", timestamp.json names " + std::to_string(meta.version));
  const Json& s = (*envelope)["signed"];
  if (snapshot_.is_object() && snapshot_.contains("meta")) {
    for (const auto& [file, old] : snapshot_["meta"].items()) {
      Result<MetaFile> now = ReadMetaFile(s["meta"], file, name);
      if (!now) return Refuse("rollback attack: " + name + " no longer lists " + file);
      if (now->version < old["version"].get<int64_t>())
        return Refuse("rollback attack: " + name + " names " + file + " version " + std::to_string(now->version) +
                      ", older than the trusted " + std::to_string(old["version"].get<int64_t>()));
    }
  }
  if (Checked c = Fresh(*h, name); !c) return c;
  if (Checked c = Persist("snapshot.json", *text); !c) return c;
  snapshot_ = s;
  return {};
}

Result<Json, Refusal> TrustedMetadata::UpdateTargetsRole(Fetcher& fetcher, const std::string& role, const Json& keys,
                                                         const RoleTrust& trust) {
  Result<MetaFile> meta = ReadMetaFile(snapshot_["meta"], role + ".json", "snapshot.json");
  if (!meta) return Refuse("the repository has no " + role + " role in its snapshot (" + meta.error().message + ")");
  std::string name = VersionedName(meta->version, role);
  Result<std::string, FetchError> text = fetcher.Fetch(name, meta->length.value_or(kMaxTargetsBytes));
  if (!text) return FromFetch(text.error(), name);
  if (meta->sha256 && Sha256Hex(*text) != *meta->sha256)
    return Refuse("mix-and-match attack: " + name + " is not the file snapshot.json names (sha256 differs)");
  Result<Json, Refusal> envelope = Envelope(*text, name);
  if (!envelope) return envelope.error();
  if (Status s = VerifyThreshold(*envelope, keys, trust, name); !s) return Refuse(s.error().message);
  Result<Header, Refusal> h = HeaderOf(*envelope, "targets", name);
  if (!h) return h.error();
  if (h->version != meta->version)
    return Refuse("mix-and-match attack: " + name + " is " + role + " version " + std::to_string(h->version) +
                  ", snapshot.json names " + std::to_string(meta->version));
  if (std::optional<Json> old = Trusted(role + ".json"); old && (*old)["version"].get<int64_t>() > h->version)
    return Refuse("rollback attack: " + name + " is version " + std::to_string(h->version) + ", older than the trusted " +
                  std::to_string((*old)["version"].get<int64_t>()));
  if (Checked c = Fresh(*h, name); !c) return c.error();
  if (Checked c = Persist(role + ".json", *text); !c) return c.error();
  return (*envelope)["signed"];
}

Checked TrustedMetadata::Refresh(Fetcher& fetcher, const std::string& channel) {
  if (Checked c = UpdateRoot(fetcher); !c) return c;
  if (Checked c = UpdateTimestamp(fetcher); !c) return c;
  if (Checked c = UpdateSnapshot(fetcher); !c) return c;
  Result<RoleTrust> targets_trust = ReadRoleTrust(root_["roles"]["targets"], "root.json roles.targets");
  if (!targets_trust) return Refuse(targets_trust.error().message);
  Result<Json, Refusal> targets = UpdateTargetsRole(fetcher, "targets", root_["keys"], *targets_trust);
  if (!targets) return targets.error();
  const Json* delegation = nullptr;
  if (targets->contains("delegations") && (*targets)["delegations"].contains("roles")) {
    for (const Json& d : (*targets)["delegations"]["roles"]) {
      if (d.value("name", "") == channel) delegation = &d;
    }
  }
  if (delegation == nullptr) return Refusal{false, "the repository has no channel \"" + channel + "\""};
  Result<RoleTrust> trust = ReadRoleTrust(*delegation, "delegation " + channel);
  if (!trust) return Refuse(trust.error().message);
  Result<Json, Refusal> role = UpdateTargetsRole(fetcher, channel, (*targets)["delegations"]["keys"], *trust);
  if (!role) return role.error();
  Result<std::map<std::string, TargetFile>> listed = ReadTargets(*role, channel + ".json");
  if (!listed) return Refuse(listed.error().message);
  for (const auto& [path, target] : *listed) {
    if (path.rfind(channel + "/", 0) != 0)
      return Refuse("arbitrary software attack: " + channel + ".json lists " + path + ", outside the paths " + channel +
                    "/* it is trusted for");
  }
  channel_targets_ = std::move(*listed);
  return {};
}

}  // namespace ws::tuf
