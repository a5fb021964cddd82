// The update repository through the wasmship binary: repo init, publish,
// device update (and its refusals, exit 5), device run's rollback of an
// app that crashes on start (every device of a simulated fleet), device
// report and symbolicate.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/project_sandbox.h"
#include "update-repo/device_state.h"
#include "update-repo/repo_test_support.h"
#include "wasm-binary/symbol_map.h"

namespace ws::e2e {
namespace {

using tuf::testing::ScratchRepo;

// A module that satisfies the host ABI and runs (or traps in ws_init, by a
// call to a function the symbol map will name).
std::string AppWat(bool crash) {
  std::string init = crash ? "(call $crash_on_start)" : "(i32.const 0)";
  return R"((module
  (memory (export "memory") 2)
  (func $crash_on_start (result i32) unreachable)
  (func (export "_initialize"))
  (func (export "ws_abi_version") (result i32) (i32.const 1))
  (func (export "ws_init") (param i32 i32) (result i32) )" + init + R"()
  (func (export "ws_frame") (param f64) (result i32) (i32.const 1))
  (func (export "ws_input") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "ws_free") (param i32))))";
}

std::string Wasm(ProjectSandbox& box, const std::string& name, bool crash) {
  box.Write(name + ".wat", AppWat(crash));
  RunResult made = RunCommand({"wat2wasm", name + ".wat", "-o", name + ".wasm"}, box.dir());
  EXPECT_EQ(made.exit_code, 0) << made.err;
  return box.Read(name + ".wasm");
}

const tuf::testing::Variants kVariants = {{"base-64m-release", {"tv-2019", "stick-2020"}}};

TEST(UpdateCli, InitPublishUpdateAndRefuseATamperedBundle) {
  ProjectSandbox box;
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "repo.key"}).exit_code, 0);
  RunResult init = box.Wasmship({"repo", "init", "repo", "--key", "repo.key"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ExpectContains(init.err, "warning: one key signs every role");
  ScratchRepo::WriteDist(box.Path("dist"), "1.0.0", kVariants, "catalog", "");
  RunResult publish = box.Wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist", "--key", "repo.key"});
  ASSERT_EQ(publish.exit_code, 0) << publish.err;
  ExpectContains(publish.out, "published catalog 1.0.0 to stable: 1 bundles, 0 deltas");
  std::vector<std::string> update = {"device", "update", "--repo", "repo", "--device", "tv-2019", "--device-id", "tv-1",
                                     "--state", "state", "--trusted-root", "repo/1.root.json"};
  RunResult first = box.Wasmship(update);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ExpectContains(first.out, "tv-1: installed 1.0.0");
  EXPECT_EQ(box.Wasmship(update).out, "tv-1: up to date (1.0.0)\n");

  // Another key cannot publish, and nothing is written.
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "other.key"}).exit_code, 0);
  ScratchRepo::WriteDist(box.Path("dist2"), "1.1.0", kVariants, "catalog", "");
  RunResult wrong = box.Wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist2", "--key", "other.key"});
  EXPECT_EQ(wrong.exit_code, 2);
  ExpectContains(wrong.err, "missing key: the stable role needs 1 of its keys");

  ASSERT_EQ(box.Wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist2", "--key", "repo.key"}).exit_code, 0);
  std::filesystem::copy(box.Path("repo"), box.Path("mirror"), std::filesystem::copy_options::recursive);
  for (const auto& e : std::filesystem::recursive_directory_iterator(box.Path("mirror/targets"))) {
    if (e.path().filename().string().find("1.1.0-base-64m-release.from-1.0.0.wsb") == std::string::npos) continue;
    std::string bytes = box.Read(std::filesystem::relative(e.path(), box.dir()).string());
    bytes[bytes.size() - 3] ^= 0x40;
    box.Write(std::filesystem::relative(e.path(), box.dir()).string(), bytes);
  }
  update[3] = "mirror";
  RunResult refused = box.Wasmship(update);
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  ExpectContains(refused.err, "update refused: arbitrary software attack");
  update[3] = "repo";
  RunResult delta = box.Wasmship(update);
  ASSERT_EQ(delta.exit_code, 0) << delta.err;
  ExpectContains(delta.out, "tv-1: updated 1.0.0 -> 1.1.0 from stable/catalog-1.1.0-base-64m-release.from-1.0.0.wsb (delta");
}

TEST(UpdateCli, RolloutNamesDevicesHaltsAndReverts) {
  ProjectSandbox box;
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "repo.key"}).exit_code, 0);
  ASSERT_EQ(box.Wasmship({"repo", "init", "repo", "--key", "repo.key"}).exit_code, 0);
  ScratchRepo::WriteDist(box.Path("dist1"), "1.0.0", kVariants, "catalog", "");
  ScratchRepo::WriteDist(box.Path("dist2"), "1.1.0", kVariants, "catalog", "");
  auto wasmship = [&](std::vector<std::string> args) {
    RunResult r = box.Wasmship(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  auto update = [&](const std::string& id) {
    return wasmship({"device", "update", "--repo", "repo", "--device", "tv-2019", "--device-id", id, "--state",
                     "state-" + id, "--trusted-root", "repo/1.root.json"});
  };
  std::vector<std::string> rollout = {"rollout", "--repo", "repo", "--channel", "stable", "--key", "repo.key"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = rollout;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist1", "--key", "repo.key"});
  ExpectContains(update("a"), "a: installed 1.0.0");
  ExpectContains(update("b"), "b: installed 1.0.0");
  wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist2", "--key", "repo.key", "--percent", "0"});
  ExpectContains(update("a"), "a: up to date (1.0.0)");
  ExpectContains(wasmship(with({"--percent", "0", "--devices", "a"})), "stable: 1.1.0: 0.0% of devices and 1 named");
  ExpectContains(update("a"), "a: updated 1.0.0 -> 1.1.0");
  ExpectContains(update("b"), "b: up to date (1.0.0)");
  ExpectContains(wasmship(with({"--halt"})), ", halted");
  ExpectContains(update("a"), "a: up to date (1.1.0)");
  ExpectContains(wasmship(with({"--revert", "1.0.0"})), "withdrew 1.1.0; devices go back to 1.0.0");
  ExpectContains(update("a"), "a: updated 1.1.0 -> 1.0.0 (the channel withdrew 1.1.0)");
  ExpectContains(update("b"), "b: up to date (1.0.0)");
  RunResult none = box.Wasmship(rollout);
  EXPECT_EQ(none.exit_code, 2);
  ExpectContains(none.err, "give one of --percent P");
}

// The issue's bar: an injected crash-on-start bundle; 100% of the simulated
// devices roll back and run the previous bundle.
TEST(UpdateCli, CrashOnStartRollsBackEveryDeviceAndSymbolicates) {
  ProjectSandbox box;
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "repo.key"}).exit_code, 0);
  ASSERT_EQ(box.Wasmship({"repo", "init", "repo", "--key", "repo.key"}).exit_code, 0);
  std::string good = Wasm(box, "good", false), crash = Wasm(box, "crash", true);
  ScratchRepo::WriteDist(box.Path("dist1"), "1.0.0", kVariants, "catalog", good);
  ScratchRepo::WriteDist(box.Path("dist2"), "1.1.0", kVariants, "catalog", crash);
  auto publish = [&](const std::string& dist) {
    RunResult r = box.Wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", dist, "--key", "repo.key"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  auto update = [&](int i) {
    return box.Wasmship({"device", "update", "--repo", "repo", "--device", i % 2 ? "tv-2019" : "stick-2020",
                         "--device-id", "dev-" + std::to_string(i), "--state", "state-" + std::to_string(i),
                         "--trusted-root", "repo/1.root.json"});
  };
  auto run = [&](int i) { return box.Wasmship({"device", "run", "--state", "state-" + std::to_string(i), "--frames", "10", "--good-after", "5"}); };
  constexpr int kDevices = 8;
  publish("dist1");
  for (int i = 0; i < kDevices; ++i) {
    ASSERT_EQ(update(i).exit_code, 0);
    RunResult r = run(i);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ExpectContains(r.out, "catalog 1.0.0 marked good after 5 frames");
  }
  publish("dist2");
  int rolled_back = 0;
  for (int i = 0; i < kDevices; ++i) {
    ASSERT_EQ(update(i).exit_code, 0);
    RunResult r = run(i);
    EXPECT_EQ(r.exit_code, 4);
    ExpectContains(r.err, "catalog 1.1.0 trapped before it was marked good (unreachable); rolled back to 1.0.0");
    ExpectContains(r.out, "catalog 1.0.0: ran");
    Result<tuf::DeviceState> state = tuf::LoadDeviceState(box.Path("state-" + std::to_string(i)));
    rolled_back += state.ok() && state->current && state->current->version == "1.0.0" && state->current->good;
    // Later boots run the good app, and the device does not take the module that crashed again.
    EXPECT_EQ(run(i).exit_code, 0);
    RunResult again = update(i);
    EXPECT_EQ(again.exit_code, 0);
    ExpectContains(again.out, "up to date (1.0.0)");
  }
  std::printf("crash-on-start: %d of %d devices rolled back\n", rolled_back, kDevices);
  EXPECT_EQ(rolled_back, kDevices);

  RunResult report = box.Wasmship({"device", "report", "--state", "state-0"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  ExpectContains(report.out, "catalog 1.1.0 (base-64m-release, build ");
  ExpectContains(report.out, "unreachable in ws_init at frame 0, rolled back to 1.0.0");
  ExpectContains(report.out, "#0 func[0]");

  std::vector<std::string> fleet = {"device", "report"};
  for (int i = 0; i < kDevices; ++i) {
    fleet.push_back("--state");
    fleet.push_back("state-" + std::to_string(i));
  }
  RunResult sum = box.Wasmship(fleet);
  ASSERT_EQ(sum.exit_code, 0) << sum.err;
  ExpectContains(sum.out, "8 devices, 8 crash reports\n  8 x catalog 1.1.0 (base-64m-release, build ");
  ExpectContains(sum.out, "unreachable in ws_init (8 rolled back)");

  // Symbol maps of both builds; only the crashed module's names the frame.
  auto map_for = [&](const std::string& wasm, const std::string& dir, const std::string& name) {
    auto id = wasm::IdentifyModule(std::span(reinterpret_cast<const uint8_t*>(wasm.data()), wasm.size()));
    ASSERT_TRUE(id.ok());
    wasm::SymbolMap map = {{0, wasm::SymbolEntry(name)}};
    ASSERT_TRUE(wasm::WriteSymbolMap(box.Path(dir + "/base-64m-release.map.json"), map, *id).ok());
  };
  map_for(good, "symbols-1.0.0", "crash_on_start_never_called()");
  map_for(crash, "symbols-1.1.0", "Catalog::LoadOnStart()");
  RunResult wrong = box.Wasmship({"symbolicate", "state-0/reports/1.json", "--symbols", "symbols-1.0.0"});
  EXPECT_EQ(wrong.exit_code, 2);
  ExpectContains(wrong.err, "refusing a symbol map of another build");
  RunResult named = box.Wasmship({"symbolicate", "state-0/reports/1.json", "--symbols", "symbols-1.1.0"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  ExpectContains(named.out, "#0 func[0] Catalog::LoadOnStart()");
}

}  // namespace
}  // namespace ws::e2e

namespace ws::e2e {
namespace {

// An app that calls ws_host.mark_good at frame 3 and traps at frame 8.
std::string MarkGoodWat(bool mark) {
  std::string call = mark ? "(if (i32.eq (global.get $n) (i32.const 3)) (then (call $mark_good)))" : "";
  return R"((module
  (import "ws_host" "mark_good" (func $mark_good))
  (memory (export "memory") 2)
  (global $n (mut i32) (i32.const 0))
  (func (export "_initialize"))
  (func (export "ws_abi_version") (result i32) (i32.const 1))
  (func (export "ws_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_frame") (param f64) (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    )" + call + R"(
    (if (i32.eq (global.get $n) (i32.const 8)) (then unreachable))
    (i32.const 1))
  (func (export "ws_input") (param i32 i32) (result i32) (i32.const 0))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "ws_free") (param i32))))";
}

// The host ABI's optional mark_good: an app that marks itself good ends its
// probation early, so a later trap keeps it installed; the same trap in an
// app that never marks itself good (probation: 100 frames) rolls it back.
TEST(UpdateCli, AnAppThatMarksItselfGoodIsKept) {
  ProjectSandbox box;
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "repo.key"}).exit_code, 0);
  ASSERT_EQ(box.Wasmship({"repo", "init", "repo", "--key", "repo.key"}).exit_code, 0);
  std::string versions[] = {"1.0.0", "1.1.0", "1.2.0"};
  std::string wats[] = {AppWat(false), MarkGoodWat(false), MarkGoodWat(true)};
  for (int i = 0; i < 3; ++i) {
    box.Write("m.wat", wats[i]);
    ASSERT_EQ(RunCommand({"wat2wasm", "m.wat", "-o", "m.wasm"}, box.dir()).exit_code, 0);
    ScratchRepo::WriteDist(box.Path("dist-" + versions[i]), versions[i], kVariants, "catalog", box.Read("m.wasm"));
  }
  auto step = [&](const std::string& version, int want_exit) {
    RunResult p = box.Wasmship({"publish", "--repo", "repo", "--channel", "stable", "--dist", "dist-" + version, "--key", "repo.key"});
    EXPECT_EQ(p.exit_code, 0) << p.err;
    RunResult u = box.Wasmship({"device", "update", "--repo", "repo", "--device", "tv-2019", "--device-id", "a", "--state",
                                "state", "--trusted-root", "repo/1.root.json"});
    EXPECT_EQ(u.exit_code, 0) << u.err;
    RunResult r = box.Wasmship({"device", "run", "--state", "state", "--frames", "10", "--good-after", "100"});
    EXPECT_EQ(r.exit_code, want_exit) << r.out << r.err;
    return r;
  };
  step("1.0.0", 0);
  RunResult rolled = step("1.1.0", 4);
  ExpectContains(rolled.err, "catalog 1.1.0 trapped before it was marked good (unreachable); rolled back to 1.0.0");
  RunResult kept = step("1.2.0", 4);
  ExpectContains(kept.out, "catalog 1.2.0 marked good by the app at frame 3");
  ExpectContains(kept.err, "catalog 1.2.0 trapped (unreachable) at frame ");
  ExpectContains(kept.err, "after it was marked good; it stays installed");
  Result<tuf::DeviceState> state = tuf::LoadDeviceState(box.Path("state"));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->current->version, "1.2.0");
  EXPECT_TRUE(state->current->good);
}

}  // namespace
}  // namespace ws::e2e
