#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"
#include "wasm-binary/test_module_builder.h"

namespace ws::size {
namespace {

// header | type | function | memory | code (2 bodies) | data: 46 bytes.
const std::vector<uint8_t> kSmall = {
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,              // 0: header
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                          // 8: type, () -> ()
    0x03, 0x03, 0x02, 0x00, 0x00,                                // 14: function, 2 × type 0
    0x05, 0x03, 0x01, 0x00, 0x01,                                // 19: memory, min 1
    0x0A, 0x0A, 0x02,                                            // 24: code, 2 bodies
    0x02, 0x00, 0x0B,                                            // 27: body 0: end
    0x05, 0x00, 0x41, 0x00, 0x1A, 0x0B,                          // 30: body 1: i32.const 0, drop, end
    0x0B, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x68, 0x69,  // 36: data "hi" at 0
};

uint64_t SumSections(const ModuleSizes& s) {
  uint64_t n = 0;
  for (const SectionSize& x : s.sections) n += x.bytes;
  return n;
}

uint64_t SumComponents(const ModuleSizes& s) {
  uint64_t n = 0;
  for (const ComponentSize& x : s.components) n += x.bytes;
  return n;
}

TEST(AnalyzeModuleTest, ExactRangesOfAHandMadeModule) {
  Result<ModuleSizes> r = AnalyzeModule(kSmall, {}, nullptr);
  ASSERT_TRUE(r) << r.error().message;
  const ModuleSizes& s = *r;
  EXPECT_EQ(s.file_bytes, 46u);
  ASSERT_EQ(s.sections.size(), 6u);
  const std::vector<std::tuple<std::string, int, uint64_t, uint64_t>> expected = {
      {"header", -1, 0, 8}, {"type", 1, 8, 6},    {"function", 3, 14, 5},
      {"memory", 5, 19, 5}, {"code", 10, 24, 12}, {"data", 11, 36, 10}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.sections[i].name, std::get<0>(expected[i]));
    EXPECT_EQ(s.sections[i].id, std::get<1>(expected[i]));
    EXPECT_EQ(s.sections[i].offset, std::get<2>(expected[i]));
    EXPECT_EQ(s.sections[i].bytes, std::get<3>(expected[i]));
  }
  ASSERT_EQ(s.functions.size(), 2u);
  EXPECT_EQ(s.functions[0].name, "func[1]");  // the larger one first
  EXPECT_EQ(s.functions[0].offset, 30u);
  EXPECT_EQ(s.functions[0].bytes, 6u);
  EXPECT_EQ(s.functions[0].component, "app");
  EXPECT_EQ(s.functions[1].name, "func[0]");
  EXPECT_EQ(s.functions[1].offset, 27u);
  EXPECT_EQ(s.functions[1].bytes, 3u);
  // module: header, type, function, memory and the code section's own 3
  // bytes (id, size, count); app: the bodies; data: the data section.
  ASSERT_EQ(s.components.size(), 3u);
  EXPECT_EQ(s.components[0].name, "module");
  EXPECT_EQ(s.components[0].bytes, 8u + 6 + 5 + 5 + 3);
  EXPECT_EQ(s.components[0].functions, 0u);
  EXPECT_EQ(s.components[1].name, "data");
  EXPECT_EQ(s.components[1].bytes, 10u);
  EXPECT_EQ(s.components[2].name, "app");
  EXPECT_EQ(s.components[2].bytes, 9u);
  EXPECT_EQ(s.components[2].functions, 2u);
  EXPECT_EQ(SumSections(s), s.file_bytes);
  EXPECT_EQ(SumComponents(s), s.file_bytes);
}

TEST(AnalyzeModuleTest, NamesFromTheMapWinOverTheModule) {
  FunctionNames names = {{1, "ws::ui::Layout()"}};
  Result<ModuleSizes> r = AnalyzeModule(kSmall, names, nullptr);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->functions[0].name, "ws::ui::Layout()");
  EXPECT_EQ(r->functions[0].component, "runtime");
  EXPECT_EQ(r->functions[1].name, "func[0]");
}

TEST(AnalyzeModuleTest, NameSectionImportsAndComponentsFromWat) {
  if (!testing::HaveTool("wat2wasm")) GTEST_SKIP() << "wat2wasm is not installed";
  std::vector<uint8_t> wasm = testing::Wat2Wasm(R"((module
    (import "ws_host" "log" (func $ws_host_log (param i32 i32 i32)))
    (memory 1)
    (func $ws::ui::Layout (local i32) (local.set 0 (i32.const 7)) (call $ws_host_log (local.get 0) (i32.const 1) (i32.const 2)))
    (func $std::__2::sort (nop))
    (func $Root (call $ws::ui::Layout) (call $std::__2::sort))
    (func $operator<<&> (nop))
    (func (nop))
    (export "ws_frame" (func $Root))
    (data (i32.const 16) "hello, world"))
  )");
  ASSERT_FALSE(wasm.empty());
  FunctionNames names = NamesFromModule(wasm);
  EXPECT_EQ(names[0], "ws_host_log");
  EXPECT_EQ(names[1], "ws::ui::Layout");
  EXPECT_EQ(names[4], "operator<<&>");
  Result<ModuleSizes> r = AnalyzeModule(wasm, names, nullptr);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->file_bytes, wasm.size());
  EXPECT_EQ(SumSections(*r), wasm.size());
  EXPECT_EQ(SumComponents(*r), wasm.size());
  ASSERT_EQ(r->functions.size(), 5u);  // defined functions only
  std::map<std::string, FunctionSize> by_name;
  for (const FunctionSize& f : r->functions) by_name[f.name] = f;
  EXPECT_EQ(by_name["ws::ui::Layout"].index, 1u);
  EXPECT_EQ(by_name["ws::ui::Layout"].component, "runtime");
  EXPECT_EQ(by_name["std::__2::sort"].component, "libc++");
  EXPECT_EQ(by_name["Root"].component, "app");
  EXPECT_EQ(by_name["func[5]"].component, "app");
  EXPECT_EQ(r->functions[0].name, "ws::ui::Layout");  // the largest body
  // Each body's range starts with its size LEB: bytes = 1 + that size.
  for (const FunctionSize& f : r->functions) EXPECT_EQ(f.bytes, 1u + wasm[f.offset]) << f.name;
  std::vector<std::string> section_names;
  for (const SectionSize& s : r->sections) section_names.push_back(s.name);
  EXPECT_NE(std::find(section_names.begin(), section_names.end(), "custom:name"), section_names.end());
  EXPECT_NE(std::find(section_names.begin(), section_names.end(), "import"), section_names.end());
  EXPECT_NE(std::find(section_names.begin(), section_names.end(), "export"), section_names.end());
  // Sections are listed in file order and tile the file.
  uint64_t at = 0;
  for (const SectionSize& s : r->sections) {
    EXPECT_EQ(s.offset, at) << s.name;
    at += s.bytes;
  }
  // Components sorted by bytes, then name.
  for (size_t i = 1; i < r->components.size(); ++i) {
    EXPECT_GE(r->components[i - 1].bytes, r->components[i].bytes);
  }
}

TEST(AnalyzeModuleTest, ModuleBuilderModuleWithComponentMap) {
  wasm::testing::ModuleBuilder b;
  uint32_t t = b.Type({}, {});
  b.ImportFunction("ws_host", "submit", t);
  uint32_t f1 = b.Function(t, {0x01, 0x01, 0x01, 0x0B});
  uint32_t f2 = b.Function(t);
  uint32_t f3 = b.Function(t);
  b.FunctionName(f1, "helper");
  b.FunctionName(f2, "helper");  // unoptimized modules may repeat names
  b.FunctionName(f3, "main");
  std::vector<uint8_t> wasm = b.Build();
  std::string map_text =
      "    Addr      Off     Size Out     In      Symbol\n"
      "       -       40       20 CODE\n"
      "       -       41        6         obj/app.o:(helper)\n"
      "       -       41        6                 helper\n"
      "       -       47        3         rt/widgets.o:(helper)\n"
      "       -       47        3                 helper\n"
      "       -       4a        3         /usr/lib/wasm32-wasi/libc.a(main.o):(main)\n"
      "       -       4a        3                 main\n";
  ComponentMap map = ComponentMap::FromLinkMap(map_text, {{"obj/app.o", "app"}, {"rt/widgets.o", "runtime"}});
  Result<ModuleSizes> r = AnalyzeModule(wasm, NamesFromModule(wasm), &map);
  ASSERT_TRUE(r) << r.error().message;
  std::map<uint32_t, std::string> component;
  for (const FunctionSize& f : r->functions) component[f.index] = f.component;
  EXPECT_EQ(component[f1], "app");
  EXPECT_EQ(component[f2], "runtime");  // the second "helper" in index order
  EXPECT_EQ(component[f3], "libc");
  EXPECT_EQ(SumComponents(*r), wasm.size());
}

TEST(AnalyzeModuleTest, ModuleWithoutCodeOrWithOnlyAHeader) {
  std::vector<uint8_t> header(kSmall.begin(), kSmall.begin() + 8);
  Result<ModuleSizes> r = AnalyzeModule(header, {}, nullptr);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->file_bytes, 8u);
  ASSERT_EQ(r->components.size(), 1u);
  EXPECT_EQ(r->components[0].name, "module");
  EXPECT_EQ(r->components[0].bytes, 8u);
}

TEST(AnalyzeModuleTest, TruncatedModulesAreRejected) {
  for (size_t n = 0; n < kSmall.size(); ++n) {
    std::vector<uint8_t> cut(kSmall.begin(), kSmall.begin() + n);
    Result<ModuleSizes> r = AnalyzeModule(cut, {}, nullptr);
    // A cut at a section boundary is a shorter, still well-formed module.
    bool boundary = n == 8 || n == 14 || n == 19 || n == 24 || n == 36;
    EXPECT_EQ(r.ok(), boundary) << "cut at " << n;
    if (r) {
      EXPECT_EQ(SumSections(*r), n);
      EXPECT_EQ(SumComponents(*r), n);
    } else {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(AnalyzeModuleTest, GarbageIsRejectedWithoutCrashing) {
  EXPECT_FALSE(AnalyzeModule(std::vector<uint8_t>{}, {}, nullptr));
  std::string text = "not a wasm module at all";
  Result<ModuleSizes> r =
      AnalyzeModule(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), {}, nullptr);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not"), std::string::npos);
  // Unknown section id after a good header.
  std::vector<uint8_t> bad_id = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x2A, 0x00};
  EXPECT_FALSE(AnalyzeModule(bad_id, {}, nullptr));
  // A section size running past the end.
  std::vector<uint8_t> long_size = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00,
                                    0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  EXPECT_FALSE(AnalyzeModule(long_size, {}, nullptr));
  // Random bytes after the header, and random bit flips of a good module:
  // any answer is fine, as long as it is an answer and sums up.
  std::mt19937 rng(1234);
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> bytes = kSmall;
    if (round % 2 == 0) {
      bytes.resize(8 + rng() % 64);
      for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(rng());
    } else {
      for (int flips = 1 + rng() % 3; flips > 0; --flips)
        bytes[8 + rng() % (bytes.size() - 8)] ^= 1 << (rng() % 8);
    }
    Result<ModuleSizes> any = AnalyzeModule(bytes, {}, nullptr);
    if (any) {
      EXPECT_EQ(SumSections(*any), bytes.size());
      EXPECT_EQ(SumComponents(*any), bytes.size());
    }
    NamesFromModule(bytes);
  }
}

TEST(AnalyzeModuleTest, ToJsonHasTheReportShape) {
  Result<ModuleSizes> r = AnalyzeModule(kSmall, {{0, "f\xFF"}}, nullptr);
  ASSERT_TRUE(r);
  Json j = ToJson(*r);
  EXPECT_EQ(j["file_bytes"], 46);
  EXPECT_EQ(j["sections"][0]["name"], "header");
  EXPECT_EQ(j["sections"][0]["id"], -1);
  EXPECT_EQ(j["components"][0]["name"], "module");
  EXPECT_EQ(j["components"][0]["compressed_estimate"], 0);
  EXPECT_EQ(j["functions"][0]["index"], 1);
  EXPECT_EQ(j["functions"][0]["offset"], 30);
  EXPECT_EQ(j["functions"][1]["name"], "f\xEF\xBF\xBD");  // invalid UTF-8 replaced
  EXPECT_NO_THROW(j.dump());
}

}  // namespace
}  // namespace ws::size
