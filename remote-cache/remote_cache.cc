#include "remote-cache/remote_cache.h"

#include "platform/curl_library.h"
#include <sodium.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "remote-cache/curl_transfer.h"

namespace ws {
namespace {

using remote::Method;
using remote::Outcome;
using remote::Transfer;
using remote::Verdict;

// Uploads wait in memory until a connection is free; past this many queued
// bytes, Put blocks its caller instead of growing the queue further.
constexpr size_t kMaxQueuedUploadBytes = size_t{256} << 20;

struct GetBatch {
  std::vector<std::optional<std::string>> results;
  size_t remaining = 0;
};

// A transfer not started yet: a GET for a slot of a batch, or a PUT.
struct Request {
  Method method;
  RemoteArea area;
  std::string digest;
  std::string body;  // PUT
  std::shared_ptr<GetBatch> batch;
  size_t index = 0;
};

struct Active {
  std::unique_ptr<Transfer> transfer;
  Request request;  // its body moved into the transfer
};

bool GlobalInit() {
  // Once per process and before any other thread uses libcurl.
  static const bool ready = Curl().error.empty() && sodium_init() >= 0;
  return ready;
}

}  // namespace

class HttpRemoteCache::Impl {
 public:
  Impl(remote::RemoteUrl url, const RemoteCacheSettings& settings, RemoteWarn warn)
      : options_{std::move(url),
                 settings.connect_timeout_ms,
                 settings.stall_timeout_ms,
                 settings.stall_bytes_per_second,
                 settings.transfer_timeout_ms,
                 settings.ca_file},
        display_(options_.url.Display()),
        max_parallel_(static_cast<size_t>(std::max(1, settings.max_parallel))),
        warn_(std::move(warn)),
        multi_(Curl().multi_init()) {
    stats_.uploads_disabled = settings.read_only;
    // Keep a connection per parallel transfer for the whole process.
    Curl().multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(max_parallel_));
    worker_ = std::thread([this] { Run(); });
  }

  ~Impl() {
    Flush();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    Curl().multi_wakeup(multi_.get());
    worker_.join();
    DeliverWarnings();
  }

  const std::string& display() const { return display_; }

  RemoteCacheStats Stats() {
    std::lock_guard lock(mu_);
    return stats_;
  }

  std::vector<std::optional<std::string>> Get(RemoteArea area, const std::vector<std::string>& digests) {
    auto batch = std::make_shared<GetBatch>();
    batch->results.resize(digests.size());
    {
      std::unique_lock lock(mu_);
      stats_.gets += digests.size();
      for (size_t i = 0; i < digests.size(); ++i) {
        if (stats_.disabled || !remote::IsSha256Hex(digests[i])) {
          ++stats_.misses;
          continue;
        }
        gets_.push_back(Request{Method::kGet, area, digests[i], {}, batch, i});
        ++batch->remaining;
      }
      if (batch->remaining > 0) {
        Curl().multi_wakeup(multi_.get());
        batch_done_.wait(lock, [&] { return batch->remaining == 0; });
      }
    }
    DeliverWarnings();
    return std::move(batch->results);
  }

  void Put(RemoteArea area, const std::string& digest, std::string bytes) {
    // Hashing a large output takes a while: not under the lock, and not at
    // all when nothing will be uploaded.
    bool wanted = remote::IsSha256Hex(digest) && UploadsOn();
    bool bad_content = wanted && area == RemoteArea::kContent && remote::Sha256Hex(bytes) != digest;
    {
      std::unique_lock lock(mu_);
      if (bad_content && !warned_bad_upload_) {
        warned_bad_upload_ = true;
        Warn("not uploading cas/" + digest +
             ": its content does not match its name (a wasmship bug; please report it)");
      }
      if (wanted && !bad_content) {
        room_.wait(lock, [&] {
          return queued_bytes_ < kMaxQueuedUploadBytes || stats_.disabled || stats_.uploads_disabled;
        });
      }
      if (!wanted || bad_content || stats_.disabled || stats_.uploads_disabled) {
        ++stats_.puts_dropped;
      } else {
        queued_bytes_ += bytes.size();
        puts_.push_back(Request{Method::kPut, area, digest, std::move(bytes), nullptr, 0});
        ++puts_outstanding_;
        Curl().multi_wakeup(multi_.get());
      }
    }
    DeliverWarnings();
  }

  bool UploadsOn() {
    std::lock_guard lock(mu_);
    return !stats_.disabled && !stats_.uploads_disabled;
  }

  void Flush() {
    {
      std::unique_lock lock(mu_);
      puts_done_.wait(lock, [&] { return puts_outstanding_ == 0; });
    }
    DeliverWarnings();
  }

 private:
  // The worker: starts queued requests (GETs first: a build waits on them)
  // while connections are free, drives the transfers, and settles them.
  void Run() {
    std::unordered_map<CURL*, Active> active;
    while (true) {
      std::vector<Request> starting;
      {
        std::lock_guard lock(mu_);
        if (stats_.disabled) DropQueued();
        if (stopping_ && gets_.empty() && puts_.empty() && active.empty()) break;
        while (active.size() + starting.size() < max_parallel_ && (!gets_.empty() || !puts_.empty())) {
          auto& queue = gets_.empty() ? puts_ : gets_;
          starting.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      for (Request& request : starting) {
        auto transfer = std::make_unique<Transfer>(options_, request.method, request.area, request.digest,
                                                   std::move(request.body));
        CURL* easy = transfer->easy();
        Active started{std::move(transfer), std::move(request)};
        if (easy == nullptr || Curl().multi_add_handle(multi_.get(), easy) != CURLM_OK) {
          // Out of memory or handles: a failure like any other, never a Get that waits forever.
          Settle(started, Outcome{Verdict::kServerFailed, "libcurl could not start a transfer"});
          continue;
        }
        active.emplace(easy, std::move(started));
      }
      int running = 0;
      Curl().multi_perform(multi_.get(), &running);
      int left = 0;
      bool finished_any = false;
      while (CURLMsg* msg = Curl().multi_info_read(multi_.get(), &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        Curl().multi_remove_handle(multi_.get(), easy);
        Active done = std::move(active.at(easy));
        active.erase(easy);
        Settle(done, done.transfer->Finish(code));
        finished_any = true;
      }
      if (Disabled()) {
        // The remote is down: give up at once on what is still in flight.
        for (auto& [easy, in_flight] : active) {
          Curl().multi_remove_handle(multi_.get(), easy);
          Settle(in_flight, Outcome{Verdict::kServerFailed, ""});
        }
        active.clear();
      }
      // A finished transfer frees a slot for a queued one: start it first.
      if (!finished_any) Curl().multi_poll(multi_.get(), nullptr, 0, 1000, nullptr);
    }
  }

  bool Disabled() {
    std::lock_guard lock(mu_);
    return stats_.disabled;
  }

  // Applies a finished transfer's outcome (worker thread).
  void Settle(Active& done, const Outcome& outcome) {
    std::lock_guard lock(mu_);
    Transfer& transfer = *done.transfer;
    Request& request = done.request;
    stats_.connections += transfer.connections();
    switch (outcome.verdict) {
      case Verdict::kServerFailed: TripLocked(outcome.what); break;
      case Verdict::kCorrupt:
        ++stats_.corrupt;
        stats_.bytes_down += transfer.body().size();
        if (!warned_corrupt_) Warn(outcome.what);
        warned_corrupt_ = true;
        break;
      case Verdict::kUploadRefused:
        if (!stats_.uploads_disabled) Warn(outcome.what);
        stats_.uploads_disabled = true;
        break;
      case Verdict::kUploadTooLarge:
        if (!warned_too_large_) Warn(outcome.what);
        warned_too_large_ = true;
        break;
      default: break;
    }
    if (request.method == Method::kGet) {
      if (outcome.verdict == Verdict::kHit) {
        ++stats_.hits;
        stats_.bytes_down += transfer.body().size();
        request.batch->results[request.index] = std::move(transfer.body());
      } else {
        ++stats_.misses;
      }
      if (--request.batch->remaining == 0) batch_done_.notify_all();
      return;
    }
    if (outcome.verdict == Verdict::kStored) {
      ++stats_.puts;
      stats_.bytes_up += transfer.body().size();
    } else {
      ++stats_.puts_dropped;
    }
    queued_bytes_ -= transfer.body().size();
    room_.notify_all();
    if (stats_.uploads_disabled) DropQueuedPuts();
    if (--puts_outstanding_ == 0) puts_done_.notify_all();
  }

  // The circuit breaker: one warning, and no more requests this process.
  void TripLocked(const std::string& what) {
    if (stats_.disabled) return;
    stats_.disabled = true;
    Warn(what + "; continuing with the local cache");
    DropQueued();
  }

  void DropQueued() {
    for (Request& request : gets_) {
      ++stats_.misses;
      if (--request.batch->remaining == 0) batch_done_.notify_all();
    }
    gets_.clear();
    DropQueuedPuts();
    room_.notify_all();
  }

  void DropQueuedPuts() {
    for (Request& request : puts_) {
      ++stats_.puts_dropped;
      queued_bytes_ -= request.body.size();
    }
    puts_outstanding_ -= puts_.size();
    puts_.clear();
    if (puts_outstanding_ == 0) puts_done_.notify_all();
  }

  // Warnings are collected by the worker and delivered by callers' threads
  // (the build's diagnostics need not be thread-safe), one at a time; `warn`
  // must not call back into the cache.
  void Warn(const std::string& message) { warnings_.push_back("remote cache " + display_ + ": " + message); }

  void DeliverWarnings() {
    std::lock_guard warn_lock(warn_mu_);
    std::vector<std::string> messages;
    {
      std::lock_guard lock(mu_);
      messages.swap(warnings_);
    }
    if (warn_) {
      for (const std::string& message : messages) warn_(message);
    }
  }

  struct MultiDeleter {
    void operator()(CURLM* multi) const { Curl().multi_cleanup(multi); }
  };

  const remote::TransferOptions options_;
  const std::string display_;
  const size_t max_parallel_;
  RemoteWarn warn_;
  std::unique_ptr<CURLM, MultiDeleter> multi_;

  std::mutex warn_mu_;  // taken before mu_, never inside it
  std::mutex mu_;
  std::condition_variable batch_done_, puts_done_, room_;
  std::deque<Request> gets_, puts_;
  size_t puts_outstanding_ = 0;  // queued or in flight
  size_t queued_bytes_ = 0;
  RemoteCacheStats stats_;
  std::vector<std::string> warnings_;
  bool warned_corrupt_ = false, warned_too_large_ = false, warned_bad_upload_ = false;
  bool stopping_ = false;

  std::thread worker_;  // last: it starts after everything above exists
};

HttpRemoteCache::HttpRemoteCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpRemoteCache::~HttpRemoteCache() = default;

std::vector<std::optional<std::string>> HttpRemoteCache::Get(RemoteArea area,
                                                             const std::vector<std::string>& digests) {
  return impl_->Get(area, digests);
}

void HttpRemoteCache::Put(RemoteArea area, const std::string& digest, std::string bytes) {
  impl_->Put(area, digest, std::move(bytes));
}

void HttpRemoteCache::Flush() { impl_->Flush(); }
RemoteCacheStats HttpRemoteCache::Stats() const { return impl_->Stats(); }
const std::string& HttpRemoteCache::DisplayUrl() const { return impl_->display(); }

Result<std::unique_ptr<HttpRemoteCache>> OpenHttpRemoteCache(const RemoteCacheSettings& settings,
                                                             RemoteWarn warn) {
  Result<remote::RemoteUrl> url = remote::ParseRemoteUrl(settings.url);
  if (!url) return url.error();
  if (!GlobalInit()) {
    return Error{"remote cache: " + (Curl().error.empty() ? std::string("libsodium could not be initialized") : Curl().error)};
  }
  auto impl = std::make_unique<HttpRemoteCache::Impl>(std::move(*url), settings, std::move(warn));
  return std::make_unique<HttpRemoteCache>(std::move(impl));
}

Result<std::unique_ptr<RemoteStore>> OpenRemoteCache(const RemoteCacheSettings& settings, RemoteWarn warn) {
  Result<std::unique_ptr<HttpRemoteCache>> cache = OpenHttpRemoteCache(settings, std::move(warn));
  if (!cache) return cache.error();
  return std::unique_ptr<RemoteStore>(std::move(*cache));
}

}  // namespace ws
