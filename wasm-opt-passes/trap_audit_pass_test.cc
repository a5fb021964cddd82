#include "wasm-opt-passes/trap_audit_pass.h"

#include <gtest/gtest.h>

#include "wasm-binary/symbol_names.h"
#include "wasm-opt-passes/names.h"
#include "wasm-opt-passes/test_wat.h"

namespace ws::opt {
namespace {

using testing::Wat;

constexpr char kModule[] = R"wat(
(module
  (type $v (func))
  (import "env" "abort" (func $abort))
  (table 1 funcref)
  (elem (i32.const 0) $_ZN2ws6detail7VirtualEv)
  (func $_ZNSt3__222__libcpp_verbose_abortEPKcz (param i32) unreachable)
  (func $_ZN2ws2ui6LayoutEf (param f32)
    (if (f32.lt (local.get 0) (f32.const 0)) (then unreachable))
    (if (f32.gt (local.get 0) (f32.const 1e9)) (then (call $abort)))
    (if (f32.ne (local.get 0) (local.get 0)) (then unreachable)))
  (func $_ZN2ws6detail7VirtualEv unreachable)
  (func $frame (export "ws_frame") (param f64) (result i32)
    (call $_ZN2ws2ui6LayoutEf (f32.demote_f64 (local.get 0)))
    (call_indirect (type $v) (i32.const 0))
    (i32.const 1))
  (func $input (export "ws_input") (param i32 i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (call $_ZNSt3__222__libcpp_verbose_abortEPKcz (i32.const 0))))
    (i32.const 1))
  (func $cold (export "cold") (call $abort) (call $abort) unreachable)
  (func (export "nameless") unreachable)
  (func $clean (export "clean") (result i32) (i32.const 0))
)
)wat";

TEST(TrapAuditTest, CountsSitesPerFunctionAndTheFramePath) {
  std::vector<uint8_t> wasm = Wat(kModule);
  Result<Module> module = Module::Read(wasm, BinaryenFeatureMVP() | BinaryenFeatureSignExt());
  ASSERT_TRUE(module.ok()) << module.error().message;

  std::vector<TrapSites> traps = AuditTraps(module->get());

  ASSERT_EQ(traps.size(), 6u);
  // Most sites first; equal totals by name.
  EXPECT_EQ(traps[0].function, "cold");
  EXPECT_EQ(traps[0].unreachable, 1u);
  EXPECT_EQ(traps[0].abort_calls, 2u);
  EXPECT_FALSE(traps[0].on_frame_path);

  EXPECT_EQ(traps[1].function, "ws::ui::Layout(float)");
  EXPECT_EQ(traps[1].unreachable, 2u);
  EXPECT_EQ(traps[1].abort_calls, 1u);
  EXPECT_TRUE(traps[1].on_frame_path);

  // One site each, sorted by name: func[N] for the unnamed function (index
  // 7: one import, then its place among the defined functions).
  EXPECT_EQ(traps[2].function, "func[7]");
  EXPECT_EQ(traps[3].function, "input");
  EXPECT_EQ(traps[3].abort_calls, 1u) << "std::__2::__libcpp_verbose_abort is abort-like";
  EXPECT_TRUE(traps[3].on_frame_path);
  EXPECT_EQ(traps[4].function, "std::__2::__libcpp_verbose_abort(char const*, ...)");
  EXPECT_TRUE(traps[4].on_frame_path);
  // Only reachable through call_indirect, which the audit does not follow.
  EXPECT_EQ(traps[5].function, "ws::detail::Virtual()");
  EXPECT_FALSE(traps[5].on_frame_path);
}

TEST(TrapAuditTest, NamesAreDemangledAndBare) {
  EXPECT_EQ(wasm::Demangle("_ZN2ws2ui6LayoutEf"), "ws::ui::Layout(float)");
  EXPECT_EQ(wasm::Demangle("abort"), "abort");
  EXPECT_EQ(BaseName("std::__2::__libcpp_verbose_abort(char const*, ...)"), "__libcpp_verbose_abort");
  EXPECT_EQ(BaseName("void ws::Apply<int>(int)"), "Apply");
  EXPECT_EQ(BaseName("std::__2::__libcpp_verbose_abort[abi:nn190107](char const*, ...)"),
            "__libcpp_verbose_abort");
  EXPECT_EQ(DisplayName("12", 7), "func[7]");
  EXPECT_EQ(DisplayName("fimport$3", 3), "func[3]");
  // Binaryen keeps name-section names escaped.
  EXPECT_EQ(Unescape("void\\20ws::Run\\28int\\2c\\20int\\29"), "void ws::Run(int, int)");
  EXPECT_EQ(DisplayName("ws::\\28anonymous\\20namespace\\29::Tick\\28\\29", 9),
            "ws::(anonymous namespace)::Tick()");
}

}  // namespace
}  // namespace ws::opt
