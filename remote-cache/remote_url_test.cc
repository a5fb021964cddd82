#include "remote-cache/remote_url.h"

#include <gtest/gtest.h>

#include "remote-cache/remote_cache.h"

namespace ws::remote {
namespace {

TEST(RemoteUrl, PlainHostAndPort) {
  Result<RemoteUrl> url = ParseRemoteUrl("http://cache.example:8080");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "cache.example");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->prefix, "");
  EXPECT_EQ(url->Base(), "http://cache.example:8080");
}

TEST(RemoteUrl, PrefixLosesTrailingSlashesAndKeepsEscapes) {
  Result<RemoteUrl> url = ParseRemoteUrl("  HTTPS://Cache.Example/team/a%20b///  ");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "cache.example");
  EXPECT_EQ(url->port, 0);
  EXPECT_EQ(url->prefix, "/team/a%20b");
  EXPECT_EQ(url->Base(), "https://cache.example/team/a%20b");
}

TEST(RemoteUrl, UserAndPasswordAreDecodedAndNeverDisplayed) {
  Result<RemoteUrl> url = ParseRemoteUrl("http://ci:s%40cret:x@10.0.0.5:9090/wasmship");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->user, "ci");
  EXPECT_EQ(url->password, "s@cret:x");
  EXPECT_EQ(url->host, "10.0.0.5");
  EXPECT_EQ(url->Base(), "http://10.0.0.5:9090/wasmship");
  EXPECT_EQ(url->Display(), "http://ci:***@10.0.0.5:9090/wasmship");
  EXPECT_EQ(url->Display().find("cret"), std::string::npos);
}

TEST(RemoteUrl, Ipv6Host) {
  Result<RemoteUrl> url = ParseRemoteUrl("http://[::1]:8080/c");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "[::1]");
  EXPECT_EQ(url->Base(), "http://[::1]:8080/c");
}

struct BadUrl {
  const char* url;
  const char* says;
};

TEST(RemoteUrl, MalformedUrlsSayWhatIsWrong) {
  const BadUrl cases[] = {
      {"", "empty"},
      {"cache.example:8080", "does not start with http:// or https://"},
      {"ftp://cache.example/x", "scheme 'ftp' is not supported"},
      {"grpc://cache.example:9092", "scheme 'grpc' is not supported"},
      {"http://", "no host"},
      {"http:///prefix", "no host"},
      {"http://:8080/x", "no host"},
      {"http://cache example/x", "host name has a space"},
      {"http://cache.example/my cache", "the path has a space"},
      {"http://cache.example:80a", "port '80a'"},
      {"http://cache.example:0", "port '0'"},
      {"http://cache.example:70000", "port '70000'"},
      {"http://cache.example:", "no port number"},
      {"http://cache.example/x?y=1", "no query"},
      {"http://cache.example/x#top", "no fragment"},
      {"http://cache.example/a//b", "empty segment"},
      {"http://cache.example/a/../b", "'..' segment"},
      {"http://cache.example/a%2", "'%' without two hex digits"},
      {"http://cache.example/a\"b", "the character '\"'"},
      {"http://@cache.example", "no user name"},
      {"http://[::1/x", "no closing ']'"},
      {"http://cache..example", "empty label"},
  };
  for (const BadUrl& c : cases) {
    Result<RemoteUrl> url = ParseRemoteUrl(c.url);
    ASSERT_FALSE(url) << c.url << " was accepted";
    EXPECT_NE(url.error().message.find(c.says), std::string::npos) << c.url << ": " << url.error().message;
    EXPECT_NE(url.error().message.find("for example http://"), std::string::npos) << url.error().message;
  }
}

TEST(RemoteUrl, ErrorsNeverShowThePassword) {
  for (const char* url : {"http://ci:hunter2@cache example/x", "ftp://ci:hunter2@cache.example",
                          "http://ci:hunter2@cache.example:99999/x"}) {
    Result<RemoteUrl> parsed = ParseRemoteUrl(url);
    ASSERT_FALSE(parsed) << url;
    EXPECT_EQ(parsed.error().message.find("hunter2"), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find("ci:***@"), std::string::npos) << parsed.error().message;
  }
}

TEST(RemoteUrl, OpenRemoteCacheRefusesAMalformedUrl) {
  std::vector<std::string> warnings;
  auto store =
      OpenRemoteCache({.url = "htp://cache.example"}, [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("'htp://cache.example'"), std::string::npos) << store.error().message;
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace ws::remote
