#include "platform/file_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace ws {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Long enough for any event to arrive on a loaded machine; returning earlier
// than this is what the tests rely on when a change is expected.
constexpr milliseconds kPatience(3000);
// How long "nothing is reported" is given to be proven wrong.
constexpr milliseconds kQuiet(400);

class FileWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ws_file_watcher_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Result<std::unique_ptr<FileWatcher>> watcher = FileWatcher::Create(milliseconds(50));
    ASSERT_TRUE(watcher) << watcher.error().message;
    watcher_ = std::move(*watcher);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }

  // Truncates and writes in place, as most editors' plain save does.
  void Write(const std::string& relative, const std::string& text) {
    std::ofstream out(Path(relative), std::ios::trunc);
    out << text;
  }

  void WatchTree(std::vector<std::string> ignored = {}) {
    WatchSet set;
    set.directories = {dir_};
    for (std::string& i : ignored) i = Path(i);
    set.ignored = ignored;
    Status s = watcher_->Watch(set);
    ASSERT_TRUE(s) << s.error().message;
  }

  std::vector<std::string> Wait(milliseconds timeout = kPatience) { return watcher_->Wait(timeout); }

  std::string dir_;
  std::unique_ptr<FileWatcher> watcher_;
};

TEST_F(FileWatcherTest, WriteInPlace) {
  Write("app.cc", "one");
  WatchTree();
  Write("app.cc", "two");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("app.cc")});
}

TEST_F(FileWatcherTest, RenameOverTheFile) {
  Write("app.cc", "one");
  WatchTree();
  Write("app.cc.tmp123", "two");
  fs::rename(Path("app.cc.tmp123"), Path("app.cc"));
  std::vector<std::string> changed = Wait();
  EXPECT_NE(std::find(changed.begin(), changed.end(), Path("app.cc")), changed.end());
}

TEST_F(FileWatcherTest, WatchedFileDeletedAndCreatedAgain) {
  fs::create_directory(Path("src"));
  Write("src/app.cc", "one");
  Write("src/other.cc", "not watched");
  WatchSet set;
  set.files = {Path("src/app.cc")};
  ASSERT_TRUE(watcher_->Watch(set));
  fs::remove(Path("src/app.cc"));
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/app.cc")});
  Write("src/other.cc", "a file in the same directory that is not watched");
  EXPECT_TRUE(Wait(kQuiet).empty());
  Write("src/app.cc", "two");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/app.cc")});
  Write("src/app.cc", "three");  // still followed after being re-created
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/app.cc")});
}

TEST_F(FileWatcherTest, WatchedFileWhoseDirectoryIsDeletedAndCreatedAgain) {
  fs::create_directory(Path("src"));
  Write("src/app.cc", "one");
  WatchSet set;
  set.files = {Path("src/app.cc")};
  ASSERT_TRUE(watcher_->Watch(set));
  fs::remove_all(Path("src"));
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/app.cc")});
  fs::create_directory(Path("src"));
  Write("src/app.cc", "two");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/app.cc")});
}

// vim's default save: a write test file 4913, the old file renamed to a
// backup, a new file written, the backup deleted; the swap file throughout.
TEST_F(FileWatcherTest, VimSaveIsOneChangeOfTheFile) {
  Write("app.cc", "one");
  Write(".app.cc.swp", "swap");
  WatchTree();
  Write("4913", "");
  fs::remove(Path("4913"));
  fs::rename(Path("app.cc"), Path("app.cc~"));
  Write("app.cc", "two");
  Write(".app.cc.swp", "swap again");
  fs::remove(Path("app.cc~"));
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("app.cc")});
}

TEST_F(FileWatcherTest, JetBrainsSafeWriteIsOneChangeOfTheFile) {
  Write("app.cc", "one");
  WatchTree();
  Write("app.cc___jb_tmp___", "two");
  fs::rename(Path("app.cc"), Path("app.cc___jb_old___"));
  fs::rename(Path("app.cc___jb_tmp___"), Path("app.cc"));
  fs::remove(Path("app.cc___jb_old___"));
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("app.cc")});
}

TEST_F(FileWatcherTest, BackupAndSwapFilesAreIgnored) {
  WatchTree();
  for (const char* name : {"app.cc~", ".app.cc.swp", ".app.cc.swo", "4913", "5036", "#app.cc#", ".#app.cc",
                           "app.cc___jb_tmp___", "app.cc.kate-swp"}) {
    Write(name, "x");
  }
  EXPECT_TRUE(Wait(kQuiet).empty());
}

TEST_F(FileWatcherTest, BurstOfSavesIsOneBatch) {
  WatchTree();
  for (int i = 0; i < 20; ++i) {
    Write("app.cc", "save " + std::to_string(i));
    Write("style.json", "save " + std::to_string(i));
    std::this_thread::sleep_for(milliseconds(2));
  }
  EXPECT_EQ(Wait(), (std::vector<std::string>{Path("app.cc"), Path("style.json")}));
  EXPECT_TRUE(Wait(kQuiet).empty());
}

// Debounce waits for quiet, but a file written all the time must still be
// reported (at the latest ten debounce intervals after its first change).
TEST_F(FileWatcherTest, ConstantStreamOfChangesStillGetsThrough) {
  WatchTree();
  std::atomic<bool> stop = false;
  std::atomic<bool> writing = true;
  std::thread writer([&] {
    for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
         !stop && std::chrono::steady_clock::now() < end;) {
      Write("log.txt", "more");
      std::this_thread::sleep_for(milliseconds(5));
    }
    writing = false;
  });
  std::vector<std::string> changed = Wait();
  bool still_writing = writing;
  stop = true;
  writer.join();
  EXPECT_EQ(changed, std::vector<std::string>{Path("log.txt")});
  EXPECT_TRUE(still_writing);
}

TEST_F(FileWatcherTest, NewSubdirectoriesAreWatched) {
  WatchTree();
  fs::create_directories(Path("src/widgets"));
  Write("src/widgets/tile.cc", "one");
  std::vector<std::string> changed = Wait();
  EXPECT_EQ(changed, std::vector<std::string>{Path("src/widgets/tile.cc")});
  Write("src/widgets/tile.cc", "two");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/widgets/tile.cc")});
  fs::create_directory(Path("src/widgets/deeper"));
  Write("src/widgets/deeper/row.cc", "one");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("src/widgets/deeper/row.cc")});
}

TEST_F(FileWatcherTest, DirectoryMovedIntoTheTreeIsWatched) {
  std::string outside = dir_ + "_outside";
  fs::create_directories(outside);
  std::ofstream(outside + "/icon.png") << "png";
  fs::create_directory(Path("assets"));
  WatchTree();
  fs::rename(outside, Path("assets/icons"));
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("assets/icons/icon.png")});
  Write("assets/icons/icon.png", "new png");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("assets/icons/icon.png")});
}

TEST_F(FileWatcherTest, IgnoredDirectoriesAreNotWatched) {
  fs::create_directories(Path("dist/debug"));
  WatchTree({"dist", ".wasmship"});
  Write("dist/debug/app.wasm", "wasm");
  fs::create_directory(Path(".wasmship"));
  Write(".wasmship/cache", "x");
  EXPECT_TRUE(Wait(kQuiet).empty());
  Write("app.cc", "a watched file still counts");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("app.cc")});
}

TEST_F(FileWatcherTest, TimeoutReturnsEmpty) {
  Write("app.cc", "one");
  WatchTree();
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(watcher_->Wait(milliseconds(100)).empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(100));
}

TEST_F(FileWatcherTest, WatchReplacesWhatIsWatched) {
  fs::create_directories(Path("a"));
  fs::create_directories(Path("b"));
  WatchSet set;
  set.directories = {Path("a")};
  ASSERT_TRUE(watcher_->Watch(set));
  set.directories = {Path("b")};
  ASSERT_TRUE(watcher_->Watch(set));
  Write("a/x.h", "no longer watched");
  EXPECT_TRUE(Wait(kQuiet).empty());
  Write("b/x.h", "watched");
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("b/x.h")});
}

// More events than the kernel queues (fs.inotify.max_queued_events, 16384
// by default): the dropped ones are not knowable, so every watched file is
// reported, including one that did not change.
TEST_F(FileWatcherTest, QueueOverflowReportsEveryWatchedFile) {
  Write("busy.txt", "");
  Write("quiet.txt", "");
  WatchTree();
  int fd = ::open(Path("busy.txt").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 40000; ++i) {
    ASSERT_EQ(::pwrite(fd, "x", 1, 0), 1);
    int again = ::open(Path("busy.txt").c_str(), O_WRONLY);  // its close adds a CLOSE_WRITE between MODIFYs
    ASSERT_GE(again, 0);
    ::close(again);
  }
  ::close(fd);
  EXPECT_EQ(Wait(), (std::vector<std::string>{Path("busy.txt"), Path("quiet.txt")}));
}

TEST_F(FileWatcherTest, DescriptorBecomesReadableOnAChange) {
  WatchTree();
  EXPECT_GE(watcher_->fd(), 0);
  Write("app.cc", "one");
  pollfd pfd{watcher_->fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&pfd, 1, static_cast<int>(kPatience.count())), 1);
  EXPECT_EQ(Wait(), std::vector<std::string>{Path("app.cc")});
}

// The way a session's loop uses it: sleep in poll() on fd(), then Wait(0),
// which never blocks; a batch still settling then wakes poll() again.
TEST_F(FileWatcherTest, PollThenWaitZeroNeverBlocksAndMissesNothing) {
  WatchTree();
  Write("app.cc", "one");
  pollfd pfd{watcher_->fd(), POLLIN, 0};
  std::vector<std::string> changed;
  auto end = std::chrono::steady_clock::now() + kPatience;
  while (changed.empty() && std::chrono::steady_clock::now() < end) {
    ASSERT_EQ(::poll(&pfd, 1, static_cast<int>(kPatience.count())), 1);
    auto start = std::chrono::steady_clock::now();
    changed = watcher_->Wait(milliseconds(0));
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(40));  // under the 50 ms debounce
  }
  EXPECT_EQ(changed, std::vector<std::string>{Path("app.cc")});
  EXPECT_EQ(::poll(&pfd, 1, static_cast<int>(kQuiet.count())), 0);  // nothing more to say
}

}  // namespace
}  // namespace ws
