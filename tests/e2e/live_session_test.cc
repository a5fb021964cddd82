// The live session of `wasmship dev` on a real app: catalog built by the
// real wasmship binary (debug), driven through device-host's LiveSession,
// reloaded in place.
#include "device-host/live_session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "host-abi/host_abi.h"
#include "platform/atomic_file.h"
#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using host::LiveOptions;
using host::LiveSession;
using host::ReloadOutcome;

// catalog's debug build for tv-2019, as bytes.
std::vector<uint8_t> BuildCatalog(ProjectSandbox& project) {
  project.CopyExample("catalog");
  RunResult build = project.Wasmship({"build", "-p", "debug", "--device", "tv-2019"});
  EXPECT_EQ(build.exit_code, 0) << build.err;
  if (!project.Exists("dist/debug")) return {};
  std::vector<std::string> modules = project.FilesIn("dist/debug", ".wasm");
  EXPECT_EQ(modules.size(), 1u);
  if (modules.empty()) return {};
  Result<std::string> bytes = ReadFile(project.Path("dist/debug/" + modules[0]), kModuleFile);
  EXPECT_TRUE(bytes);
  return bytes ? std::vector<uint8_t>(bytes->begin(), bytes->end()) : std::vector<uint8_t>();
}

class LiveSessionE2ETest : public ::testing::Test {
 protected:
  std::unique_ptr<LiveSession> Start(ProjectSandbox& project, const std::vector<uint8_t>& wasm) {
    LiveOptions options;
    options.memory_limit = 128ull << 20;  // tv-2019
    options.assets_dir = project.Path("assets");
    auto started = LiveSession::Start(options, wasm, {}, out_, err_);
    EXPECT_TRUE(started) << (started ? "" : started.error().message);
    return started ? std::move(*started) : nullptr;
  }

  void Press(LiveSession& live, std::initializer_list<int32_t> keys) {
    for (int32_t key : keys) {
      live.Key(key);
      live.Settle();
    }
  }

  std::string Shot(ProjectSandbox& project, LiveSession& live, const std::string& name) {
    Status written = live.Screenshot(project.Path(name));
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    return project.Read(name);
  }

  std::ostringstream out_, err_;
};

TEST_F(LiveSessionE2ETest, CatalogKeepsRunningAcrossReloadsAndTraps) {
  ProjectSandbox project;
  std::vector<uint8_t> wasm = BuildCatalog(project);
  ASSERT_FALSE(wasm.empty());
  auto live = Start(project, wasm);
  ASSERT_TRUE(live);
  using namespace host_abi;
  Press(*live, {kKeyRight, kKeySelect, kKeyDown, kKeyRight});
  std::string before = Shot(project, *live, "before.png");
  std::string focus = live->Stats().focus;

  ReloadOutcome reload = live->Reload(wasm, {});
  ASSERT_TRUE(reload.ok) << reload.message;
  EXPECT_TRUE(live->running());
  EXPECT_TRUE(live->traps().empty()) << err_.str();
  // The runtime's hot reload extension (debug builds): state and focus survive.
  EXPECT_TRUE(reload.state_kept) << reload.message;
  EXPECT_GT(reload.kept_signals, 0);
  EXPECT_EQ(reload.reset_signals, 0);
  EXPECT_FALSE(focus.empty());
  EXPECT_EQ(reload.focus, focus);
  EXPECT_EQ(live->Stats().focus, focus);
  EXPECT_EQ(Shot(project, *live, "after.png"), before);  // the same page, the same tile focused

  // F5: from scratch, back on the first page.
  ReloadOutcome restart = live->Restart();
  ASSERT_TRUE(restart.ok) << restart.message;
  EXPECT_FALSE(restart.state_kept);
  EXPECT_NE(live->Stats().focus, focus);
  EXPECT_NE(Shot(project, *live, "restarted.png"), before);

  // A module that is not an app, then one that cannot start: catalog keeps running.
  std::vector<uint8_t> truncated(wasm.begin(), wasm.begin() + static_cast<std::ptrdiff_t>(wasm.size() / 2));
  EXPECT_FALSE(live->Reload(truncated, {}).ok);
  std::string kept = Shot(project, *live, "kept.png");
  Press(*live, {kKeyRight});
  EXPECT_NE(Shot(project, *live, "moved.png"), kept);  // still taking keys
  EXPECT_EQ(live->Stats().reloads, 2);
}

}  // namespace
}  // namespace ws::e2e
