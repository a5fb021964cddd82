#include "wasm-opt-passes/stable_order_pass.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "wasm-opt-passes/pipelines.h"
#include "wasm-opt-passes/test_wat.h"

namespace ws::opt {
namespace {

using testing::Wat;

std::vector<std::string> Ordered(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (uint32_t i : StableOrder(names)) out.push_back(names[i]);
  return out;
}

TEST(StableOrderTest, AppFunctionsGoLast) {
  EXPECT_TRUE(IsAppFunction("DetailsPage()"));
  EXPECT_TRUE(IsAppFunction("void std::__2::__function::__policy_invoker<void ()>::__call_impl<std::__2::"
                            "__function::__default_alloc_func<Root()::$_0, void ()>>(std::__2::__function::"
                            "__policy_storage const*)"));
  EXPECT_FALSE(IsAppFunction("ws::ui::Layout(float)"));
  EXPECT_FALSE(IsAppFunction("memcpy"));  // C: libc
  EXPECT_FALSE(IsAppFunction("std::__2::basic_string<char>::append(char const*)"));
  EXPECT_EQ(Ordered({"Zeta()", "ws_frame", "Alpha(int)", "memcpy", "ws::Bind(int)"}),
            (std::vector<std::string>{"memcpy", "ws::Bind(int)", "ws_frame", "Alpha(int)", "Zeta()"}));
}

TEST(StableOrderTest, AnAddedAppFunctionMovesNoLibraryFunction) {
  std::vector<std::string> before = {"Page()", "ws::Run()", "strlen", "Button(int)", "ws::Draw()"};
  std::vector<std::string> after = before;
  after.insert(after.begin() + 1, "Another()");
  std::vector<std::string> a = Ordered(before), b = Ordered(after);
  EXPECT_EQ(std::vector<std::string>(a.begin(), a.begin() + 3), std::vector<std::string>(b.begin(), b.begin() + 3));
}

TEST(StableOrderTest, ReordersTheModuleAndKeepsEveryExportOnItsFunction) {
  std::string wat = "(module\n";
  for (const char* name : {"Page", "ws_frame", "Card", "strlen", "ws_init"}) {
    // WAT names cannot hold a parameter list, so these are all C names.
    std::string n = name;
    wat += "(func $" + n + " (export \"" + n + "\") (result i32) (i32.const " + std::to_string(n.size()) + "))\n";
  }
  wat += ")\n";
  std::vector<uint8_t> wasm = Wat(wat);
  ASSERT_FALSE(wasm.empty());
  Result<Module> module = Module::Read(wasm, BinaryenFeatureMVP());
  ASSERT_TRUE(module.ok());
  Result<StableOrderStats> stats = OrderFunctionsStably(*module, SettingsFor(OptimizeOptions{.pipeline = Pipeline::kSize}, true));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_TRUE(stats->moved);
  EXPECT_EQ(stats->functions, 5u);
  EXPECT_TRUE(BinaryenModuleValidate(module->get()));
  std::vector<uint8_t> after = module->Write(/*names=*/true);
  std::map<uint32_t, std::string> names = testing::FunctionNames(after);
  std::vector<std::string> order;
  for (const auto& [index, name] : names) order.push_back(name);
  // No parameter lists in these names: all C, all library, by name.
  EXPECT_EQ(order, (std::vector<std::string>{"Card", "Page", "strlen", "ws_frame", "ws_init"}));
  for (const auto& [exported, index] : testing::FunctionExports(after)) EXPECT_EQ(names.at(index), exported);
}

}  // namespace
}  // namespace ws::opt
