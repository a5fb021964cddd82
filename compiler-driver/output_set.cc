#include "compiler-driver/output_set.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "compiler-driver/content_hash.h"
#include "platform/atomic_file.h"
#include "platform/file_lock.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStaging = ".staging";
constexpr const char* kJournalHeader = "wasmship outputs journal 1";

// One line of the journal: a file the commit puts in place, or removes.
struct Entry {
  bool replace = true;
  std::string relative;  // to the output directory
};

struct Paths {
  std::string final, staged, backup;
};

std::string StagingDir(const std::string& dir) { return dir + "/" + kStaging; }
std::string JournalPath(const std::string& dir) { return StagingDir(dir) + "/journal"; }

Paths PathsOf(const std::string& dir, const Entry& e) {
  return {dir + "/" + e.relative, StagingDir(dir) + "/new/" + e.relative,
          StagingDir(dir) + "/old/" + e.relative};
}

// Without following symlinks: a link is a file to replace like any other.
bool Present(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Status Move(const std::string& from, const std::string& to) {
  if (Status made = MakeDirectories(fs::path(to).parent_path().string()); !made) return made;
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Error{"cannot move " + from + " to " + to + ": " + std::strerror(errno)};
  }
  return {};
}

// Idempotent, so that a recovery can run it again over what a killed
// commit already did.
Status Forward(const std::string& dir, const Entry& e) {
  Paths p = PathsOf(dir, e);
  if (e.replace && !Present(p.staged)) return {};  // already in place
  if (Present(p.final) && !Present(p.backup)) {
    if (Status moved = Move(p.final, p.backup); !moved) return moved;
  }
  return e.replace ? Move(p.staged, p.final) : Status{};
}

Status Backward(const std::string& dir, const Entry& e) {
  Paths p = PathsOf(dir, e);
  if (e.replace && !Present(p.staged) && Present(p.final)) {
    if (Status moved = Move(p.final, p.staged); !moved) return moved;
  }
  return Present(p.backup) ? Move(p.backup, p.final) : Status{};
}

Status Rollback(const std::string& dir, const std::vector<Entry>& entries, size_t count) {
  for (size_t i = count; i-- > 0;) {
    if (Status back = Backward(dir, entries[i]); !back) return back;
  }
  return {};
}

std::string JournalText(const std::vector<Entry>& entries) {
  std::string text = std::string(kJournalHeader) + "\n";
  for (const Entry& e : entries) text += (e.replace ? "replace " : "remove ") + e.relative + "\n";
  return text;
}

Result<std::vector<Entry>> ParseJournal(const std::string& path, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<Entry> entries;
  if (!std::getline(in, line) || line != kJournalHeader)
    return Error{path + " is not a wasmship outputs journal"};
  while (std::getline(in, line)) {
    size_t space = line.find(' ');
    std::string verb = line.substr(0, space);
    if (space == std::string::npos || (verb != "replace" && verb != "remove")) {
      return Error{path + ": unreadable line '" + line + "'"};
    }
    entries.push_back({verb == "replace", line.substr(space + 1)});
  }
  return entries;
}

void RemoveStaging(const std::string& dir) {
  std::error_code ignored;
  fs::remove_all(StagingDir(dir), ignored);
}

// Everything a commit will need, checked before the journal decides it:
// each destination's directory can be made and no directory is in the way.
Status CheckDestinations(const std::string& dir, const std::vector<Entry>& entries) {
  for (const Entry& e : entries) {
    std::string final = PathsOf(dir, e).final;
    std::string parent = fs::path(final).parent_path().string();
    if (Status made = MakeDirectories(parent); !made)
      return Error{"cannot write " + final + ": " + made.error().message};
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(final, ec))) {
      return Error{"cannot write " + final + ": a directory is in the way (remove it)"};
    }
  }
  return {};
}

}  // namespace

OutputSet::OutputSet(std::string out_dir) : dir_(fs::path(std::move(out_dir)).lexically_normal().string()) {
  if (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

OutputSet::~OutputSet() {
  if (!done_ && !staged_.empty()) RemoveStaging(dir_);
}

Result<std::string> OutputSet::Stage(const std::string& path, std::string_view bytes) {
  std::string relative = fs::path(path).lexically_normal().lexically_relative(dir_).string();
  if (relative.empty() || relative.rfind("..", 0) == 0 || relative.rfind(kStaging, 0) == 0) {
    return Error{"internal: output " + path + " is not in " + dir_};
  }
  std::string staged = PathsOf(dir_, {true, relative}).staged;
  if (Status written = WriteFileAtomically(staged, bytes); !written) return Error{written.error().message};
  std::erase_if(staged_, [&](const File& f) { return f.path == path; });
  staged_.push_back({path, HashBytes(bytes)});
  return staged;
}

void OutputSet::Remove(const std::string& path) { removed_.push_back(path); }

Status OutputSet::Commit(const std::function<void(size_t, size_t)>& after_each) {
  done_ = true;
  std::vector<Entry> entries;
  for (const File& f : staged_) entries.push_back({true, fs::path(f.path).lexically_relative(dir_).string()});
  for (const std::string& path : removed_) {
    if (Present(path)) entries.push_back({false, fs::path(path).lexically_relative(dir_).string()});
  }
  if (entries.empty()) return {};
  Status checked = CheckDestinations(dir_, entries);
  Status journal = checked ? WriteFileAtomically(JournalPath(dir_), JournalText(entries)) : checked;
  if (!journal) {
    RemoveStaging(dir_);
    return journal;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (Status moved = Forward(dir_, entries[i]); !moved) {
      Status back = Rollback(dir_, entries, i + 1);
      restored_ = back.ok();
      if (!restored_)
        return Error{moved.error().message +
                     "; moving the previous files back failed too: " + back.error().message};
      RemoveStaging(dir_);
      return moved;
    }
    if (after_each) after_each(i + 1, entries.size());
  }
  ::unlink(JournalPath(dir_).c_str());  // done: the new outputs stand
  RemoveStaging(dir_);
  return {};
}

Status RecoverOutputs(const std::string& out_dir) {
  std::string dir = fs::path(out_dir).lexically_normal().string();
  if (!Present(StagingDir(dir))) return {};
  if (Present(JournalPath(dir))) {
    Result<std::string> text = ReadFile(JournalPath(dir));
    Result<std::vector<Entry>> entries = text ? ParseJournal(JournalPath(dir), *text)
                                              : Result<std::vector<Entry>>(Error{text.error().message});
    if (!entries) return Error{"cannot finish the last build's outputs: " + entries.error().message};
    for (size_t i = 0; i < entries->size(); ++i) {
      if (Status moved = Forward(dir, (*entries)[i]); !moved) {
        if (Status back = Rollback(dir, *entries, entries->size()); !back) {
          return Error{"cannot finish the last build's outputs in " + dir + ": " + moved.error().message +
                       "; nor move the previous ones back: " + back.error().message};
        }
        break;
      }
    }
    ::unlink(JournalPath(dir).c_str());
  }
  RemoveStaging(dir);
  return {};
}

Status RecoverOutputsLocked(const std::string& out_dir, const std::string& state_dir) {
  if (!Present(StagingDir(fs::path(out_dir).lexically_normal().string()))) return {};
  if (Status made = MakeDirectories(state_dir); !made) return made;
  Result<FileLock> lock = FileLock::Acquire(state_dir + "/lock");
  if (!lock) return Error{lock.error().message};
  return RecoverOutputs(out_dir);
}

}  // namespace ws
