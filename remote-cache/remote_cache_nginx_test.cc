// The remote cache against a real nginx with its WebDAV module (started by
// the fixture on a loopback port with a temporary root).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "remote-cache/curl_transfer.h"
#include "remote-cache/remote_cache.h"
#include "remote-cache/testing/nginx_server.h"

namespace ws {
namespace {

using remote::Sha256Hex;
using remote::testing::NginxOptions;
using remote::testing::NginxServer;

std::unique_ptr<NginxServer> StartNginx(const NginxOptions& options = {}) {
  auto server = NginxServer::Start(options);
  if (!server) ADD_FAILURE() << server.error().message;
  return server ? std::move(*server) : nullptr;
}

struct Client {
  std::vector<std::string> warnings;
  std::unique_ptr<HttpRemoteCache> cache;
};

std::unique_ptr<Client> Open(const std::string& url, bool read_only = false,
                             const std::string& ca_file = "") {
  auto client = std::make_unique<Client>();
  RemoteCacheSettings settings{.url = url,
                               .read_only = read_only,
                               .connect_timeout_ms = 1000,
                               .stall_timeout_ms = 2000,
                               .transfer_timeout_ms = 10000,
                               .ca_file = ca_file};
  auto cache =
      OpenHttpRemoteCache(settings, [c = client.get()](const std::string& w) { c->warnings.push_back(w); });
  EXPECT_TRUE(cache) << (cache ? "" : cache.error().message);
  if (cache) client->cache = std::move(*cache);
  return client;
}

// Distinct content of varied sizes (up to 64 KiB).
std::string Blob(int i) {
  std::string text = "blob " + std::to_string(i) + " ";
  std::string out;
  while (out.size() < static_cast<size_t>((i * 7919) % 65536)) out += text;
  return out + text;
}

std::string ActionKey(int i) { return Sha256Hex("action " + std::to_string(i)); }

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// nginx's access log once it shows `request` (nginx logs a request just
// after answering it, so a test reading the log at once could miss a line).
std::string LogThrough(const NginxServer& nginx, const std::string& request) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::string log = nginx.AccessLog();
  while (log.find(request) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    log = nginx.AccessLog();
  }
  EXPECT_NE(log.find(request), std::string::npos) << log;
  return log;
}

TEST(RemoteCacheNginx, ActionResultsAndContentRoundTrip) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  std::string content = Blob(3), result = "outputs: module.wasm " + Sha256Hex(content);
  std::string cas = Sha256Hex(content), ac = ActionKey(1);
  {
    auto writer = Open(nginx->Url());
    writer->cache->Put(RemoteArea::kContent, cas, content);
    writer->cache->Put(RemoteArea::kActionResult, ac, result);
    writer->cache->Flush();
    EXPECT_EQ(writer->cache->Stats().puts, 2u);
    EXPECT_TRUE(writer->warnings.empty());
  }
  EXPECT_EQ(nginx->Files(), (std::vector<std::string>{"ac/" + ac, "cas/" + cas}));

  auto reader = Open(nginx->Url());  // another machine: nothing but the URL
  auto got = reader->cache->Get(RemoteArea::kActionResult, {ac, ActionKey(2)});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], result);
  EXPECT_FALSE(got[1]);  // 404: a miss, not a failure
  auto blobs = reader->cache->Get(RemoteArea::kContent, {cas});
  EXPECT_EQ(blobs[0], content);
  RemoteCacheStats stats = reader->cache->Stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_FALSE(stats.disabled);
  EXPECT_TRUE(reader->warnings.empty());
}

TEST(RemoteCacheNginx, PrefixSeparatesStores) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  std::string content = "runtime object";
  std::string cas = Sha256Hex(content);
  auto team = Open(nginx->Url("/teams/tv/"));
  team->cache->Put(RemoteArea::kContent, cas, content);
  team->cache->Flush();
  EXPECT_EQ(nginx->Files(), std::vector<std::string>{"teams/tv/cas/" + cas});
  EXPECT_EQ(team->cache->Get(RemoteArea::kContent, {cas})[0], content);
  auto other = Open(nginx->Url("/teams/web"));
  EXPECT_FALSE(other->cache->Get(RemoteArea::kContent, {cas})[0]);
  EXPECT_TRUE(team->warnings.empty());
  EXPECT_TRUE(other->warnings.empty());
}

TEST(RemoteCacheNginx, HundredBlobsInParallelOverFewConnections) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  std::vector<std::string> digests;
  {
    auto writer = Open(nginx->Url("/ci"));
    for (int i = 0; i < 100; ++i) {
      digests.push_back(Sha256Hex(Blob(i)));
      writer->cache->Put(RemoteArea::kContent, digests.back(), Blob(i));
    }
    writer->cache->Flush();
    EXPECT_EQ(writer->cache->Stats().puts, 100u);
    EXPECT_LE(writer->cache->Stats().connections, 8u);
  }
  EXPECT_EQ(nginx->Files().size(), 100u);

  auto reader = Open(nginx->Url("/ci"));
  auto got = reader->cache->Get(RemoteArea::kContent, digests);
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[i], Blob(i)) << i;
  RemoteCacheStats stats = reader->cache->Stats();
  EXPECT_EQ(stats.hits, 100u);
  // Connections are reused: at most one per parallel transfer.
  EXPECT_GE(stats.connections, 1u);
  EXPECT_LE(stats.connections, 8u);
  EXPECT_TRUE(reader->warnings.empty());
}

TEST(RemoteCacheNginx, GetsFromManyThreadsAtOnce) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  auto client = Open(nginx->Url());
  for (int i = 0; i < 40; ++i) client->cache->Put(RemoteArea::kContent, Sha256Hex(Blob(i)), Blob(i));
  client->cache->Flush();
  std::vector<std::thread> threads;
  std::vector<int> correct(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 40; i += 4) {
        auto got = client->cache->Get(RemoteArea::kContent, {Sha256Hex(Blob(i))});
        if (got[0] == Blob(i)) ++correct[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct, (std::vector<int>{10, 10, 10, 10}));
}

TEST(RemoteCacheNginx, ReadOnlyNeverUploads) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  std::filesystem::create_directories(nginx->root() / "cas");
  std::string seeded = "seeded by CI";
  std::ofstream(nginx->root() / "cas" / Sha256Hex(seeded)) << seeded;
  {
    auto developer = Open(nginx->Url(), /*read_only=*/true);
    for (int i = 0; i < 5; ++i) developer->cache->Put(RemoteArea::kContent, Sha256Hex(Blob(i)), Blob(i));
    developer->cache->Put(RemoteArea::kActionResult, ActionKey(1), "result");
    developer->cache->Flush();
    EXPECT_EQ(developer->cache->Get(RemoteArea::kContent, {Sha256Hex(seeded)})[0], seeded);  // after the Puts
    EXPECT_EQ(developer->cache->Stats().puts, 0u);
    EXPECT_EQ(developer->cache->Stats().puts_dropped, 6u);
    EXPECT_TRUE(developer->warnings.empty());
  }
  EXPECT_EQ(nginx->Files(), std::vector<std::string>{"cas/" + Sha256Hex(seeded)});
  EXPECT_EQ(Count(LogThrough(*nginx, "GET /cas/" + Sha256Hex(seeded)), "\"PUT "), 0);
}

TEST(RemoteCacheNginx, ServerRefusingUploadsStopsUploadsWithOneWarning) {
  auto nginx = StartNginx({.deny_put = true});
  ASSERT_TRUE(nginx);
  std::filesystem::create_directories(nginx->root() / "cas");
  std::string seeded = "seeded by CI";
  std::ofstream(nginx->root() / "cas" / Sha256Hex(seeded)) << seeded;
  auto client = Open(nginx->Url());
  ::testing::internal::CaptureStdout();
  client->cache->Put(RemoteArea::kContent, Sha256Hex(Blob(1)), Blob(1));
  client->cache->Flush();
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");  // nginx's error page is not printed
  for (int i = 2; i < 12; ++i) client->cache->Put(RemoteArea::kContent, Sha256Hex(Blob(i)), Blob(i));
  client->cache->Flush();
  ASSERT_EQ(client->warnings.size(), 1u);
  EXPECT_NE(client->warnings[0].find("HTTP 403"), std::string::npos) << client->warnings[0];
  EXPECT_NE(client->warnings[0].find(nginx->Url()), std::string::npos) << client->warnings[0];
  // Reading goes on.
  EXPECT_EQ(client->cache->Get(RemoteArea::kContent, {Sha256Hex(seeded)})[0], seeded);
  // The later uploads never left the client.
  EXPECT_EQ(Count(LogThrough(*nginx, "GET /cas/" + Sha256Hex(seeded)), "\"PUT "), 1);
  EXPECT_TRUE(client->cache->Stats().uploads_disabled);
  EXPECT_FALSE(client->cache->Stats().disabled);
}

// nginx then fails the rename into the missing directory: a 500.
TEST(RemoteCacheNginx, WebDavWithoutCreateFullPutPathIsNamedInTheWarning) {
  auto nginx = StartNginx({.create_full_put_path = false});
  ASSERT_TRUE(nginx);
  auto client = Open(nginx->Url());
  client->cache->Put(RemoteArea::kActionResult, ActionKey(1), "result");
  client->cache->Flush();
  ASSERT_EQ(client->warnings.size(), 1u);
  EXPECT_NE(client->warnings[0].find("HTTP 500"), std::string::npos) << client->warnings[0];
  EXPECT_NE(client->warnings[0].find("create_full_put_path on"), std::string::npos) << client->warnings[0];
  EXPECT_TRUE(nginx->Files().empty());
  EXPECT_TRUE(client->cache->Stats().disabled);
}

TEST(RemoteCacheNginx, BasicAuthenticationFromTheUrl) {
  auto nginx = StartNginx({.user = "ci", .password = "s3cret"});
  ASSERT_TRUE(nginx);
  std::string base = nginx->Url();
  std::string authed = "http://ci:s3cret@" + base.substr(7);
  auto ci = Open(authed);
  ci->cache->Put(RemoteArea::kActionResult, ActionKey(7), "result 7");
  ci->cache->Flush();
  EXPECT_EQ(ci->cache->Get(RemoteArea::kActionResult, {ActionKey(7)})[0], "result 7");
  EXPECT_TRUE(ci->warnings.empty());

  auto wrong = Open("http://ci:guess@" + base.substr(7));
  EXPECT_FALSE(wrong->cache->Get(RemoteArea::kActionResult, {ActionKey(7)})[0]);
  ASSERT_EQ(wrong->warnings.size(), 1u);
  EXPECT_NE(wrong->warnings[0].find("HTTP 401"), std::string::npos) << wrong->warnings[0];
  EXPECT_EQ(wrong->warnings[0].find("guess"), std::string::npos)
      << "the password leaked: " << wrong->warnings[0];
}

TEST(RemoteCacheNginx, HttpsWithTheServersCertificateAuthority) {
  auto nginx = StartNginx({.tls = true});
  ASSERT_TRUE(nginx);
  ASSERT_EQ(nginx->Url().rfind("https://", 0), 0u);
  auto client = Open(nginx->Url("/tls"), false, nginx->CertificateFile());
  std::string content = Blob(5);
  client->cache->Put(RemoteArea::kContent, Sha256Hex(content), content);
  client->cache->Flush();
  EXPECT_EQ(nginx->Files(), std::vector<std::string>{"tls/cas/" + Sha256Hex(content)});
  EXPECT_EQ(client->cache->Get(RemoteArea::kContent, {Sha256Hex(content)})[0], content);
  EXPECT_TRUE(client->warnings.empty());

  // The same server is not trusted through the system's store.
  auto untrusting = Open(nginx->Url("/tls"));
  EXPECT_FALSE(untrusting->cache->Get(RemoteArea::kContent, {Sha256Hex(content)})[0]);
  ASSERT_EQ(untrusting->warnings.size(), 1u);
  EXPECT_NE(untrusting->warnings[0].find("TLS certificate is not trusted"), std::string::npos)
      << untrusting->warnings[0];
}

TEST(RemoteCacheNginx, CorruptEntryIsAMissAndTheNextUploadRepairsIt) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  std::string content = "the real object", good = "another object";
  std::filesystem::create_directories(nginx->root() / "cas");
  std::ofstream(nginx->root() / "cas" / Sha256Hex(content)) << "bit rot";
  std::ofstream(nginx->root() / "cas" / Sha256Hex(good)) << good;
  auto client = Open(nginx->Url());
  auto got = client->cache->Get(RemoteArea::kContent, {Sha256Hex(content), Sha256Hex(good)});
  EXPECT_FALSE(got[0]);
  EXPECT_EQ(got[1], good);  // the remote stays in use
  ASSERT_EQ(client->warnings.size(), 1u);
  EXPECT_NE(client->warnings[0].find("does not match its sha256"), std::string::npos) << client->warnings[0];
  EXPECT_EQ(client->cache->Stats().corrupt, 1u);

  client->cache->Put(RemoteArea::kContent, Sha256Hex(content), content);
  client->cache->Flush();
  EXPECT_EQ(client->cache->Get(RemoteArea::kContent, {Sha256Hex(content)})[0], content);
  EXPECT_EQ(client->warnings.size(), 1u);
}

TEST(RemoteCacheNginx, DestroyingTheClientFinishesItsUploads) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  {
    auto client = Open(nginx->Url());
    for (int i = 0; i < 20; ++i) client->cache->Put(RemoteArea::kContent, Sha256Hex(Blob(i)), Blob(i));
  }
  EXPECT_EQ(nginx->Files().size(), 20u);
}

TEST(RemoteCacheNginx, UploadOfContentNotMatchingItsNameIsRefusedLocally) {
  auto nginx = StartNginx();
  ASSERT_TRUE(nginx);
  auto client = Open(nginx->Url());
  client->cache->Put(RemoteArea::kContent, Sha256Hex("one"), "two");
  client->cache->Put(RemoteArea::kContent, "not-a-digest", "two");
  client->cache->Flush();
  EXPECT_TRUE(nginx->Files().empty());
  EXPECT_EQ(client->warnings.size(), 1u);
}

}  // namespace
}  // namespace ws
