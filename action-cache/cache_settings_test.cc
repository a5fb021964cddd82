#include "action-cache/cache_settings.h"

#include <cstdlib>

#include <gtest/gtest.h>

namespace ws {
namespace {

TEST(ParseByteSize, UnitsBinaryAndDecimal) {
  EXPECT_EQ(*ParseByteSize("5GiB"), 5ull << 30);
  EXPECT_EQ(*ParseByteSize("500MB"), 500000000ull);
  EXPECT_EQ(*ParseByteSize("64 KiB"), 65536ull);
  EXPECT_EQ(*ParseByteSize("1.5G"), 3ull << 29);
  EXPECT_EQ(*ParseByteSize("1024"), 1024ull);
  EXPECT_FALSE(ParseByteSize("five gigs"));
  EXPECT_FALSE(ParseByteSize("0"));
  EXPECT_FALSE(ParseByteSize("-1GB"));
  EXPECT_FALSE(ParseByteSize("5 parsecs"));
}

// Sets environment variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv(std::vector<std::pair<std::string, std::string>> values) {
    for (auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      ::setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(ResolveCacheSettings, EnvironmentOverManifestOverUserDefault) {
  CacheConfig config{"/project/cache", 1ull << 20, "http://cache:8080/ws", true};
  {
    ScopedEnv env({{"WASMSHIP_CACHE_DIR", ""}, {"XDG_CACHE_HOME", "/xdg"}, {"WASMSHIP_REMOTE_CACHE", ""},
                   {"WASMSHIP_REMOTE_CACHE_READ_ONLY", ""}});
    CacheSettings s = *ResolveCacheSettings(CacheConfig{});
    EXPECT_EQ(s.dir, "/xdg/wasmship");
    EXPECT_EQ(s.max_size, kDefaultCacheMaxBytes);
    EXPECT_EQ(s.remote, "");
    s = *ResolveCacheSettings(config);
    EXPECT_EQ(s.dir, "/project/cache");
    EXPECT_EQ(s.max_size, 1ull << 20);
    EXPECT_EQ(s.remote, "http://cache:8080/ws");
    EXPECT_TRUE(s.remote_read_only);
  }
  {
    ScopedEnv env({{"WASMSHIP_CACHE_DIR", "/env/cache"}, {"WASMSHIP_REMOTE_CACHE", "http://other/"},
                   {"WASMSHIP_REMOTE_CACHE_READ_ONLY", "false"}});
    CacheSettings s = *ResolveCacheSettings(config);
    EXPECT_EQ(s.dir, "/env/cache");
    EXPECT_EQ(s.dir_origin, "WASMSHIP_CACHE_DIR");
    EXPECT_EQ(s.remote, "http://other/");
    EXPECT_EQ(s.remote_origin, "WASMSHIP_REMOTE_CACHE");
    EXPECT_FALSE(s.remote_read_only);
  }
  {
    ScopedEnv env(std::vector<std::pair<std::string, std::string>>{{"WASMSHIP_REMOTE_CACHE", "off"}});
    EXPECT_EQ(ResolveCacheSettings(config)->remote, "");
  }
  {
    ScopedEnv env({{"WASMSHIP_CACHE_DIR", ""}, {"XDG_CACHE_HOME", ""}, {"HOME", "/home/u"},
                   {"WASMSHIP_REMOTE_CACHE_READ_ONLY", "maybe"}});
    EXPECT_EQ(UserCacheDir(), "/home/u/.cache/wasmship");
    Result<CacheSettings> bad = ResolveCacheSettings(CacheConfig{});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("WASMSHIP_REMOTE_CACHE_READ_ONLY"), std::string::npos);
  }
}

}  // namespace
}  // namespace ws
