// One HTTP transfer of the remote cache (a GET or a PUT of one digest) as a
// libcurl easy handle, and what its end means for the cache. Internal to
// remote-cache/: the worker in remote_cache.cc adds these to its multi handle.
#pragma once

#include "platform/curl_library.h"

#include <cstdint>
#include <memory>
#include <string>

#include "action-cache/remote_store.h"
#include "remote-cache/remote_url.h"

namespace ws::remote {

struct TransferOptions {
  RemoteUrl url;
  int connect_timeout_ms = 2000;
  int stall_timeout_ms = 5000;
  int stall_bytes_per_second = 1024;
  int transfer_timeout_ms = 60000;
  std::string ca_file;  // empty: the system's store
};

enum class Method { kGet, kPut };

// What a finished transfer means.
enum class Verdict {
  kHit,             // GET 200 with a usable body
  kMiss,            // GET 404
  kStored,          // PUT accepted
  kCorrupt,         // GET 200 of kContent whose sha256 is not its name
  kUploadRefused,   // PUT 4xx but 413: no uploads to this remote
  kUploadTooLarge,  // PUT 413: this blob only
  kServerFailed,    // anything else: the remote is down or broken
};

struct Outcome {
  Verdict verdict = Verdict::kServerFailed;
  std::string what;  // for a warning: what happened, in words
};

std::string AreaName(RemoteArea area);  // "ac" or "cas"
bool IsSha256Hex(const std::string& text);
std::string Sha256Hex(const std::string& bytes);

class Transfer {
 public:
  // `body` is what a PUT uploads (ignored for a GET). The handle's
  // CURLOPT_PRIVATE points at the Transfer.
  Transfer(const TransferOptions& options, Method method, RemoteArea area, std::string digest,
           std::string body);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_.get(); }
  Method method() const { return method_; }
  RemoteArea area() const { return area_; }
  const std::string& digest() const { return digest_; }
  // The received body (GET), or the uploaded one (PUT).
  std::string& body() { return body_; }
  uint64_t connections() const;  // new connections this transfer opened

  // Reads the status (and checks the body) once curl reports `code`.
  Outcome Finish(CURLcode code);

 private:
  static size_t OnWrite(char* data, size_t size, size_t count, void* self);
  static size_t OnRead(char* buffer, size_t size, size_t count, void* self);
  std::string Describe() const;  // "GET cas/0123456789ab…"
  Outcome FinishGet(long status);
  Outcome FinishPut(long status);

  struct EasyDeleter {
    void operator()(CURL* easy) const { Curl().easy_cleanup(easy); }
  };
  struct ListDeleter {
    void operator()(curl_slist* list) const { Curl().slist_free_all(list); }
  };
  std::unique_ptr<CURL, EasyDeleter> easy_;
  std::unique_ptr<curl_slist, ListDeleter> headers_;
  Method method_;
  RemoteArea area_;
  std::string digest_;
  std::string url_;
  std::string body_;
  size_t upload_offset_ = 0;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace ws::remote
