// A build's files in its output directory (dist/ or dist/<profile>/):
// modules, bundles, deltas, symbol maps, index and reports change together
// or not at all.
//
// Outputs are staged under <out>/.staging/new/. The commit first checks
// that every destination can be written, then writes a journal listing the
// files (from then on the commit is decided), moves each replaced file to
// .staging/old/ and the new one into its place (renames in one file
// system), and finally removes the journal and .staging. A failure halfway
// moves everything back. The commit does not poll interrupts and takes
// milliseconds, so SIGINT and SIGTERM never split it; a SIGKILL (or a
// crash) during it leaves the journal, and RecoverOutputs, which the next
// build, run or budget check calls before anything else, completes it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/result.h"

namespace ws {

class OutputSet {
 public:
  explicit OutputSet(std::string out_dir);
  ~OutputSet();  // without a commit, the staged files are removed
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  const std::string& dir() const { return dir_; }

  // Stages `bytes` to become `path` (a file under the output directory) and
  // returns where they are until the commit.
  Result<std::string> Stage(const std::string& path, std::string_view bytes);
  // The commit removes `path` (an output an earlier build wrote that would
  // now mislead, like the budget results of a build that checked none).
  void Remove(const std::string& path);

  struct File {
    std::string path;  // the destination
    std::string hash;  // content hash (compiler-driver/content_hash.h)
  };
  const std::vector<File>& staged() const { return staged_; }

  // `after_each` (tests) runs after each file is in place. On an error
  // the previous files are back in place, unless `restored()` says not.
  Status Commit(const std::function<void(size_t done, size_t total)>& after_each = {});
  bool restored() const { return restored_; }

 private:
  std::string dir_;
  std::vector<File> staged_;
  std::vector<std::string> removed_;
  bool done_ = false;
  bool restored_ = true;
};

// Completes a commit that a killed build left in `out_dir` (or, when that
// fails, moves the previous files back) and removes what an unfinished
// build staged there. The caller holds the project lock.
Status RecoverOutputs(const std::string& out_dir);

// For commands that read outputs without building: RecoverOutputs under
// the project lock (`state_dir`/lock), taken only when there is something
// to recover.
Status RecoverOutputsLocked(const std::string& out_dir, const std::string& state_dir);

}  // namespace ws
