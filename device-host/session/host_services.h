// The host side of the ABI for one running app (docs/host-abi.md): the
// ws_host imports, the allowed WASI calls, the virtual clock, fetches from
// the app's assets and the last submitted draw list. It outlives app
// instances: after a trap the new instance gets the same services.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "device-host/render/draw_list.h"
#include "device-host/engine/engine.h"
#include "device-host/render/font.h"
#include "device-host/render/rasterizer.h"
#include "device-host/session/trace_recorder.h"

namespace ws::host {

struct HostConfig {
  std::string assets_dir;  // fetch URLs are relative to it; empty: nothing to fetch
  std::ostream* out = nullptr;  // the app's stdout
  std::ostream* err = nullptr;  // the app's stderr and log lines
  uint64_t random_seed = 1;     // random_get is deterministic in headless runs
};

class HostServices {
 public:
  HostServices(HostConfig config, Font& font);

  // Imports for a new instance, bound to these services.
  std::vector<HostImport> Imports();

  double now_ms() const { return now_ms_; }
  void SetClock(double now_ms) { now_ms_ = now_ms; }

  // Hands every fetch requested before this call to the app (ws_alloc, copy,
  // ws_fetch_done). Returns the trap if the app trapped meanwhile.
  CallOutcome DeliverFetches(Instance& instance);
  bool FetchesPending() const { return !pending_.empty(); }
  // A restarted instance starts without outstanding requests.
  void ForgetFetches() { pending_.clear(); }

  const DrawList* last_frame() const { return last_frame_.get(); }
  uint64_t submissions() const { return submissions_; }
  // The app called ws_host.mark_good (update probation is over).
  bool marked_good() const { return marked_good_; }
  const ImageStore& images() const { return images_; }
  // Decodes the image at `url` again into every image id the app got for
  // it (the app keeps its ids): true. Not an image loaded so far: false. A
  // file that no longer reads or decodes: the error, and the old image stays.
  Result<bool> ReloadImage(const std::string& url);
  // Host-side problems worth telling the developer (a corrupt asset, a bad draw list).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // `run --trace`: host calls and fetch delivery become slices, ws_host.trace
  // goes to `tracer` (null: not tracing; it must outlive these services).
  void SetTracer(TraceRecorder* tracer) { tracer_ = tracer; }
  TraceRecorder* tracer() const { return tracer_; }

 private:
  struct Completion {
    int32_t request = 0;
    int32_t status = 0;
    std::vector<uint8_t> body;
  };

  HostOutcome Submit(Instance& instance, std::span<const Value> args);
  HostOutcome MeasureText(Instance& instance, std::span<const Value> args, std::span<Value> results);
  HostOutcome Fetch(Instance& instance, std::span<const Value> args, std::span<Value> results);
  HostOutcome Log(Instance& instance, std::span<const Value> args);
  HostOutcome FdWrite(Instance& instance, std::span<const Value> args, std::span<Value> results);
  HostOutcome ClockTimeGet(Instance& instance, std::span<const Value> args, std::span<Value> results);
  HostOutcome RandomGet(Instance& instance, std::span<const Value> args, std::span<Value> results);
  void Warn(std::string message);
  Completion Load(int32_t request, const std::string& url);

  HostConfig config_;
  Font& font_;
  double now_ms_ = 0;
  int32_t next_request_ = 1;
  uint64_t random_state_;
  std::deque<Completion> pending_;
  std::unique_ptr<DrawList> last_frame_;
  uint64_t submissions_ = 0;
  bool marked_good_ = false;
  ImageStore images_;
  std::map<int32_t, std::string> image_urls_;  // image id → the URL it was loaded from
  std::vector<std::string> warnings_;
  TraceRecorder* tracer_ = nullptr;
};

}  // namespace ws::host
