// Captures what the process writes to stderr (fd 2) while it lives.
//
// Binaryen's validator prints its findings to std::cerr instead of
// returning them; we need them as text to name the offending function.
// The capture goes to an unlinked temporary file rather than a pipe, so a
// validator that prints megabytes cannot block on a full pipe. fd 2 is
// restored by Finish() or, whatever happens, by the destructor.
// fd 2 is process-wide: other threads' stderr output during the capture
// lands in it too.
#pragma once

#include <cstdio>
#include <string>

namespace ws::opt {

class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Restores fd 2 and returns everything written since construction
  // ("" when the capture could not be set up).
  std::string Finish();

 private:
  void Restore();

  std::FILE* file_ = nullptr;
  int saved_fd_ = -1;
};

}  // namespace ws::opt
