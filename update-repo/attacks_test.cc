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
