#include "wasm-opt-passes/known_passes.h"

#include <gtest/gtest.h>

#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/pipelines.h"
#include "wasm-opt-passes/test_wat.h"

namespace ws::opt {
namespace {

TEST(KnownPassesTest, AcceptsBinaryen108Passes) {
  std::vector<std::string> names = {"vacuum", "dce", "memory-packing", "strip-producers"};
  EXPECT_TRUE(CheckPassNames(names).ok());
}

TEST(KnownPassesTest, AnUnknownNameIsAnErrorWithASuggestion) {
  std::vector<std::string> names = {"vacuum", "vaccum"};
  Status status = CheckPassNames(names);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("'vaccum'"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("did you mean 'vacuum'"), std::string::npos)
      << status.error().message;

  std::vector<std::string> newer = {"type-ssa"};  // a pass of later Binaryen releases
  EXPECT_FALSE(CheckPassNames(newer).ok());
}

TEST(KnownPassesTest, EveryPipelineUsesOnlyKnownPasses) {
  for (Pipeline pipeline : {Pipeline::kDebug, Pipeline::kSize, Pipeline::kSpeed}) {
    EXPECT_TRUE(CheckPassNames(PipelinePasses(pipeline)).ok());
  }
  EXPECT_TRUE(CheckPassNames(StripPasses()).ok());
  EXPECT_TRUE(CheckPassNames(StackIrPasses()).ok());
  EXPECT_TRUE(PipelinePasses(Pipeline::kDebug).empty());
}

TEST(KnownPassesTest, RunPassesRefusesAnUnknownNameInsteadOfExiting) {
  Result<Module> module = Module::Read(testing::Wat("(module (func (export \"f\")))"), BinaryenFeatureMVP());
  ASSERT_TRUE(module.ok());
  std::vector<std::string> passes = {"vacuum", "no-such-pass"};
  Status ran = RunPasses(*module, passes, BinaryenSettings{});
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("no-such-pass"), std::string::npos);
}

}  // namespace
}  // namespace ws::opt
