#include "wasm-opt-passes/stderr_capture.h"

#include <unistd.h>

#include <iostream>

namespace ws::opt {

StderrCapture::StderrCapture() {
  std::cerr.flush();
  std::fflush(stderr);
  file_ = std::tmpfile();
  if (file_ == nullptr) return;
  saved_fd_ = ::dup(STDERR_FILENO);
  if (saved_fd_ < 0 || ::dup2(::fileno(file_), STDERR_FILENO) < 0) {
    if (saved_fd_ >= 0) ::close(saved_fd_);
    saved_fd_ = -1;
    std::fclose(file_);
    file_ = nullptr;
  }
}

StderrCapture::~StderrCapture() {
  Restore();
  if (file_ != nullptr) std::fclose(file_);
}

void StderrCapture::Restore() {
  if (saved_fd_ < 0) return;
  std::cerr.flush();
  std::fflush(stderr);
  ::dup2(saved_fd_, STDERR_FILENO);
  ::close(saved_fd_);
  saved_fd_ = -1;
}

std::string StderrCapture::Finish() {
  Restore();
  if (file_ == nullptr) return "";
  std::string text;
  std::rewind(file_);
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text.append(buffer, n);
  std::fclose(file_);
  file_ = nullptr;
  return text;
}

}  // namespace ws::opt
