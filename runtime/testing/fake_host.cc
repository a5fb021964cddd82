#include "testing/fake_host.h"

#include <cmath>

#include "src/host_api.h"
#include "src/resources.h"

namespace ws::testing {

FakeHost& Host() {
  static FakeHost host;
  return host;
}

void FakeHost::CompleteFetches() {
  std::vector<std::pair<int32_t, std::string>> pending = std::move(requests);
  requests.clear();
  for (const auto& [id, url] : pending) {
    auto file = files.find(url);
    if (file == files.end()) {
      ui::QueueFetchCompletion(id, 404, "");
    } else {
      ui::QueueFetchCompletion(id, 200, file->second);
    }
  }
}

}  // namespace ws::testing

namespace ws::host_api {

void Submit(const uint8_t* data, uint32_t len) { testing::Host().submissions.emplace_back(data, data + len); }

int64_t MeasureText(const char*, uint32_t len, float size_px) {
  auto width = static_cast<int64_t>(std::ceil(static_cast<float>(len) * size_px * testing::kCharWidth));
  auto height = static_cast<int64_t>(std::ceil(size_px * testing::kLineHeight));
  return (width << 32) | height;
}

int32_t Fetch(const char* url, uint32_t len) {
  testing::FakeHost& host = testing::Host();
  std::string name(url, len);
  host.fetched.push_back(name);
  int32_t id = host.next_request++;
  host.requests.emplace_back(id, name);
  return id;
}

void Log(int32_t level, const char* text, uint32_t len) { testing::Host().logs.emplace_back(level, std::string(text, len)); }

double NowMs() { return 0; }

int32_t SpawnWorker(int32_t) { return -1; }
void Trace(int32_t event, int32_t arg) { testing::Host().traces.emplace_back(event, arg); }
void MarkGood() {}

}  // namespace ws::host_api
