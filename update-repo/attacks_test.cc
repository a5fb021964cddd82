// Every attack of TUF's threat model that the issue lists, each served to a
// device by an attacker's mirror of a real repository, and each refused
// with its name (exit 5 in the CLI). The installed app never changes.
#include <gtest/gtest.h>

#include "update-repo/device_state.h"
#include "update-repo/repo_test_support.h"

namespace ws::tuf {
namespace {

using testing::ScratchRepo;

void ExpectRefused(const Result<UpdateOutcome, Refusal>& result, const std::string& attack) {
  ASSERT_FALSE(result.ok()) << "accepted; expected " << attack;
  EXPECT_TRUE(result.error().refused) << result.error().message;
  EXPECT_EQ(result.error().message.rfind(attack + ": ", 0), 0u) << result.error().message;
}

std::string Read(const std::string& path) { return *ReadFile(path, kStateFile); }
void Write(const std::string& path, const std::string& text) { ASSERT_TRUE(WriteFileAtomically(path, text).ok()); }

// The path of a channel target's file in `repo`.
std::string TargetPath(const std::string& repo, const std::string& target) {
  Result<Repo> r = LoadRepo(repo);
  const Json& t = r->channels["stable"]["targets"][target];
  return repo + "/targets/" + HashedTargetPath(target, t["hashes"]["sha256"]);
}

// The installed version after an update attempt: the attack changed nothing.
std::string Installed(const ScratchRepo& r, const std::string& state) {
  Result<DeviceState> s = LoadDeviceState(r.path(state));
  return s.ok() && s->current ? s->current->version : "";
}

TEST(UpdateAttacks, RollbackToOlderMetadataIsRefused) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string old = r.Snapshot("old");
  r.MustPublish("1.1.0");
  ASSERT_TRUE(r.Update("tv-2019", "a", "state").ok());
  ExpectRefused(r.Update("tv-2019", "a", "state", old), "rollback attack");
  EXPECT_EQ(Installed(r, "state"), "1.1.0");
}

TEST(UpdateAttacks, RollbackToAnOlderAppVersionIsRefused) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  r.MustPublish("2.0.0");
  ASSERT_TRUE(r.Update("tv-2019", "a", "state").ok());
  // Validly signed, newer metadata that no longer lists 2.0.0 (and does not withdraw it).
  Result<Repo> repo = LoadRepo(r.repo());
  Json channel = repo->channels["stable"];
  for (auto it = channel["targets"].begin(); it != channel["targets"].end();) {
    if (it.value()["custom"]["version"] == "2.0.0") it = channel["targets"].erase(it);
    else ++it;
  }
  Change change(*repo, r.ring());
  ASSERT_TRUE(change.SetChannel("stable", channel).ok());
  ASSERT_TRUE(change.Commit().ok());
  ExpectRefused(r.Update("tv-2019", "a", "state"), "rollback attack");
  EXPECT_EQ(Installed(r, "state"), "2.0.0");
}

TEST(UpdateAttacks, ExpiredTimestampIsAFreeze) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  setenv("WASMSHIP_NOW", std::to_string(Now() + 8 * kDay).c_str(), 1);  // the timestamp lives 7 days
  auto result = r.Update("tv-2019", "a", "state");
  unsetenv("WASMSHIP_NOW");
  ExpectRefused(result, "freeze attack");
  EXPECT_EQ(Installed(r, "state"), "");
}

TEST(UpdateAttacks, ChannelMetadataOfAnotherSnapshotIsMixAndMatch) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  r.MustPublish("1.1.0");
  std::string mirror = r.Snapshot("mirror");
  Write(mirror + "/2.stable.json", Read(mirror + "/1.stable.json"));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "mix-and-match attack");
}

TEST(UpdateAttacks, ABundleOfAnotherReleaseIsMixAndMatch) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  r.MustPublish("1.1.0");
  std::string mirror = r.Snapshot("mirror");
  Write(TargetPath(mirror, "stable/catalog-1.1.0-base-64m-release.wsb"),
        Read(TargetPath(mirror, "stable/catalog-1.0.0-base-64m-release.wsb")));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "mix-and-match attack");
  EXPECT_EQ(Installed(r, "state"), "");
}

TEST(UpdateAttacks, ATimestampSignedByAnotherKeyIsArbitrarySoftware) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string mirror = r.Snapshot("mirror");
  RoleKey attacker = MakeRoleKey(*bundle::GenerateSigningKey());
  Json ts = Json::parse(Read(mirror + "/timestamp.json"));
  ts["signed"]["version"] = 99;
  Write(mirror + "/timestamp.json", MetadataText(*SignMetadata(ts["signed"], {&attacker})));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "arbitrary software attack");
}

TEST(UpdateAttacks, ATamperedBundleIsArbitrarySoftware) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string mirror = r.Snapshot("mirror");
  std::string path = TargetPath(mirror, "stable/catalog-1.0.0-base-64m-release.wsb");
  std::string bytes = Read(path);
  bytes[bytes.size() / 2] ^= 1;
  Write(path, bytes);
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "arbitrary software attack");
}

TEST(UpdateAttacks, ABundleLongerThanItsMetadataIsEndlessData) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string mirror = r.Snapshot("mirror");
  std::string path = TargetPath(mirror, "stable/catalog-1.0.0-base-64m-release.wsb");
  Write(path, Read(path) + std::string(1 << 20, 'x'));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "endless data attack");
}

TEST(UpdateAttacks, AnEndlessTimestampIsEndlessData) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string mirror = r.Snapshot("mirror");
  Write(mirror + "/timestamp.json", std::string(1 << 20, ' '));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "endless data attack");
}

TEST(UpdateAttacks, ACompromisedTimestampKeyIsWorthlessAfterRotation) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  ASSERT_TRUE(r.Update("tv-2019", "a", "state").ok());
  RoleKey fresh = MakeRoleKey(*bundle::GenerateSigningKey());
  // The single key is the compromised one; the timestamp role moves to a new key.
  ASSERT_TRUE(RotateKey(r.repo(), "timestamp", {fresh}, 1, r.ring()).ok());
  ASSERT_TRUE(r.Update("tv-2019", "a", "state").ok());  // follows the rotation
  std::string mirror = r.Snapshot("mirror");
  Json ts = Json::parse(Read(mirror + "/timestamp.json"));
  ts["signed"]["version"] = ts["signed"]["version"].get<int64_t>() + 100;  // a fast-forward with the old key
  Write(mirror + "/timestamp.json", MetadataText(*SignMetadata(ts["signed"], {&r.key()})));
  ExpectRefused(r.Update("tv-2019", "a", "state", mirror), "arbitrary software attack");
}

TEST(UpdateAttacks, ABundleForAnotherDeviceIsRefused) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  // Signed metadata that offers the console's bundle to a stick.
  Result<Repo> repo = LoadRepo(r.repo());
  Json channel = repo->channels["stable"];
  channel["targets"]["stable/catalog-1.0.0-simd-512m-release.wsb"]["custom"]["devices"] = {"stick-2020"};
  channel["targets"]["stable/catalog-1.0.0-base-64m-release.wsb"]["custom"]["devices"] = {"tv-2019"};
  Change change(*repo, r.ring());
  ASSERT_TRUE(change.SetChannel("stable", channel).ok());
  ASSERT_TRUE(change.Commit().ok());
  ExpectRefused(r.Update("stick-2020", "a", "state"), "wrong device");
  EXPECT_EQ(Installed(r, "state"), "");
}

TEST(UpdateAttacks, MalformedMetadataIsNamed) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string mirror = r.Snapshot("mirror");
  Write(mirror + "/timestamp.json", "{\"signed\": ");
  auto result = r.Update("tv-2019", "a", "state", mirror);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("timestamp.json: malformed metadata"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace ws::tuf

namespace ws::tuf {
namespace {

// Root keys with a threshold: rotation needs the old threshold, and a root
// signed by fewer of the old keys (one stolen root key) is refused.
TEST(UpdateAttacks, ARootSignedBelowTheOldThresholdIsRefused) {
  ScratchRepo r;
  RoleKey a = MakeRoleKey(*bundle::GenerateSigningKey()), b = MakeRoleKey(*bundle::GenerateSigningKey()),
          c = MakeRoleKey(*bundle::GenerateSigningKey());
  std::string repo = r.path("threshold-repo");
  ASSERT_TRUE(InitRepository({repo, {a, b, c}, 2, {r.key()}, {r.key()}, {r.key()}}).ok());
  PublishOptions p{repo, "stable", r.Dist("1.0.0"), 10000, 3};
  ASSERT_TRUE(Publish(p, r.ring()).ok());
  UpdateOptions device{repo, "tv-2019", "a", r.path("state"), repo + "/1.root.json", "stable"};
  ASSERT_TRUE(UpdateDevice(device).ok());

  Keyring one;
  one.Add(a);
  Result<int64_t> refused = RotateKey(repo, "root", {a}, 1, one);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.rfind("missing key: the root (the current root) role needs 2", 0), 0u)
      << refused.error().message;

  // The attacker with key a alone writes 2.root.json trusting only a.
  Result<Repo> loaded = LoadRepo(repo);
  Json root = loaded->root;
  root["version"] = 2;
  root["roles"]["root"] = {{"keyids", {a.keyid}}, {"threshold", 1}};
  std::string mirror = r.path("mirror");
  std::filesystem::copy(repo, mirror, std::filesystem::copy_options::recursive);
  ASSERT_TRUE(WriteFileAtomically(mirror + "/2.root.json", MetadataText(*SignMetadata(root, {&a}))).ok());
  device.repo = mirror;
  auto result = UpdateDevice(device);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.rfind("arbitrary software attack: 2.root.json (by the trusted root's keys) has 1", 0), 0u)
      << result.error().message;

  // Two of the three rotate root for real; the device follows.
  Keyring two;
  two.Add(a);
  two.Add(b);
  ASSERT_TRUE(RotateKey(repo, "root", {a, b, c}, 2, two).ok());
  device.repo = repo;
  auto followed = UpdateDevice(device);
  EXPECT_TRUE(followed.ok()) << followed.error().message;
}

// A device whose clock runs ahead past the timestamp's expiry refuses
// (freeze), and the next refresh of the repository lets it update again.
TEST(UpdateAttacks, ClockAheadIsAFreezeUntilTheRepositoryIsRefreshed) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::string ahead = std::to_string(Now() + 7 * kDay + 3600);
  setenv("WASMSHIP_NOW", ahead.c_str(), 1);
  auto frozen = r.Update("tv-2019", "a", "state");
  unsetenv("WASMSHIP_NOW");
  ExpectRefused(frozen, "freeze attack");
  EXPECT_NE(frozen.error().message.find("timestamp.json expired at"), std::string::npos);
  setenv("WASMSHIP_NOW", std::to_string(Now() + 2 * kDay).c_str(), 1);  // the cron job, two days on
  ASSERT_TRUE(RefreshTimestamp(r.repo(), r.ring()).ok());
  unsetenv("WASMSHIP_NOW");
  setenv("WASMSHIP_NOW", ahead.c_str(), 1);
  auto refreshed = r.Update("tv-2019", "a", "state");
  unsetenv("WASMSHIP_NOW");
  EXPECT_TRUE(refreshed.ok()) << refreshed.error().message;
}

}  // namespace
}  // namespace ws::tuf
