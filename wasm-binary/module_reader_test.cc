#include "wasm-binary/module_reader.h"

#include <gtest/gtest.h>

#include "wasm-binary/test_module_builder.h"

namespace ws::wasm {
namespace {

using testing::kF64;
using testing::kI32;
using testing::ModuleBuilder;

TEST(ModuleReaderTest, ReadsImportsExportsBodiesAndNames) {
  ModuleBuilder b;
  uint32_t t = b.Type({kI32, kI32}, {});
  uint32_t d = b.Type({}, {kF64});
  b.ImportFunction("ws_host", "submit", t);
  uint32_t f = b.Function(d, {0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B});
  b.Export("now", 0, f);
  b.FunctionName(f, "Now()");
  std::vector<uint8_t> bytes = b.Build();
  Result<Module> m = ReadModule(bytes);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->imports.size(), 1u);
  EXPECT_EQ(m->imports[0].module, "ws_host");
  EXPECT_EQ(m->imported_functions, 1u);
  EXPECT_EQ(m->FindExport("now")->index, 1u);
  EXPECT_EQ(m->FunctionType(1)->results, std::vector<uint8_t>{kF64});
  EXPECT_EQ(m->FunctionType(0)->params.size(), 2u);
  ASSERT_EQ(m->bodies.size(), 1u);
  EXPECT_EQ(m->bodies[0].function_index, 1u);
  EXPECT_EQ(m->function_names.at(1), "Now()");
  // Sections tile the file after the 8-byte header.
  uint64_t covered = 8;
  for (const Section& s : m->sections) covered += s.size;
  EXPECT_EQ(covered, bytes.size());
}

TEST(ModuleReaderTest, RejectsGarbageAndEveryTruncation) {
  EXPECT_FALSE(ReadModule(std::vector<uint8_t>{1, 2, 3}));
  std::vector<uint8_t> bytes = testing::AbiModule().Build();
  ASSERT_TRUE(ReadModule(bytes));
  for (size_t cut = 9; cut < bytes.size(); ++cut) {
    std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<long>(cut));
    Result<Module> m = ReadModule(part);
    // A cut on a section boundary is a valid (shorter) module; any other is an error.
    if (m) {
      uint64_t covered = 8;
      for (const Section& s : m->sections) covered += s.size;
      EXPECT_EQ(covered, cut);
    }
  }
}

TEST(ModuleReaderTest, HugeCountsAreErrorsNotAllocations) {
  std::vector<uint8_t> bytes = {0x00, 0x61, 0x73, 0x6D, 0x01, 0, 0, 0, 0x01, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Result<Module> m = ReadModule(bytes);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("count"), std::string::npos);
}

}  // namespace
}  // namespace ws::wasm
