#include "remote-cache/curl_transfer.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace ws::remote {

std::string AreaName(RemoteArea area) { return area == RemoteArea::kActionResult ? "ac" : "cas"; }

bool IsSha256Hex(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string Sha256Hex(const std::string& bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

Transfer::Transfer(const TransferOptions& options, Method method, RemoteArea area, std::string digest,
                   std::string body)
    : easy_(Curl().easy_init()),
      method_(method),
      area_(area),
      digest_(std::move(digest)),
      url_(options.url.Base() + "/" + AreaName(area) + "/" + digest_),
      body_(method == Method::kPut ? std::move(body) : std::string()) {
  CURL* e = easy_.get();
  Curl().easy_setopt(e, CURLOPT_URL, url_.c_str());
  Curl().easy_setopt(e, CURLOPT_PRIVATE, this);
  Curl().easy_setopt(e, CURLOPT_ERRORBUFFER, error_);
  Curl().easy_setopt(e, CURLOPT_NOSIGNAL, 1L);  // we run in a worker thread
  Curl().easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  Curl().easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  Curl().easy_setopt(e, CURLOPT_USERAGENT, "wasmship-remote-cache");
  Curl().easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  Curl().easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.transfer_timeout_ms));
  // libcurl measures stalls in whole seconds; it also covers the wait for
  // the response's first byte, so a server that accepts and never answers
  // is given up on after this long.
  Curl().easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT,
                   static_cast<long>(std::max(1, options.stall_bytes_per_second)));
  Curl().easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(std::max(1, (options.stall_timeout_ms + 999) / 1000)));
  if (!options.ca_file.empty()) Curl().easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.url.user.empty()) {
    Curl().easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    Curl().easy_setopt(e, CURLOPT_USERNAME, options.url.user.c_str());
    Curl().easy_setopt(e, CURLOPT_PASSWORD, options.url.password.c_str());
  }
  // Every response body goes to OnWrite (libcurl's default is stdout, which
  // is the build's output): a GET's is kept, a PUT's discarded.
  Curl().easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::OnWrite);
  Curl().easy_setopt(e, CURLOPT_WRITEDATA, this);
  if (method == Method::kGet) {
    Curl().easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    // No "Expect: 100-continue": a server that ignores it would cost a
    // second's wait per upload.
    headers_.reset(Curl().slist_append(nullptr, "Expect:"));
    headers_.reset(Curl().slist_append(headers_.release(), "Content-Type: application/octet-stream"));
    Curl().easy_setopt(e, CURLOPT_HTTPHEADER, headers_.get());
    Curl().easy_setopt(e, CURLOPT_UPLOAD, 1L);
    Curl().easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::OnRead);
    Curl().easy_setopt(e, CURLOPT_READDATA, this);
    Curl().easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  }
}

Transfer::~Transfer() = default;

size_t Transfer::OnWrite(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  if (t->method_ != Method::kGet) return size * count;
  if (t->body_.empty()) {
    // One allocation for the whole body (within reason: the length is the
    // server's word).
    curl_off_t length = -1;
    Curl().easy_getinfo(t->easy_.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length > 0) t->body_.reserve(static_cast<size_t>(std::min<curl_off_t>(length, curl_off_t{64} << 20)));
  }
  t->body_.append(data, size * count);
  return size * count;
}

size_t Transfer::OnRead(char* buffer, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  size_t n = std::min(size * count, t->body_.size() - t->upload_offset_);
  std::memcpy(buffer, t->body_.data() + t->upload_offset_, n);
  t->upload_offset_ += n;
  return n;
}

uint64_t Transfer::connections() const {
  long count = 0;
  Curl().easy_getinfo(easy_.get(), CURLINFO_NUM_CONNECTS, &count);
  return static_cast<uint64_t>(std::max(0L, count));
}

std::string Transfer::Describe() const {
  return std::string(method_ == Method::kGet ? "GET " : "PUT ") + AreaName(area_) + "/" +
         digest_.substr(0, 12) + "...";
}

Outcome Transfer::Finish(CURLcode code) {
  if (code != CURLE_OK) {
    std::string detail = error_[0] != '\0' ? std::string(error_) : std::string(Curl().easy_strerror(code));
    std::string what;
    switch (code) {
      case CURLE_COULDNT_RESOLVE_HOST: what = "cannot resolve the host"; break;
      case CURLE_COULDNT_CONNECT: what = "cannot connect"; break;
      case CURLE_OPERATION_TIMEDOUT: what = "timed out"; break;
      case CURLE_PARTIAL_FILE: what = "the body ended before its Content-Length"; break;
      case CURLE_PEER_FAILED_VERIFICATION:
        what = "its TLS certificate is not trusted (install its CA in the system's store)";
        break;
      default: what = "the transfer failed"; break;
    }
    return {Verdict::kServerFailed, what + " (" + Describe() + ": " + detail + ")"};
  }
  long status = 0;
  Curl().easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  return method_ == Method::kGet ? FinishGet(status) : FinishPut(status);
}

Outcome Transfer::FinishGet(long status) {
  std::string http = "HTTP " + std::to_string(status) + " for " + Describe();
  if (status == 404) return {Verdict::kMiss, ""};
  if (status == 401 || status == 403) {
    return {Verdict::kServerFailed, "access denied (" + http + "); check the user:password in the URL"};
  }
  if (status >= 300 && status < 400) {
    return {Verdict::kServerFailed, "redirected (" + http + "); give the URL the redirect points to"};
  }
  if (status != 200) return {Verdict::kServerFailed, "the server answered " + http};
  curl_off_t length = -1;
  Curl().easy_getinfo(easy_.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  if (length >= 0 && static_cast<uint64_t>(length) != body_.size()) {
    return {Verdict::kServerFailed, "the body of " + Describe() + " has " + std::to_string(body_.size()) +
                                        " bytes, not its Content-Length's " + std::to_string(length)};
  }
  if (area_ == RemoteArea::kContent && Sha256Hex(body_) != digest_) {
    return {Verdict::kCorrupt, "the server's copy of cas/" + digest_ +
                                   " does not match its sha256; it was not used (the next upload of that "
                                   "content replaces it)"};
  }
  return {Verdict::kHit, ""};
}

Outcome Transfer::FinishPut(long status) {
  std::string http = "HTTP " + std::to_string(status) + " for " + Describe();
  if (status == 200 || status == 201 || status == 204) return {Verdict::kStored, ""};
  if (status == 413) {
    return {Verdict::kUploadTooLarge, "the server refused a " + std::to_string(body_.size()) +
                                          "-byte upload as too large (" + http +
                                          "); raise its body size limit"};
  }
  if (status == 400 && area_ == RemoteArea::kActionResult) {
    return {Verdict::kUploadRefused, "the server refused an action result (" + http +
                                         "); a bazel-remote server needs --disable_http_ac_validation; "
                                         "not uploading for the rest of this build"};
  }
  if (status == 405) {
    return {Verdict::kUploadRefused,
            "the server does not accept PUT (" + http +
                "; nginx needs `dav_methods PUT;`); not uploading for the rest of this build"};
  }
  if (status >= 400 && status < 500) {
    return {Verdict::kUploadRefused, "the server refused an upload (" + http +
                                         "); the remote is read-only for this user, so not uploading for the "
                                         "rest of this build (set remote_read_only to say so)"};
  }
  std::string hint =
      status == 500 ? " (nginx with WebDAV answers so without `create_full_put_path on;`)" : "";
  return {Verdict::kServerFailed, "the server answered " + http + hint};
}

}  // namespace ws::remote
