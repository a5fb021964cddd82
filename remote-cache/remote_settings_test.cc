#include <gtest/gtest.h>

#include "remote-cache/remote_cache.h"

namespace ws {
namespace {

const RemoteCacheManifest kManifest{.remote = "http://cache.example:8080/wasmship",
                                    .remote_where = "wasmship.yaml:9:11",
                                    .remote_read_only = true};

TEST(RemoteCacheSettings, ManifestAloneIsUsed) {
  auto settings = ResolveRemoteCacheSettings(kManifest, nullptr, nullptr);
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_TRUE(*settings);
  EXPECT_EQ((*settings)->url, "http://cache.example:8080/wasmship");
  EXPECT_TRUE((*settings)->read_only);
}

TEST(RemoteCacheSettings, NothingConfiguredIsNoRemote) {
  auto settings = ResolveRemoteCacheSettings({}, nullptr, nullptr);
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_FALSE(*settings);
}

TEST(RemoteCacheSettings, EnvironmentOverridesTheManifest) {
  // CI: the manifest says read-only for everyone; CI's environment writes.
  auto settings = ResolveRemoteCacheSettings(kManifest, "http://ci:pw@cache.example:8080/wasmship", "0");
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_TRUE(*settings);
  EXPECT_EQ((*settings)->url, "http://ci:pw@cache.example:8080/wasmship");
  EXPECT_FALSE((*settings)->read_only);
  auto on = ResolveRemoteCacheSettings({}, "http://cache.example", "Yes");
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_TRUE((*on)->read_only);
}

TEST(RemoteCacheSettings, EmptyOrOffEnvironmentTurnsTheRemoteOff) {
  for (const char* off : {"", "off", "NONE"}) {
    auto settings = ResolveRemoteCacheSettings(kManifest, off, nullptr);
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_FALSE(*settings) << "'" << off << "'";
  }
}

TEST(RemoteCacheSettings, BadValuesNameWhereTheyCameFrom) {
  RemoteCacheManifest bad = kManifest;
  bad.remote = "cache.example:8080";
  auto from_manifest = ResolveRemoteCacheSettings(bad, nullptr, nullptr);
  ASSERT_FALSE(from_manifest);
  EXPECT_EQ(
      from_manifest.error().message.rfind("wasmship.yaml:9:11: remote cache URL 'cache.example:8080'", 0), 0u)
      << from_manifest.error().message;

  auto from_env = ResolveRemoteCacheSettings(kManifest, "http://cache example", nullptr);
  ASSERT_FALSE(from_env);
  EXPECT_EQ(from_env.error().message.rfind("WASMSHIP_REMOTE_CACHE: remote cache URL", 0), 0u)
      << from_env.error().message;

  auto flag = ResolveRemoteCacheSettings(kManifest, nullptr, "maybe");
  ASSERT_FALSE(flag);
  EXPECT_NE(flag.error().message.find("WASMSHIP_REMOTE_CACHE_READ_ONLY='maybe'"), std::string::npos)
      << flag.error().message;
}

}  // namespace
}  // namespace ws
