#include "update-repo/fetcher.h"

#include "platform/curl_library.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ws::tuf {
namespace {

class DirectoryFetcher : public Fetcher {
 public:
  explicit DirectoryFetcher(std::string dir) : dir_(std::move(dir)) {}

  Result<std::string, FetchError> Fetch(const std::string& path, uint64_t max_bytes) override {
    std::string full = dir_ + "/" + path;
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      if (errno == ENOENT) return FetchError{FetchError::kNotFound, full + " does not exist"};
      return FetchError{FetchError::kFailed, "cannot open " + full + ": " + std::strerror(errno)};
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return FetchError{FetchError::kFailed, full + " is not a regular file"};
    }
    std::string out;
    char buffer[65536];
    while (true) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
      if (out.size() > max_bytes) {
        ::close(fd);
        return FetchError{FetchError::kTooLarge, full + " is larger than " + std::to_string(max_bytes) + " bytes"};
      }
    }
    ::close(fd);
    return out;
  }

 private:
  std::string dir_;
};

struct Download {
  std::string body;
  uint64_t max_bytes = 0;
  bool too_large = false;
};

size_t OnData(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  size_t n = size * count;
  if (download->body.size() + n > download->max_bytes) {
    download->too_large = true;
    return 0;  // aborts the transfer
  }
  download->body.append(data, n);
  return n;
}

class HttpFetcher : public Fetcher {
 public:
  explicit HttpFetcher(std::string base) : base_(std::move(base)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  Result<std::string, FetchError> Fetch(const std::string& path, uint64_t max_bytes) override {
    std::string url = base_ + "/" + path;
    const CurlLibrary& api = Curl();
    if (!api.error.empty()) return FetchError{FetchError::kFailed, api.error};
    std::unique_ptr<CURL, void (*)(CURL*)> curl(api.easy_init(), api.easy_cleanup);
    if (!curl) return FetchError{FetchError::kFailed, "libcurl could not start"};
    Download download;
    download.max_bytes = max_bytes;
    api.easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    api.easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, OnData);
    api.easy_setopt(curl.get(), CURLOPT_WRITEDATA, &download);
    api.easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    api.easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
    api.easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
    api.easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled server is a failure, not a hang
    api.easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, 30L);
    api.easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    CURLcode code = api.easy_perform(curl.get());
    if (download.too_large)
      return FetchError{FetchError::kTooLarge, url + " sent more than " + std::to_string(max_bytes) + " bytes"};
    if (code != CURLE_OK) return FetchError{FetchError::kFailed, url + ": " + api.easy_strerror(code)};
    long status = 0;
    api.easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status == 404 || status == 403) return FetchError{FetchError::kNotFound, url + ": HTTP " + std::to_string(status)};
    if (status != 200) return FetchError{FetchError::kFailed, url + ": HTTP " + std::to_string(status)};
    return std::move(download.body);
  }

 private:
  std::string base_;
};

}  // namespace

std::unique_ptr<Fetcher> MakeFetcher(const std::string& repo) {
  if (repo.rfind("http://", 0) == 0 || repo.rfind("https://", 0) == 0) return std::make_unique<HttpFetcher>(repo);
  return std::make_unique<DirectoryFetcher>(repo);
}

}  // namespace ws::tuf
