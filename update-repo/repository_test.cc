// Publishing and updating end to end through the library: layout, deltas,
// rollouts, reverts, key rotation, and publish's refusals.
#include <gtest/gtest.h>

#include <set>

#include "update-repo/device_state.h"
#include "update-repo/releases.h"
#include "update-repo/repo_test_support.h"

namespace ws::tuf {
namespace {

using testing::ScratchRepo;
namespace fs = std::filesystem;

std::set<std::string> Files(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string() + ":" + std::to_string(e.file_size()));
  }
  return out;
}

TEST(UpdateRepo, InitWritesVersionOneOfEveryRole) {
  ScratchRepo r;
  for (const char* f : {"1.root.json", "root.json", "1.targets.json", "1.snapshot.json", "timestamp.json"})
    EXPECT_TRUE(fs::exists(r.repo() + "/" + f)) << f;
  Result<Repo> repo = LoadRepo(r.repo());
  ASSERT_TRUE(repo.ok()) << repo.error().message;
  EXPECT_EQ(repo->root["consistent_snapshot"], true);
  EXPECT_EQ(repo->root["roles"]["timestamp"]["keyids"][0], r.key().keyid);
}

TEST(UpdateRepo, PublishAddsBundlesAndDeltasUnderTheChannel) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  Result<PublishSummary> second = r.Publish("1.1.0");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->bundles, 2);
  EXPECT_EQ(second->deltas, 2);  // one per variant from 1.0.0
  Result<Repo> repo = LoadRepo(r.repo());
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ(repo->channels["stable"]["version"], 2);
  EXPECT_EQ(repo->snapshot["meta"]["stable.json"]["version"], 2);
  EXPECT_TRUE(repo->channels["stable"]["targets"].contains("stable/catalog-1.1.0-base-64m-release.from-1.0.0.wsb"));
  const Json& t = repo->channels["stable"]["targets"]["stable/catalog-1.1.0-simd-512m-release.wsb"];
  EXPECT_EQ(t["custom"]["devices"], Json({"console-2022"}));
  EXPECT_EQ(t["custom"]["kind"], "full");
  std::string sha = t["hashes"]["sha256"];
  EXPECT_TRUE(fs::exists(r.repo() + "/targets/stable/" + sha + ".catalog-1.1.0-simd-512m-release.wsb"));
  Result<PublishSummary> again = r.Publish("1.1.0");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already in channel stable"), std::string::npos);
}

TEST(UpdateRepo, DeviceTakesTheFullBundleThenADelta) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  auto first = r.Update("tv-2019", "tv-1", "state");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->updated);
  EXPECT_FALSE(first->delta);
  EXPECT_EQ(first->to_version, "1.0.0");
  r.MustPublish("1.1.0");
  auto second = r.Update("tv-2019", "tv-1", "state");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->delta);
  EXPECT_EQ(second->to_version, "1.1.0");
  Result<std::string> module = ReadFile(ModulePath(r.path("state"), Sha256Hex(ScratchRepo::Module("1.1.0", "base-64m-release"))), kModuleFile);
  ASSERT_TRUE(module.ok());
  EXPECT_EQ(*module, ScratchRepo::Module("1.1.0", "base-64m-release"));
  auto third = r.Update("tv-2019", "tv-1", "state");
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->updated);
}

TEST(UpdateRepo, PublishWithAMissingKeyWritesNothing) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  std::set<std::string> before = Files(r.repo());
  Keyring wrong;
  wrong.Add(MakeRoleKey(*bundle::GenerateSigningKey()));
  PublishOptions o{r.repo(), "stable", r.Dist("1.1.0"), 10000, 3};
  Result<PublishSummary> s = Publish(o, wrong);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("missing key"), std::string::npos) << s.error().message;
  EXPECT_EQ(Files(r.repo()), before);
}

TEST(UpdateRepo, ExpiredRootStopsPublishBeforeWriting) {
  ScratchRepo r;
  std::set<std::string> before = Files(r.repo());
  setenv("WASMSHIP_NOW", std::to_string(Now() + 400 * kDay).c_str(), 1);
  Result<PublishSummary> s = r.Publish("1.0.0");
  unsetenv("WASMSHIP_NOW");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.rfind("expired key: ", 0), 0u) << s.error().message;
  EXPECT_EQ(Files(r.repo()), before);
}

TEST(UpdateRepo, ASecondWriterIsRefusedByTheLock) {
  ScratchRepo r;
  Result<FileLock> held = LockRepo(r.repo());
  ASSERT_TRUE(held.ok());
  Result<PublishSummary> s = r.Publish("1.0.0");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("another wasmship command is writing"), std::string::npos);
}

TEST(UpdateRepo, RolloutAdmitsItsShareOfAFleetAndHaltStopsIt) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  ASSERT_TRUE(r.Publish("1.1.0", "stable", 1000).ok());
  auto share = [&] {
    Result<Repo> repo = LoadRepo(r.repo());
    auto targets = *ReadTargets(repo->channels["stable"], "stable.json");
    std::vector<Release> releases = ReleasesOf(targets);
    int moved = 0;
    for (int i = 0; i < 100000; ++i) {
      auto choice = ChooseTarget(releases, "tv-2019", "tv-" + std::to_string(i), "1.0.0", "");
      moved += choice.ok() && *choice && (*choice)->release->version == "1.1.0";
    }
    return moved / 1000.0;
  };
  double at_ten = share();
  std::printf("fleet of 100000 at 10%%: %.3f%% update\n", at_ten);
  EXPECT_NEAR(at_ten, 10.0, 0.5);
  RolloutOptions halt;
  halt.dir = r.repo();
  halt.channel = "stable";
  halt.halt = true;
  ASSERT_TRUE(ChangeRollout(halt, r.ring()).ok());
  EXPECT_EQ(share(), 0.0);
  RolloutOptions fifty;
  fifty.dir = r.repo();
  fifty.channel = "stable";
  fifty.resume = true;
  fifty.basis_points = 5000;
  ASSERT_TRUE(ChangeRollout(fifty, r.ring()).ok());
  EXPECT_NEAR(share(), 50.0, 0.5);
}

TEST(UpdateRepo, RevertIsANewerVersionThatWithdrawsTheBadRelease) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  r.MustPublish("1.1.0");
  ASSERT_TRUE(r.Update("stick-2020", "s1", "state").ok());
  RolloutOptions revert;
  revert.dir = r.repo();
  revert.channel = "stable";
  revert.revert = "1.0.0";
  Result<std::string> done = ChangeRollout(revert, r.ring());
  ASSERT_TRUE(done.ok()) << done.error().message;
  auto back = r.Update("stick-2020", "s1", "state");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->downgrade);
  EXPECT_EQ(back->to_version, "1.0.0");
  EXPECT_EQ(back->from_version, "1.1.0");
}

TEST(UpdateRepo, RefreshSignsANewTimestamp) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  Result<int64_t> v = RefreshTimestamp(r.repo(), r.ring());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, 3);
  EXPECT_TRUE(r.Update("tv-2019", "a", "state").ok());
}

TEST(UpdateRepo, RotatedRootIsFollowedVersionByVersion) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  RoleKey new_root = MakeRoleKey(*bundle::GenerateSigningKey());
  RoleKey new_targets = MakeRoleKey(*bundle::GenerateSigningKey());
  ASSERT_TRUE(RotateKey(r.repo(), "root", {new_root}, 1, r.ring()).ok());
  Keyring ring = r.ring();
  ring.Add(new_root);
  Result<int64_t> v = RotateKey(r.repo(), "targets", {new_targets}, 1, ring);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, 3);
  auto update = r.Update("tv-2019", "a", "state");  // trusts 1.root.json, walks to 3
  ASSERT_TRUE(update.ok()) << update.error().message;
  EXPECT_EQ(update->to_version, "1.0.0");
}

}  // namespace
}  // namespace ws::tuf

namespace ws::tuf {
namespace {

// A state directory that cannot take the new module (here a directory is in
// its way, as a full disk would fail the write) keeps the old app.
TEST(UpdateRepo, AFailedInstallKeepsTheOldAppBootable) {
  ScratchRepo r;
  r.MustPublish("1.0.0");
  ASSERT_TRUE(r.Update("tv-2019", "a", "state").ok());
  std::string before = *ReadFile(r.path("state/device.json"), kStateFile);
  r.MustPublish("1.1.0");
  std::string next = ModulePath(r.path("state"), Sha256Hex(ScratchRepo::Module("1.1.0", "base-64m-release")));
  std::filesystem::create_directories(next + "/blocked");
  auto result = r.Update("tv-2019", "a", "state");
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(result.error().refused);
  EXPECT_NE(result.error().message.find("the installed app is unchanged"), std::string::npos) << result.error().message;
  EXPECT_EQ(*ReadFile(r.path("state/device.json"), kStateFile), before);
}

}  // namespace
}  // namespace ws::tuf
