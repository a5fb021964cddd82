#include "platform/file_watcher.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace ws {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Every way an editor can change a file: in place (MODIFY, CLOSE_WRITE),
// by renaming a new file over it (MOVED_TO), by deleting and creating it
// again (DELETE, CREATE). MOVE_SELF and DELETE_SELF tell us a watched
// directory itself went away, so its watch's path is no longer true.
constexpr uint32_t kMask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                           IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

// While a wanted directory does not exist (yet), Wait() looks for it this often.
constexpr milliseconds kMissingRetry(200);

// A batch is returned at the latest this many debounce intervals after its
// first change, so a file that is written constantly still gets through.
constexpr int kMaxDelayFactor = 10;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Files editors write beside the real one while saving: vim's swap files
// (.name.swp, .swo, ... .swa, .svz), its write test file 4913 (then 5036,
// 5159, ... when taken), backups (name~), Emacs autosaves (#name#) and
// locks (.#name), JetBrains' safe write (name___jb_tmp___, ___jb_old___),
// Kate's swap and gedit's temporary.
bool IsEditorTempName(std::string_view name) {
  if (name.empty() || EndsWith(name, "~")) return true;
  if (name.size() >= 2 && name.front() == '#' && name.back() == '#') return true;
  if (name.starts_with(".#") || name.starts_with(".goutputstream-")) return true;
  if (EndsWith(name, "___jb_tmp___") || EndsWith(name, "___jb_old___") || EndsWith(name, ".kate-swp")) return true;
  if (name.front() == '.' && name.size() > 4 && name[name.size() - 4] == '.' && name[name.size() - 3] == 's' &&
      name[name.size() - 2] >= 'a' && name[name.size() - 2] <= 'w' && name.back() >= 'a' && name.back() <= 'z') {
    return true;
  }
  if (name.size() == 4 && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = std::stoi(std::string(name));
    return n >= 4913 && (n - 4913) % 123 == 0;
  }
  return false;
}

std::string Normalize(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  std::string text = (ec ? fs::path(path) : absolute).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

bool IsAtOrBelow(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

std::string Join(const std::string& dir, std::string_view name) {
  return dir == "/" ? dir + std::string(name) : dir + "/" + std::string(name);
}

// Owns a file descriptor.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The descriptors of a watcher: inotify's, a timer for when pending changes
// settle (or a missing directory is to be looked for again), and an epoll
// set of both, which is what fd() gives to the caller's poll().
struct WatcherFds {
  UniqueFd inotify;
  UniqueFd timer;
  UniqueFd epoll;
};

class InotifyWatcher final : public FileWatcher {
 public:
  InotifyWatcher(std::unique_ptr<WatcherFds> fds, milliseconds debounce) : fds_(std::move(fds)), debounce_(debounce) {}

  Status Watch(const WatchSet& set) override;
  int fd() const override { return fds_->epoll.get(); }
  std::vector<std::string> Wait(milliseconds timeout) override;

 private:
  int inotify() const { return fds_->inotify.get(); }
  void ArmTimer(std::optional<Clock::time_point> when);
  bool IsIgnored(const std::string& path) const;
  bool IsRecursive(const std::string& dir) const;
  bool IsWanted(const std::string& dir, std::string_view name) const;
  Status AddWatch(const std::string& dir, bool report_files);
  Status Sync(bool report_new);
  void RetryMissing();
  void RemoveWatchesAtOrBelow(const std::string& dir);
  void ForgetWatch(int wd);
  void Touch(const std::string& path);
  void TouchFilesOf(const std::string& dir);
  void TouchEverything();
  void ReadEvents();
  void HandleEvent(const inotify_event& event);

  std::unique_ptr<WatcherFds> fds_;
  milliseconds debounce_;
  // What is wanted (normalized absolute paths).
  std::map<std::string, std::set<std::string>> file_dirs_;  // directory → watched file names
  std::vector<std::string> trees_;                          // recursive roots
  std::vector<std::string> ignored_;
  // What is watched.
  std::map<int, std::string> paths_;
  std::map<std::string, int> wds_;
  bool missing_ = false;  // some wanted directory has no watch (it does not exist)
  // What changed and is waiting to settle.
  std::set<std::string> pending_;
  std::optional<Clock::time_point> first_change_;
  Clock::time_point last_change_;
};

bool InotifyWatcher::IsIgnored(const std::string& path) const {
  return std::any_of(ignored_.begin(), ignored_.end(), [&](const std::string& i) { return IsAtOrBelow(path, i); });
}

bool InotifyWatcher::IsRecursive(const std::string& dir) const {
  if (IsIgnored(dir)) return false;
  return std::any_of(trees_.begin(), trees_.end(), [&](const std::string& t) { return IsAtOrBelow(dir, t); });
}

bool InotifyWatcher::IsWanted(const std::string& dir, std::string_view name) const {
  if (IsEditorTempName(name)) return false;
  auto files = file_dirs_.find(dir);
  if (files != file_dirs_.end() && files->second.contains(std::string(name))) return true;
  return IsRecursive(dir);
}

// Watches `dir` (when it exists and is not watched already). A directory
// that appears while we watch may already hold files written before its
// watch existed: `report_files` counts those as changed.
Status InotifyWatcher::AddWatch(const std::string& dir, bool report_files) {
  if (wds_.contains(dir)) return {};
  int wd = ::inotify_add_watch(inotify(), dir.c_str(), kMask);
  if (wd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) return {};  // missing: looked for again later
    if (errno == ENOSPC) {
      return Error{"cannot watch " + dir + ": the inotify watch limit is reached (raise fs.inotify.max_user_watches)"};
    }
    return Error{"cannot watch " + dir + ": " + std::strerror(errno)};
  }
  auto old = paths_.find(wd);  // the same directory under another name (moved)
  if (old != paths_.end()) wds_.erase(old->second);
  paths_[wd] = dir;
  wds_[dir] = wd;
  if (report_files) TouchFilesOf(dir);
  return {};
}

// Adds a watch to every wanted directory that exists and has none.
Status InotifyWatcher::Sync(bool report_new) {
  missing_ = false;
  for (const auto& [dir, names] : file_dirs_) {
    bool is_new = !wds_.contains(dir);
    if (Status s = AddWatch(dir, false); !s) return s;
    if (!wds_.contains(dir)) {
      missing_ = true;
    } else if (report_new && is_new) {
      // Not TouchFilesOf: only the named files of a file directory count.
      for (const std::string& name : names) {
        if (fs::exists(Join(dir, name))) Touch(Join(dir, name));
      }
    }
  }
  for (const std::string& root : trees_) {
    if (IsIgnored(root)) continue;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      missing_ = true;
      continue;
    }
    if (Status s = AddWatch(root, report_new); !s) return s;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
      std::string dir = it->path().string();
      if (IsIgnored(dir)) {
        it.disable_recursion_pending();
        continue;
      }
      if (Status s = AddWatch(dir, report_new); !s) return s;
    }
  }
  return {};
}

// Looks again for wanted directories that did not exist (cheaper than Sync:
// only the missing ones are looked at).
void InotifyWatcher::RetryMissing() {
  std::error_code ec;
  bool root_back = false;
  for (const std::string& root : trees_) {
    if (!wds_.contains(root) && !IsIgnored(root) && fs::is_directory(root, ec)) root_back = true;
  }
  bool dir_back = false;
  for (const auto& [dir, names] : file_dirs_) {
    if (!wds_.contains(dir) && fs::is_directory(dir, ec)) dir_back = true;
  }
  if (root_back || dir_back) {
    (void)Sync(true);
    return;
  }
  missing_ = std::any_of(trees_.begin(), trees_.end(), [&](const std::string& r) { return !IsIgnored(r) && !wds_.contains(r); }) ||
             std::any_of(file_dirs_.begin(), file_dirs_.end(), [&](const auto& d) { return !wds_.contains(d.first); });
}

void InotifyWatcher::ForgetWatch(int wd) {
  auto it = paths_.find(wd);
  if (it == paths_.end()) return;
  std::string dir = it->second;
  wds_.erase(dir);
  paths_.erase(it);
  if (file_dirs_.contains(dir)) {
    for (const std::string& name : file_dirs_.at(dir)) Touch(Join(dir, name));
  }
  missing_ = true;  // it may come back (a deleted directory created again)
}

// A directory was deleted or moved away: its watches (and those below it)
// no longer describe the paths we know it by.
void InotifyWatcher::RemoveWatchesAtOrBelow(const std::string& dir) {
  std::vector<int> gone;
  for (auto it = wds_.lower_bound(dir); it != wds_.end() && it->first.starts_with(dir); ++it) {
    if (IsAtOrBelow(it->first, dir)) gone.push_back(it->second);
  }
  for (int wd : gone) {
    ::inotify_rm_watch(inotify(), wd);
    ForgetWatch(wd);
  }
}

void InotifyWatcher::Touch(const std::string& path) {
  pending_.insert(path);
  last_change_ = Clock::now();
  if (!first_change_) first_change_ = last_change_;
}

void InotifyWatcher::TouchFilesOf(const std::string& dir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!it->is_directory(ec) && IsWanted(dir, name)) Touch(it->path().string());
  }
}

// The kernel dropped events (queue overflow): we cannot know what changed,
// so everything watched counts as changed rather than missing one.
void InotifyWatcher::TouchEverything() {
  for (const auto& [dir, names] : file_dirs_) {
    for (const std::string& name : names) Touch(Join(dir, name));
  }
  for (const auto& [dir, wd] : wds_) {
    if (IsRecursive(dir)) TouchFilesOf(dir);
  }
  (void)Sync(false);  // directories created during the overflow have no watch yet
}

void InotifyWatcher::HandleEvent(const inotify_event& event) {
  if (event.mask & IN_Q_OVERFLOW) {
    TouchEverything();
    return;
  }
  auto it = paths_.find(event.wd);
  if (it == paths_.end()) return;  // a watch we already let go
  if (event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
    if (!(event.mask & IN_IGNORED)) ::inotify_rm_watch(inotify(), event.wd);
    ForgetWatch(event.wd);
    return;
  }
  if (event.len == 0) return;
  std::string dir = it->second;
  std::string_view name(event.name);
  std::string path = Join(dir, name);
  if (event.mask & IN_ISDIR) {
    if (!IsRecursive(dir) || IsIgnored(path)) return;
    if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
      RemoveWatchesAtOrBelow(path);
      Touch(path);  // a directory that went away is reported by its own path
    }
    if (event.mask & (IN_CREATE | IN_MOVED_TO)) (void)Sync(true);
    return;
  }
  if (IsWanted(dir, name)) Touch(path);
}

void InotifyWatcher::ReadEvents() {
  alignas(inotify_event) char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(inotify(), buffer, sizeof buffer);
    if (n <= 0) return;  // EAGAIN: drained (the descriptor is non-blocking)
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      HandleEvent(*event);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

Status InotifyWatcher::Watch(const WatchSet& set) {
  file_dirs_.clear();
  trees_.clear();
  ignored_.clear();
  for (const std::string& file : set.files) {
    std::string path = Normalize(file);
    fs::path p(path);
    file_dirs_[p.parent_path().string()].insert(p.filename().string());
  }
  for (const std::string& dir : set.directories) trees_.push_back(Normalize(dir));
  for (const std::string& dir : set.ignored) ignored_.push_back(Normalize(dir));
  // Add the new watches before dropping the old ones, so no change in
  // between is lost.
  std::map<std::string, int> before = wds_;
  if (Status s = Sync(false); !s) return s;
  for (const auto& [dir, wd] : before) {
    if (!file_dirs_.contains(dir) && !IsRecursive(dir) && wds_.contains(dir)) {
      ::inotify_rm_watch(inotify(), wd);
      wds_.erase(dir);
      paths_.erase(wd);
    }
  }
  return {};
}

// Makes fd() readable at `when` (none: never), so a caller that sleeps in
// poll() comes back for a batch that has settled since.
void InotifyWatcher::ArmTimer(std::optional<Clock::time_point> when) {
  itimerspec spec{};
  if (when) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when->time_since_epoch()).count();
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1000000000);
    spec.it_value.tv_nsec = static_cast<long>(ns % 1000000000);
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;  // 0 would disarm
  }
  ::timerfd_settime(fds_->timer.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
}

std::vector<std::string> InotifyWatcher::Wait(milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    uint64_t expirations;
    while (::read(fds_->timer.get(), &expirations, sizeof expirations) > 0) {
    }
    ReadEvents();
    if (missing_) RetryMissing();
    Clock::time_point now = Clock::now();
    std::optional<Clock::time_point> wake;
    if (first_change_) {
      Clock::time_point settled = std::min(last_change_ + debounce_, *first_change_ + kMaxDelayFactor * debounce_);
      if (now >= settled) break;
      wake = settled;
    }
    if (missing_) wake = std::min(wake.value_or(Clock::time_point::max()), now + kMissingRetry);
    ArmTimer(wake);
    // Past the timeout, a batch still settling stays pending: the timer
    // makes fd() readable when it is ready.
    if (now >= deadline) return {};
    Clock::time_point until = std::min(deadline, wake.value_or(deadline));
    auto wait_ms = std::chrono::ceil<milliseconds>(until - now).count();
    pollfd pfd{fd(), POLLIN, 0};
    ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(wait_ms, 0)));
  }
  ArmTimer(std::nullopt);
  std::vector<std::string> changed(pending_.begin(), pending_.end());
  pending_.clear();
  first_change_.reset();
  return changed;
}

}  // namespace

Result<std::unique_ptr<FileWatcher>> FileWatcher::Create(milliseconds debounce) {
  auto fds = std::make_unique<WatcherFds>();
  fds->inotify = UniqueFd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (fds->inotify.get() < 0) {
    return Error{std::string("cannot watch files (inotify_init1: ") + std::strerror(errno) +
                 "): raise fs.inotify.max_user_instances or close other watching programs"};
  }
  fds->timer = UniqueFd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  fds->epoll = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (fds->timer.get() < 0 || fds->epoll.get() < 0) {
    return Error{std::string("cannot watch files: ") + std::strerror(errno)};
  }
  for (int member : {fds->inotify.get(), fds->timer.get()}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = member;
    if (::epoll_ctl(fds->epoll.get(), EPOLL_CTL_ADD, member, &event) != 0) {
      return Error{std::string("cannot watch files (epoll_ctl): ") + std::strerror(errno)};
    }
  }
  return std::unique_ptr<FileWatcher>(std::make_unique<InotifyWatcher>(std::move(fds), debounce));
}

}  // namespace ws
