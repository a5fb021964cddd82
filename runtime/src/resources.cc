#include "src/resources.h"

#include "src/app.h"
#include "src/host_api.h"
#include "src/tree.h"

namespace ws::ui {
namespace {

using State = ImageContent::State;

// The state of `url` for every element showing it.
void UpdateImages(const std::string& url, State state, int32_t image) {
  World& w = Ui().world;
  w.Each<ImageContent>([&](Entity, ImageContent& content) {
    if (content.src != url) return;
    content.state = state;
    content.image = image;
  });
  MarkRenderDirty();
}

void RequestImage(Entity e, ImageContent& content) {
  UiContext& ui = Ui();
  if (content.src.empty()) return;
  auto known = ui.image_states.find(content.src);
  if (known != ui.image_states.end()) {
    content.state = known->second;
    content.image = ui.image_ids[content.src];
    return;
  }
  int32_t request = host_api::Fetch(content.src.data(), static_cast<uint32_t>(content.src.size()));
  State state = request > 0 ? State::kLoading : State::kFailed;
  ui.image_states[content.src] = state;
  ui.image_ids[content.src] = request;
  if (request > 0) ui.image_requests[request] = content.src;
  content.state = state;
  content.image = request;
  (void)e;
}

void Deliver(const FetchCompletion& done) {
  UiContext& ui = Ui();
  if (auto image = ui.image_requests.find(done.request); image != ui.image_requests.end()) {
    std::string url = image->second;
    ui.image_requests.erase(image);
    State state = done.status == host_abi::kFetchOk ? State::kLoaded : State::kFailed;
    ui.image_states[url] = state;
    if (state == State::kFailed) {
      std::string message = "image " + url + " could not be loaded (status " + std::to_string(done.status) +
                            "); showing its placeholder";
      host_api::Log(2, message.data(), static_cast<uint32_t>(message.size()));
    }
    UpdateImages(url, state, done.request);
    return;
  }
  auto callback = ui.fetches.find(done.request);
  if (callback == ui.fetches.end()) return;
  Callback<void(const FetchResult&)> fn = std::move(callback->second);
  ui.fetches.erase(callback);
  FetchResult result{done.status, done.body};
  if (fn) fn(result);
}

}  // namespace

void ResourceSystem() {
  UiContext& ui = Ui();
  for (Entity e : ui.world.TakeDirty<ImageContent>()) {
    if (ImageContent* content = ui.world.Get<ImageContent>(e)) RequestImage(e, *content);
  }
  std::vector<FetchCompletion> done = std::move(ui.completions);
  ui.completions.clear();
  for (const FetchCompletion& completion : done) Deliver(completion);
}

void QueueFetchCompletion(int32_t request, int32_t status, std::string body) {
  Ui().completions.push_back({request, status, std::move(body)});
}

#ifdef WS_PREINIT
void IssueDeferredFetches() {
  auto deferred = std::move(Ui().deferred_fetches);
  Ui().deferred_fetches.clear();
  for (auto& [url, done] : deferred) ws::fetch(url, std::move(done));
}
#endif

#ifdef WS_PREINIT
void DeliverFetchCompletions() {
  std::vector<FetchCompletion> done = std::move(Ui().completions);
  Ui().completions.clear();
  for (const FetchCompletion& completion : done) Deliver(completion);
}

bool FetchesUnfinished() { return !Ui().fetches.empty() || !Ui().completions.empty(); }
#endif

bool ResourcesPending() { return !Ui().completions.empty() || Ui().world.PoolOf<ImageContent>().AnyDirty(); }

}  // namespace ws::ui

namespace ws {

void fetch(const std::string& url, Callback<void(const FetchResult&)> done) {
  ui::UiContext& ui = ui::Ui();
  uint32_t length = static_cast<uint32_t>(url.size());
#ifdef WS_PREINIT
  // The build answers the assets its profile fixes (preinit_fetch); any
  // other request is the device's to make: ws_init sends it there.
  if (ui::Preinitializing()) length |= host_abi::kFetchPreinitDeferrable;
#endif
  int32_t request = host_api::Fetch(url.data(), length);
#ifdef WS_PREINIT
  if (ui::Preinitializing() && request == host_abi::kFetchPreinitDeferred) {
    ui.deferred_fetches.emplace_back(url, std::move(done));
    return;
  }
#endif
  if (request <= 0) {
    // Refused: report it like a missing file, on the next frame as promised.
    static int32_t refused = -1;
    ui.fetches[refused] = std::move(done);
    ui::QueueFetchCompletion(refused--, host_abi::kFetchNotFound, "");
    return;
  }
  ui.fetches[request] = std::move(done);
}

void log(std::string_view message, LogLevel level) {
  host_api::Log(static_cast<int32_t>(level), message.data(), static_cast<uint32_t>(message.size()));
}

void mark_good() { host_api::MarkGood(); }

}  // namespace ws
