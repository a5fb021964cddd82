// The remote cache against servers that fail: every failure is a miss (or a
// dropped upload), one warning, and a bounded wait; after the first failure
// of the server the client asks it nothing more (the circuit breaker).
#include <gtest/gtest.h>

#include <chrono>

#include "remote-cache/curl_transfer.h"
#include "remote-cache/remote_cache.h"
#include "remote-cache/testing/fault_server.h"

namespace ws {
namespace {

using remote::Sha256Hex;
using remote::testing::ClosedLoopbackPort;
using remote::testing::FaultMode;
using remote::testing::FaultServer;
using Clock = std::chrono::steady_clock;

// The tests' timeouts: one second each, so a hang costs about a second.
// Nothing asserts timings tightly; kBound only proves the call returned.
constexpr auto kBound = std::chrono::seconds(10);

struct Client {
  std::vector<std::string> warnings;
  std::unique_ptr<HttpRemoteCache> cache;
};

std::unique_ptr<Client> Open(const std::string& url) {
  auto client = std::make_unique<Client>();
  RemoteCacheSettings settings{
      .url = url, .connect_timeout_ms = 1000, .stall_timeout_ms = 1000, .transfer_timeout_ms = 5000};
  auto cache =
      OpenHttpRemoteCache(settings, [c = client.get()](const std::string& w) { c->warnings.push_back(w); });
  EXPECT_TRUE(cache) << (cache ? "" : cache.error().message);
  if (cache) client->cache = std::move(*cache);
  return client;
}

std::unique_ptr<FaultServer> StartServer(FaultMode mode) {
  auto server = FaultServer::Start(mode);
  if (!server) ADD_FAILURE() << server.error().message;
  return server ? std::move(*server) : nullptr;
}

std::vector<std::string> Digests(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(Sha256Hex("content " + std::to_string(i)));
  return out;
}

// After one failure: one warning naming the server, and the remote is off.
void ExpectTrippedOnce(const Client& client, const FaultServer& server, const std::string& says) {
  ASSERT_EQ(client.warnings.size(), 1u);
  const std::string& w = client.warnings[0];
  EXPECT_NE(w.find("remote cache " + server.Url()), std::string::npos) << w;
  EXPECT_NE(w.find(says), std::string::npos) << w;
  EXPECT_NE(w.find("continuing with the local cache"), std::string::npos) << w;
  EXPECT_TRUE(client.cache->Stats().disabled);
}

// Later calls neither reach the server nor warn again.
void ExpectBreakerOpen(Client& client, const FaultServer& server) {
  size_t requests = server.requests();
  auto got = client.cache->Get(RemoteArea::kContent, Digests(5));
  for (const auto& g : got) EXPECT_FALSE(g);
  client.cache->Put(RemoteArea::kContent, Sha256Hex("late"), "late");
  client.cache->Flush();
  EXPECT_EQ(server.requests(), requests);
  EXPECT_EQ(client.warnings.size(), 1u);
}

struct FaultCase {
  FaultMode mode;
  const char* says;
};

class RemoteCacheFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(RemoteCacheFault, GetIsAMissWithOneWarningThenTheRemoteIsOff) {
  auto server = StartServer(GetParam().mode);
  ASSERT_TRUE(server);
  std::vector<std::string> digests = Digests(20);
  for (const std::string& d : digests) server->Store("/cas/" + d, "stored");
  auto client = Open(server->Url());
  auto start = Clock::now();
  auto got = client->cache->Get(RemoteArea::kContent, digests);  // 20 at once: one timeout, not 20
  EXPECT_LT(Clock::now() - start, kBound);
  ASSERT_EQ(got.size(), 20u);
  for (const auto& g : got) EXPECT_FALSE(g);
  ExpectTrippedOnce(*client, *server, GetParam().says);
  ExpectBreakerOpen(*client, *server);
}

INSTANTIATE_TEST_SUITE_P(Modes, RemoteCacheFault,
                         ::testing::Values(FaultCase{FaultMode::kError500, "HTTP 500"},
                                           FaultCase{FaultMode::kHang, "timed out"},
                                           FaultCase{FaultMode::kTruncate, "before its Content-Length"},
                                           FaultCase{FaultMode::kSlow, "timed out"}),
                         [](const auto& info) {
                           switch (info.param.mode) {
                             case FaultMode::kError500: return "Error500";
                             case FaultMode::kHang: return "Hang";
                             case FaultMode::kTruncate: return "Truncate";
                             default: return "Slow";
                           }
                         });

TEST(RemoteCacheFaults, RefusedConnectionIsAQuickMiss) {
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedLoopbackPort()) + "/cache";
  auto client = Open(url);
  auto start = Clock::now();
  auto got = client->cache->Get(RemoteArea::kActionResult, Digests(3));
  EXPECT_LT(Clock::now() - start, kBound);
  for (const auto& g : got) EXPECT_FALSE(g);
  ASSERT_EQ(client->warnings.size(), 1u);
  EXPECT_NE(client->warnings[0].find("remote cache " + url + ": cannot connect"), std::string::npos)
      << client->warnings[0];
  client->cache->Put(RemoteArea::kActionResult, Digests(1)[0], "result");
  client->cache->Flush();
  EXPECT_EQ(client->warnings.size(), 1u);
  EXPECT_EQ(client->cache->Stats().puts_dropped, 1u);
}

TEST(RemoteCacheFaults, HangingUploadEndsAtTheTimeoutWithOneWarning) {
  auto server = StartServer(FaultMode::kHang);
  ASSERT_TRUE(server);
  auto client = Open(server->Url());
  auto start = Clock::now();
  for (int i = 0; i < 10; ++i)
    client->cache->Put(RemoteArea::kContent, Sha256Hex(std::to_string(i)), std::to_string(i));
  client->cache->Flush();
  EXPECT_LT(Clock::now() - start, kBound);
  ExpectTrippedOnce(*client, *server, "timed out");
  ExpectBreakerOpen(*client, *server);
}

TEST(RemoteCacheFaults, WrongContentIsAMissButTheRemoteStaysOn) {
  auto server = StartServer(FaultMode::kServe);
  ASSERT_TRUE(server);
  auto client = Open(server->Url());
  std::string content = "object bytes";
  client->cache->Put(RemoteArea::kContent, Sha256Hex(content), content);
  client->cache->Flush();
  EXPECT_EQ(client->cache->Get(RemoteArea::kContent, {Sha256Hex(content)})[0], content);

  server->set_mode(FaultMode::kWrongContent);
  auto got = client->cache->Get(RemoteArea::kContent, {Sha256Hex(content), Sha256Hex(content + "2")});
  EXPECT_FALSE(got[0]);
  EXPECT_FALSE(got[1]);
  ASSERT_EQ(client->warnings.size(), 1u);  // one warning however many entries are corrupt
  EXPECT_NE(client->warnings[0].find("cas/" + Sha256Hex(content)), std::string::npos) << client->warnings[0];
  EXPECT_NE(client->warnings[0].find("does not match its sha256"), std::string::npos) << client->warnings[0];
  EXPECT_EQ(client->cache->Stats().corrupt, 2u);
  EXPECT_FALSE(client->cache->Stats().disabled);

  server->set_mode(FaultMode::kServe);
  EXPECT_EQ(client->cache->Get(RemoteArea::kContent, {Sha256Hex(content)})[0], content);
}

TEST(RemoteCacheFaults, ForbiddenUploadsStopUploadingButNotReading) {
  auto server = StartServer(FaultMode::kForbidPut);
  ASSERT_TRUE(server);
  server->Store("/ac/" + Digests(1)[0], "result");
  auto client = Open(server->Url());
  client->cache->Put(RemoteArea::kActionResult, Digests(2)[1], "mine");
  client->cache->Flush();
  for (int i = 0; i < 5; ++i) client->cache->Put(RemoteArea::kActionResult, Digests(8)[i + 2], "more");
  client->cache->Flush();
  EXPECT_EQ(server->puts(), 1u);
  ASSERT_EQ(client->warnings.size(), 1u);
  EXPECT_NE(client->warnings[0].find("HTTP 403"), std::string::npos) << client->warnings[0];
  EXPECT_EQ(client->cache->Get(RemoteArea::kActionResult, {Digests(1)[0]})[0], "result");
}

TEST(RemoteCacheFaults, ServerFailingMidBuildTripsOnItsFirstError) {
  auto server = StartServer(FaultMode::kServe);
  ASSERT_TRUE(server);
  auto client = Open(server->Url("/p"));
  client->cache->Put(RemoteArea::kActionResult, Digests(1)[0], "result");
  client->cache->Flush();
  EXPECT_EQ(server->Stored("/p/ac/" + Digests(1)[0]), "result");
  EXPECT_EQ(client->cache->Get(RemoteArea::kActionResult, {Digests(1)[0]})[0], "result");
  server->set_mode(FaultMode::kError500);
  EXPECT_FALSE(client->cache->Get(RemoteArea::kActionResult, {Digests(1)[0]})[0]);
  ExpectTrippedOnce(*client, *server, "HTTP 500");
  ExpectBreakerOpen(*client, *server);
}

TEST(RemoteCacheFaults, BadDigestsAreMissesWithoutRequests) {
  auto server = StartServer(FaultMode::kServe);
  ASSERT_TRUE(server);
  auto client = Open(server->Url());
  auto got = client->cache->Get(RemoteArea::kContent, {"", "../../etc/passwd", std::string(64, 'A')});
  for (const auto& g : got) EXPECT_FALSE(g);
  EXPECT_EQ(server->requests(), 0u);
  EXPECT_TRUE(client->warnings.empty());
}

}  // namespace
}  // namespace ws
