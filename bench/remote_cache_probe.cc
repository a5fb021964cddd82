// bench/remote-cache's probe: the remote cache client against a real nginx
// (WebDAV) and against servers that are down or hang. Prints medians of RUNS.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "remote-cache/curl_transfer.h"
#include "remote-cache/remote_cache.h"
#include "remote-cache/testing/fault_server.h"
#include "remote-cache/testing/nginx_server.h"

namespace {

using namespace ws;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::unique_ptr<HttpRemoteCache> Open(const std::string& url, int parallel,
                                      std::vector<std::string>* warnings) {
  RemoteCacheSettings settings{.url = url, .max_parallel = parallel};
  auto cache = OpenHttpRemoteCache(settings, [warnings](const std::string& w) {
    if (warnings) warnings->push_back(w);
  });
  if (!cache) {
    std::fprintf(stderr, "%s\n", cache.error().message.c_str());
    std::exit(1);
  }
  return std::move(*cache);
}

// Objects and modules of a build: sizes from 2 KiB to 256 KiB.
std::vector<std::string> Blobs(int count) {
  std::vector<std::string> blobs;
  uint32_t seed = 12345;
  for (int i = 0; i < count; ++i) {
    seed = seed * 1103515245 + 12345;
    size_t size = 2048 + (seed >> 8) % (256 * 1024 - 2048);
    std::string blob(size, '\0');
    for (size_t j = 0; j < size; ++j) blob[j] = static_cast<char>((i * 131 + j * 7) & 0xff);
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  auto started = remote::testing::NginxServer::Start();
  if (!started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  const auto& nginx = *started;
  std::vector<std::string> blobs = Blobs(300), digests;
  size_t bytes = 0;
  for (const std::string& b : blobs) {
    digests.push_back(remote::Sha256Hex(b));
    bytes += b.size();
  }
  std::printf("remote cache against nginx %s: %zu blobs, %.1f MiB, median of %d runs\n", nginx->Url().c_str(),
              blobs.size(), bytes / 1048576.0, runs);

  std::vector<double> upload, get8, get1, miss;
  uint64_t connections8 = 0;
  std::vector<std::string> missing;
  for (int i = 0; i < 300; ++i) missing.push_back(remote::Sha256Hex("missing " + std::to_string(i)));
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    {
      auto writer = Open(nginx->Url("/bench/" + std::to_string(r)), 8, nullptr);
      for (size_t i = 0; i < blobs.size(); ++i) writer->Put(RemoteArea::kContent, digests[i], blobs[i]);
      writer->Flush();
    }
    upload.push_back(Ms(start));
    for (int parallel : {8, 1}) {
      auto reader = Open(nginx->Url("/bench/" + std::to_string(r)), parallel, nullptr);
      start = Clock::now();
      auto got = reader->Get(RemoteArea::kContent, digests);
      (parallel == 8 ? get8 : get1).push_back(Ms(start));
      if (std::count(got.begin(), got.end(), std::nullopt) != 0) {
        std::fprintf(stderr, "bench/remote-cache: a blob did not come back\n");
        return 1;
      }
      if (parallel == 8) connections8 = reader->Stats().connections;
      if (parallel == 8) {
        start = Clock::now();
        reader->Get(RemoteArea::kContent, missing);
        miss.push_back(Ms(start));
      }
    }
  }
  double mib = bytes / 1048576.0;
  std::printf("  upload (PUT, 8 parallel)      %8.1f ms  %6.1f MiB/s\n", Median(upload),
              mib / Median(upload) * 1000);
  std::printf("  download, 8 parallel          %8.1f ms  %6.1f MiB/s  (%llu connections)\n", Median(get8),
              mib / Median(get8) * 1000, static_cast<unsigned long long>(connections8));
  std::printf("  download, 1 at a time         %8.1f ms  %6.1f MiB/s\n", Median(get1),
              mib / Median(get1) * 1000);
  std::printf("  300 misses (404), 8 parallel  %8.1f ms\n", Median(miss));

  // A distant remote (20 ms per answer): parallel transfers hide the latency.
  auto far = remote::testing::FaultServer::Start(remote::testing::FaultMode::kServe);
  if (far) {
    (*far)->set_latency_ms(20);
    std::vector<std::string> few(digests.begin(), digests.begin() + 100);
    {
      auto writer = Open((*far)->Url(), 8, nullptr);
      for (size_t i = 0; i < few.size(); ++i) writer->Put(RemoteArea::kContent, few[i], blobs[i]);
    }
    std::vector<double> far8, far1;
    for (int r = 0; r < runs; ++r) {
      for (int parallel : {8, 1}) {
        auto reader = Open((*far)->Url(), parallel, nullptr);
        auto start = Clock::now();
        reader->Get(RemoteArea::kContent, few);
        (parallel == 8 ? far8 : far1).push_back(Ms(start));
      }
    }
    std::printf("remote 20 ms away (fault server): 100 blobs, 8 parallel %.0f ms, 1 at a time %.0f ms\n",
                Median(far8), Median(far1));
  }

  // A remote that is down: the first call finds out, the rest cost nothing.
  std::vector<double> first, later;
  std::string warning;
  for (int r = 0; r < runs; ++r) {
    std::vector<std::string> warnings;
    auto down =
        Open("http://127.0.0.1:" + std::to_string(remote::testing::ClosedLoopbackPort()), 8, &warnings);
    auto start = Clock::now();
    down->Get(RemoteArea::kContent, {digests[0]});
    first.push_back(Ms(start));
    start = Clock::now();
    for (int i = 0; i < 1000; ++i) down->Get(RemoteArea::kContent, {digests[i % digests.size()]});
    later.push_back(Ms(start) / 1000);
    warning = warnings.empty() ? "(no warning)" : warnings[0];
  }
  std::printf("remote down (connection refused): first Get %.2f ms, each later Get %.4f ms\n  warning: %s\n",
              Median(first), Median(later), warning.c_str());

  // A remote that accepts and never answers, with the default timeouts.
  auto hang = remote::testing::FaultServer::Start(remote::testing::FaultMode::kHang);
  if (hang) {
    std::vector<std::string> warnings;
    auto client = Open((*hang)->Url(), 8, &warnings);
    auto start = Clock::now();
    client->Get(RemoteArea::kContent, digests);
    std::printf(
        "remote hangs (default %d ms stall timeout): %zu Gets at once gave up after %.0f ms\n  warning: %s\n",
        RemoteCacheSettings{}.stall_timeout_ms, digests.size(), Ms(start),
        warnings.empty() ? "(no warning)" : warnings[0].c_str());
  }
  return 0;
}
