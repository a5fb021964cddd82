#include "device-host/live_session.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "device-host/engine/engine_test_util.h"
#include "device-host/render/canvas.h"
#include "device-host/render/png_codec.h"
#include "device-host/session/hot_reload.h"
#include "host-abi/host_abi.h"
#include "platform/atomic_file.h"

namespace ws::host {
namespace {

using testing::TempDir;
using testing::Wat;

// A hand-written app: a 64x64 square whose red channel counts key presses
// and whose green channel is `green`; with `image`, a 16x16 picture at
// x=100 fetched from pic.png; with `hot_reload`, the extension, whose state
// is that count (info: one signal, focus "item <count % 10>").
struct AppShape {
  bool hot_reload = true;
  int green = 255;
  std::string init = "(i32.const 0)";  // ws_init's body
  bool trap_on_back = false;
  bool frame_traps = false;
  bool image = false;
};

std::string Bytes(uint32_t value) {
  char out[17];
  std::snprintf(out, sizeof(out), "\\%02x\\%02x\\%02x\\%02x", value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff,
                value >> 24);
  return out;
}

std::vector<uint8_t> App(const AppShape& shape) {
  const std::string json = R"({"signals":1,"kept":0,"reset":0,"focus":"item 0"})";
  const size_t kJson = 1024;
  std::string kept_at = std::to_string(kJson + 4 + json.find("\"kept\":") + 7);
  std::string item_at = std::to_string(kJson + 4 + json.find("item ") + 5);
  std::string escaped;
  for (char c : json) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  int commands = shape.image ? 2 : 1;
  std::string text = R"(
(module
  (import "ws_host" "submit" (func $submit (param i32 i32)))
  (import "ws_host" "fetch" (func $fetch (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $count (mut i32) (i32.const 0))
  (global $dirty (mut i32) (i32.const 1))
  (global $image (mut i32) (i32.const 0))
  (global $kept (mut i32) (i32.const 0))
  (data (i32.const 128) "pic.png")
  (data (i32.const 256) "WSDL)" + Bytes(commands) + R"("
    "\01" "\00\00\00\00" "\00\00\00\00" "\00\00\80\42" "\00\00\80\42" "\00\00\00\00" "\00\00\00\00"
    "\02" "\00\00\c8\42" "\00\00\00\00" "\00\00\80\41" "\00\00\80\41" "\00\00\00\00" "\00\00\80\3f")
  (data (i32.const 1024) ")" + Bytes(static_cast<uint32_t>(json.size())) + escaped + R"(")
  (func (export "_initialize"))
  (func (export "ws_abi_version") (result i32) (i32.const 1))
  (func (export "ws_init") (param i32 i32) (result i32)
    )" + (shape.image ? "(global.set $image (call $fetch (i32.const 128) (i32.const 7)))" : "") + shape.init + R"()
  (func (export "ws_frame") (param f64) (result i32)
    )" + (shape.frame_traps ? "unreachable" : "") + R"(
    (if (global.get $dirty) (then
      (i32.store (i32.const 281) (i32.or (i32.shl (global.get $count) (i32.const 24)) (i32.const )" +
                     std::to_string((shape.green << 16) | 0xff) + R"()))
      (i32.store (i32.const 306) (global.get $image))
      (call $submit (i32.const 256) (i32.const )" + std::to_string(8 + 25 * commands) + R"())
      (global.set $dirty (i32.const 0))))
    (i32.const 0))
  (func (export "ws_input") (param i32 i32) (result i32)
    )" + (shape.trap_on_back ? "(if (i32.eq (local.get 1) (i32.const 6)) (then unreachable))" : "") + R"(
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.set $dirty (i32.const 1))
    (i32.const 1))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32) (global.set $dirty (i32.const 1)))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "ws_free") (param i32))
))";
  if (shape.hot_reload) {
    text.resize(text.rfind(')'));
    text += R"(
  (func (export "ws_hot_reload_version") (result i32) (i32.const 1))
  (func (export "ws_state_save") (result i32)
    (i32.store (i32.const 512) (i32.const 4))
    (i32.store (i32.const 516) (global.get $count))
    (i32.const 512))
  (func (export "ws_state_restore") (param i32 i32) (result i32)
    (if (i32.ne (local.get 1) (i32.const 4)) (then (return (i32.const 1))))
    (global.set $count (i32.load (local.get 0)))
    (global.set $kept (i32.const 1))
    (global.set $dirty (i32.const 1))
    (i32.const 0))
  (func (export "ws_state_info") (result i32)
    (i32.store8 (i32.const )" + kept_at + R"() (i32.add (i32.const 48) (global.get $kept)))
    (i32.store8 (i32.const )" + item_at + R"() (i32.add (i32.const 48) (i32.rem_u (global.get $count) (i32.const 10))))
    (i32.const 1024))
))";
  }
  std::vector<uint8_t> wasm = Wat(text);
  EXPECT_FALSE(wasm.empty()) << text;
  return wasm;
}

struct Pixel {
  int r = -1, g = -1, b = -1;
};

class LiveSessionTest : public ::testing::Test {
 protected:
  std::unique_ptr<LiveSession> Start(const AppShape& shape, LiveOptions options = {}) {
    if (options.assets_dir.empty()) options.assets_dir = dir_.path();
    auto started = LiveSession::Start(options, App(shape), {}, out_, err_);
    EXPECT_TRUE(started) << (started ? "" : started.error().message);
    return started ? std::move(*started) : nullptr;
  }

  // A pixel of a screenshot written by the session, decoded again.
  Pixel Shot(LiveSession& live, int x = 10, int y = 10) {
    std::string path = dir_.path() + "/shot.png";
    Status written = live.Screenshot(path);
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    Result<std::string> bytes = ReadFile(path, kImageFile);
    if (!bytes) return {};
    Result<Image> image = DecodePng(std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()));
    if (!image) return {};
    const uint8_t* p = image->rgba.data() + (static_cast<size_t>(y) * image->width + x) * 4;
    return {p[0], p[1], p[2]};
  }

  void Press(LiveSession& live, int times, int32_t key = host_abi::kKeyRight) {
    for (int i = 0; i < times; ++i) live.Key(key);
    live.Settle();
  }

  void WritePng(const std::string& name, uint8_t red) {
    Canvas canvas(4, 4);
    for (size_t i = 0; i < canvas.rgba.size(); i += 4) {
      canvas.rgba[i] = red;
      canvas.rgba[i + 3] = 255;
    }
    std::vector<uint8_t> png = EncodePng(canvas);
    std::ofstream(dir_.path() + "/" + name, std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  }

  TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(LiveSessionTest, StartsTakesKeysAndWritesScreenshots) {
  auto live = Start({});
  ASSERT_TRUE(live);
  EXPECT_TRUE(live->running());
  EXPECT_TRUE(live->HasNewFrame());
  Canvas canvas(64, 64);
  live->Render(canvas);
  EXPECT_FALSE(live->HasNewFrame());
  EXPECT_EQ(canvas.rgba[1], 255);  // the square's green
  Press(*live, 3);
  EXPECT_TRUE(live->HasNewFrame());
  Pixel pixel = Shot(*live);
  EXPECT_EQ(pixel.r, 3);
  EXPECT_EQ(pixel.g, 255);
  EXPECT_TRUE(live->traps().empty());
  EXPECT_FALSE(live->Screenshot(dir_.path() + "/shot.png/inside.png"));  // shot.png is a file
}

TEST_F(LiveSessionTest, ReloadOfTheSameAndOfAnotherModuleKeepsState) {
  auto live = Start({});
  ASSERT_TRUE(live);
  Press(*live, 2);
  ReloadOutcome same = live->Reload(App({}), {});
  EXPECT_TRUE(same.ok) << same.message;
  EXPECT_TRUE(same.state_kept) << same.message;
  EXPECT_EQ(same.kept_signals, 1);
  EXPECT_EQ(same.focus, "item 2");
  EXPECT_GT(same.swap_ms, 0);
  // The new instance's start, for the overlay and the reload event.
  EXPECT_TRUE(same.startup.measured);
  EXPECT_GT(same.startup.instructions, 0u);
  EXPECT_EQ(same.startup.instructions, same.startup.instantiate_instructions + same.startup.init_instructions +
                                           same.startup.first_frame_instructions);
  EXPECT_GE(same.startup.first_frame_calls, 1);
  EXPECT_DOUBLE_EQ(live->Stats().startup.total_ms, same.startup.total_ms);
  ReloadOutcome other = live->Reload(App({.green = 128}), {});
  EXPECT_TRUE(other.ok) << other.message;
  EXPECT_TRUE(other.state_kept);
  Pixel pixel = Shot(*live);
  EXPECT_EQ(pixel.r, 2);  // the count survived both reloads
  EXPECT_EQ(pixel.g, 128);  // drawn by the new module
  Press(*live, 1);
  EXPECT_EQ(Shot(*live).r, 3);
  EXPECT_EQ(live->Stats().reloads, 2);
  EXPECT_EQ(live->Stats().focus, "item 3");
}

TEST_F(LiveSessionTest, AModuleWithoutTheExtensionGetsAFullRestart) {
  auto live = Start({});
  ASSERT_TRUE(live);
  Press(*live, 2);
  ReloadOutcome plain = live->Reload(App({.hot_reload = false, .green = 64}), {});
  EXPECT_TRUE(plain.ok) << plain.message;
  EXPECT_FALSE(plain.state_kept);
  EXPECT_NE(plain.message.find("no hot reload support"), std::string::npos) << plain.message;
  EXPECT_NE(plain.message.find("full restart"), std::string::npos) << plain.message;
  Pixel pixel = Shot(*live);
  EXPECT_EQ(pixel.r, 0);
  EXPECT_EQ(pixel.g, 64);
  // And from a module without it to one with it: nothing was saved.
  Press(*live, 1);
  ReloadOutcome back = live->Reload(App({}), {});
  EXPECT_TRUE(back.ok);
  EXPECT_FALSE(back.state_kept);
  EXPECT_EQ(Shot(*live).r, 0);
}

TEST_F(LiveSessionTest, ANewModuleThatTrapsInInitLeavesTheOldOneRunning) {
  auto live = Start({});
  ASSERT_TRUE(live);
  Press(*live, 2);
  Canvas canvas(64, 64);
  live->Render(canvas);
  ReloadOutcome trapped = live->Reload(App({.green = 0, .init = "unreachable"}), {});
  EXPECT_FALSE(trapped.ok);
  ASSERT_TRUE(trapped.trap.has_value());
  EXPECT_EQ(trapped.trap->during, "ws_init");
  EXPECT_EQ(trapped.trap->kind, "unreachable");
  EXPECT_NE(trapped.message.find("trapped in ws_init"), std::string::npos) << trapped.message;
  EXPECT_NE(err_.str().find("the new build trapped in ws_init"), std::string::npos) << err_.str();
  EXPECT_TRUE(live->running());
  EXPECT_FALSE(live->HasNewFrame());
  EXPECT_TRUE(live->traps().empty());  // the running app never trapped
  Pixel pixel = Shot(*live);
  EXPECT_EQ(pixel.r, 2);
  EXPECT_EQ(pixel.g, 255);
  Press(*live, 1);
  EXPECT_EQ(Shot(*live).r, 3);  // the old instance still takes keys
  EXPECT_EQ(live->Stats().reloads, 0);

  ReloadOutcome failed = live->Reload(App({.init = "(i32.const 7)"}), {});
  EXPECT_FALSE(failed.ok);
  EXPECT_NE(failed.message.find("returned 7"), std::string::npos) << failed.message;
  ReloadOutcome in_frame = live->Reload(App({.frame_traps = true}), {});
  EXPECT_FALSE(in_frame.ok);
  ASSERT_TRUE(in_frame.trap.has_value());
  EXPECT_EQ(in_frame.trap->during, "ws_frame");
  EXPECT_EQ(Shot(*live).r, 3);
}

TEST_F(LiveSessionTest, BytesThatAreNotAnAppAreRefused) {
  auto live = Start({});
  ASSERT_TRUE(live);
  ReloadOutcome junk = live->Reload({1, 2, 3, 4}, {});
  EXPECT_FALSE(junk.ok);
  EXPECT_NE(junk.message.find("not a wasm module"), std::string::npos) << junk.message;
  ReloadOutcome no_app = live->Reload(Wat("(module (memory (export \"memory\") 1))"), {});
  EXPECT_FALSE(no_app.ok);
  EXPECT_NE(no_app.message.find("missing export"), std::string::npos) << no_app.message;
  EXPECT_TRUE(live->running());
  EXPECT_EQ(Shot(*live).g, 255);
  auto refused = LiveSession::Start({}, {0, 'a', 's', 'm'}, {}, out_, err_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, RunErrorKind::kNotAnApp);
}

TEST_F(LiveSessionTest, ATrapWhileRunningRestartsTheAppAndKeysGoOn) {
  auto live = Start({.trap_on_back = true});
  ASSERT_TRUE(live);
  Press(*live, 2);
  Press(*live, 1, host_abi::kKeyBack);
  ASSERT_EQ(live->traps().size(), 1u);
  EXPECT_EQ(live->traps()[0].during, "ws_input");
  EXPECT_TRUE(live->running());
  EXPECT_NE(err_.str().find("restarting the app"), std::string::npos);
  Press(*live, 1);
  EXPECT_EQ(Shot(*live).r, 1);  // a fresh instance counted the key after the trap
}

TEST_F(LiveSessionTest, AnAppThatKeepsTrappingIsGivenUpOnUntilAGoodReload) {
  LiveOptions options;
  options.max_restarts = 3;
  auto live = Start({.frame_traps = true}, options);
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->running());
  EXPECT_EQ(live->traps().size(), 4u);
  EXPECT_NE(err_.str().find("giving up"), std::string::npos) << err_.str();
  EXPECT_FALSE(live->Frame(1000));
  ReloadOutcome fixed = live->Reload(App({}), {});
  EXPECT_TRUE(fixed.ok) << fixed.message;
  EXPECT_TRUE(live->running());
  Press(*live, 1);
  EXPECT_EQ(Shot(*live).r, 1);
}

TEST_F(LiveSessionTest, RestartDropsTheState) {
  auto live = Start({});
  ASSERT_TRUE(live);
  Press(*live, 4);
  ReloadOutcome restarted = live->Restart();
  EXPECT_TRUE(restarted.ok);
  EXPECT_FALSE(restarted.state_kept);
  EXPECT_EQ(Shot(*live).r, 0);
}

TEST_F(LiveSessionTest, StatsCoverTheLastSecondOfFrames) {
  auto live = Start({});
  ASSERT_TRUE(live);
  live->Key(host_abi::kKeyRight);
  live->Advance(2000);
  LiveStats stats = live->Stats();
  EXPECT_GE(stats.frames, 120);
  EXPECT_GT(stats.frame_ms_p50, 0);
  EXPECT_GE(stats.frame_ms_p99, stats.frame_ms_p50);
  EXPECT_GT(stats.instructions_per_frame, 0u);
  EXPECT_GT(stats.input_latency_ms, 0);
  EXPECT_EQ(stats.memory_bytes, 2u * 65536);
  EXPECT_EQ(stats.signals, 1);
  EXPECT_EQ(stats.focus, "item 1");
  EXPECT_TRUE(stats.startup.measured);
  EXPECT_GT(stats.startup.total_ms, 0);
  EXPECT_GT(stats.startup.first_frame_instructions, 0u);
  // Window mode: the caller's clock starts behind the virtual one; frames go on.
  EXPECT_FALSE(live->Frame(5));
  EXPECT_FALSE(live->Frame(21));
  EXPECT_EQ(live->Stats().frames, stats.frames + 2);
}

TEST_F(LiveSessionTest, AnImageChangeIsDecodedAgainAndOtherAssetsReload) {
  WritePng("pic.png", 200);
  auto live = Start({.image = true});
  ASSERT_TRUE(live);
  EXPECT_EQ(Shot(*live, 104, 4).r, 200);
  Press(*live, 1);
  WritePng("pic.png", 50);
  Canvas canvas(64, 64);
  live->Render(canvas);
  ReloadOutcome image = live->AssetChanged("pic.png");
  EXPECT_TRUE(image.ok) << image.message;
  EXPECT_TRUE(live->HasNewFrame());
  EXPECT_EQ(Shot(*live, 104, 4).r, 50);
  EXPECT_EQ(live->Stats().reloads, 0);

  ReloadOutcome data = live->AssetChanged("strings.json");
  EXPECT_TRUE(data.ok) << data.message;
  EXPECT_TRUE(data.state_kept);
  EXPECT_EQ(live->Stats().reloads, 1);
  EXPECT_EQ(Shot(*live).r, 1);

  std::ofstream(dir_.path() + "/pic.png") << "not a png";
  ReloadOutcome broken = live->AssetChanged("pic.png");
  EXPECT_FALSE(broken.ok);
  EXPECT_NE(broken.message.find("pic.png"), std::string::npos) << broken.message;
  EXPECT_EQ(Shot(*live, 104, 4).r, 50);
}

TEST_F(LiveSessionTest, TheAotEngineReloadsAndKeepsStateToo) {
  LiveOptions options;
  options.engine = "aot";
  options.cache_dir = dir_.path() + "/cache";
  auto live = Start({}, options);
  ASSERT_TRUE(live);
  Press(*live, 2);
  ReloadOutcome reload = live->Reload(App({.green = 100}), {});
  EXPECT_TRUE(reload.ok) << reload.message;
  EXPECT_TRUE(reload.state_kept) << reload.message;
  Pixel pixel = Shot(*live);
  EXPECT_EQ(pixel.r, 2);
  EXPECT_EQ(pixel.g, 100);
  ReloadOutcome trapped = live->Reload(App({.init = "unreachable"}), {});
  EXPECT_FALSE(trapped.ok);
  EXPECT_EQ(Shot(*live).g, 100);
}

TEST_F(LiveSessionTest, StateInfoParsesLeniently) {
  std::optional<StateInfo> info = ParseStateInfo(R"({"signals":14,"kept":12,"reset":2,"focus":"Trending now 3/20"})");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->signals, 14);
  EXPECT_EQ(info->kept, 12);
  EXPECT_EQ(info->reset, 2);
  EXPECT_EQ(info->focus, "Trending now 3/20");
  std::optional<StateInfo> odd = ParseStateInfo(R"({"signals":"many","focus":3})");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->signals, 0);
  EXPECT_EQ(odd->focus, "");
  EXPECT_FALSE(ParseStateInfo("{not json"));
}

// Resident memory in bytes (Linux).
uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

TEST_F(LiveSessionTest, AHundredReloadsDoNotGrowMemory) {
  auto live = Start({});
  ASSERT_TRUE(live);
  Press(*live, 1);
  std::vector<uint8_t> wasm = App({});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(live->Reload(wasm, {}).ok);  // allocator warm-up
  uint64_t before = ResidentBytes();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(live->Reload(wasm, {}).ok);
  uint64_t after = ResidentBytes();
  double grown_mib = (static_cast<double>(after) - static_cast<double>(before)) / (1 << 20);
  std::cout << "resident memory growth over 100 reloads: " << grown_mib << " MiB\n";
  EXPECT_LT(grown_mib, 20.0);  // each reload frees the old instance and its 128 KiB memory
  EXPECT_EQ(Shot(*live).r, 1);
}

}  // namespace
}  // namespace ws::host
