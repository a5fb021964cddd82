#include "wasm-binary/host_abi_check.h"

#include <gtest/gtest.h>

#include "wasm-binary/test_module_builder.h"

namespace ws::wasm {
namespace {

using testing::kI32;

TEST(HostAbiCheckTest, CompleteModulePasses) {
  std::vector<uint8_t> bytes = testing::AbiModule().Build();
  Result<Module> m = ReadModule(bytes);
  ASSERT_TRUE(m);
  AbiCheck check = CheckHostAbi(*m);
  EXPECT_TRUE(check.ok()) << (check.Messages().empty() ? "" : check.Messages()[0]);
}

TEST(HostAbiCheckTest, MissingExportsAreNamed) {
  testing::ModuleBuilder b;
  b.Memory(1);
  b.Export("memory", 2, 0);
  Result<Module> m = ReadModule(b.Build());
  ASSERT_TRUE(m);
  AbiCheck check = CheckHostAbi(*m);
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.missing_exports.size(), 8u);
  EXPECT_EQ(check.Messages()[0], "missing export _initialize () -> ()");
}

TEST(HostAbiCheckTest, ForbiddenAndMistypedImports) {
  testing::ModuleBuilder b = testing::AbiModule();
  uint32_t t = b.Type({kI32, kI32}, {kI32});
  b.ImportFunction("wasi_snapshot_preview1", "fd_write", b.Type({kI32, kI32, kI32, kI32}, {kI32}));
  b.ImportFunction("wasi_snapshot_preview1", "path_open", t);
  b.ImportFunction("env", "socket", t);
  b.ImportFunction("ws_host", "submit", t);  // should return nothing
  Result<Module> m = ReadModule(b.Build());
  ASSERT_TRUE(m) << m.error().message;
  AbiCheck check = CheckHostAbi(*m);
  EXPECT_EQ(check.forbidden_imports,
            (std::vector<std::string>{"wasi_snapshot_preview1.path_open", "env.socket"}));
  ASSERT_EQ(check.wrong_imports.size(), 1u);
  EXPECT_EQ(check.wrong_imports[0], "ws_host.submit: expected (i32, i32) -> (), found (i32, i32) -> i32");
}

TEST(HostAbiCheckTest, OptionalExportsAreCheckedWhenPresent) {
  testing::ModuleBuilder b = testing::AbiModule();
  b.Export("ws_hot_reload_version", 0, b.Function(b.Type({}, {kI32}), {0x41, 0x01, 0x0B}));
  b.Export("ws_state_restore", 0, b.Function(b.Type({kI32, kI32}, {kI32}), {0x41, 0x00, 0x0B}));
  Result<Module> good = ReadModule(b.Build());
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_TRUE(CheckHostAbi(*good).ok());

  b.Export("ws_state_save", 0, b.Function(b.Type({kI32}, {}), {0x0B}));  // takes and returns the wrong things
  Result<Module> bad = ReadModule(b.Build());
  ASSERT_TRUE(bad) << bad.error().message;
  AbiCheck check = CheckHostAbi(*bad);
  ASSERT_EQ(check.wrong_exports.size(), 1u);
  EXPECT_EQ(check.wrong_exports[0], "ws_state_save: expected () -> i32, found (i32) -> ()");
}

}  // namespace
}  // namespace ws::wasm
