// End to end on a module clang++-19 and wasm-ld-19 really produced: two
// objects (one "app", one "runtime") with libc++, libc and compiler-rt
// pulled in, and wasm-ld's link map.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::ReadBytes;
using testing::ReadText;
using testing::WriteText;

constexpr char kApp[] = R"(#include <cstdio>
#include <string>
#include <vector>
namespace ws { int Tick(int); }
[[gnu::noinline]] static int Helper(int x) { return x * 3 + 1; }
[[gnu::noinline]] __int128 Div(__int128 a, __int128 b) { return a / b; }
int main(int argc, char**) {
  std::vector<std::string> v;
  for (int i = 0; i < argc + 3; ++i) v.push_back("item " + std::to_string(i));
  printf("%s %d %d\n", v.back().c_str(), ws::Tick(argc), Helper(argc) + static_cast<int>(Div(argc * 1000, argc + 6)));
}
)";

constexpr char kRuntime[] = R"(#include <map>
#include <string>
[[gnu::noinline]] static int Helper(int x) { return x * 5 + 2; }
namespace ws {
int Tick(int n) {
  static std::map<int, std::string> seen;
  seen[n] = std::to_string(n);
  return static_cast<int>(seen.size()) + Helper(n);
}
}  // namespace ws
)";

class RealModuleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::HaveTool("clang++-19") || !testing::HaveTool("wasm-ld-19")) return;
    dir_ = new std::string(testing::FreshDir("real_module"));
    WriteText(*dir_ + "/app.cc", kApp);
    WriteText(*dir_ + "/rt.cc", kRuntime);
    std::string cxx = "clang++-19 --target=wasm32-wasi --sysroot=/usr -fno-exceptions";
    // Linked without -O: the driver would run wasm-opt, which drops names.
    std::string script = "cd " + *dir_ + " && " + cxx + " -O1 -c app.cc -o app.o && " + cxx +
                         " -O1 -c rt.cc -o rt.o && " + cxx + " app.o rt.o -o m.wasm -Wl,--Map=m.map";
    if (testing::Run(script) == 0) {
      wasm_ = new std::vector<uint8_t>(ReadBytes(*dir_ + "/m.wasm"));
      map_ = new std::string(ReadText(*dir_ + "/m.map"));
    }
  }
  void SetUp() override {
    if (!wasm_) GTEST_SKIP() << "clang++-19 / wasm-ld-19 with the wasm32 sysroot are needed";
  }
  static ModuleSizes Analyze() {
    ComponentMap components = ComponentMap::FromLinkMap(*map_, {{"app.o", "app"}, {"rt.o", "runtime"}});
    Result<ModuleSizes> r = AnalyzeModule(*wasm_, NamesFromModule(*wasm_), &components);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ModuleSizes{};
  }

  static inline std::string* dir_ = nullptr;
  static inline std::vector<uint8_t>* wasm_ = nullptr;
  static inline std::string* map_ = nullptr;
};

TEST_F(RealModuleTest, EveryByteIsInOneSectionAndOneComponent) {
  ModuleSizes s = Analyze();
  EXPECT_EQ(s.file_bytes, wasm_->size());
  uint64_t sections = 0, components = 0, bodies = 0, code = 0;
  for (const SectionSize& x : s.sections) {
    EXPECT_EQ(x.offset, sections) << x.name;  // contiguous, in file order
    sections += x.bytes;
    if (x.id == 10) code = x.bytes;
  }
  for (const ComponentSize& x : s.components) components += x.bytes;
  for (const FunctionSize& f : s.functions) bodies += f.bytes;
  EXPECT_EQ(sections, s.file_bytes);
  EXPECT_EQ(components, s.file_bytes);
  EXPECT_LT(bodies, code);
  EXPECT_GT(bodies + 10, code);  // the code section's header is a few bytes
}

TEST_F(RealModuleTest, FunctionSizesMatchTheLinkMap) {
  ModuleSizes s = Analyze();
  // "       -      5b8        b                 ws::Tick(int)": the symbol
  // line's size column is the body with its size prefix.
  std::map<std::string, uint64_t> map_sizes;
  std::map<std::string, int> seen;
  std::regex symbol(R"(^\s+-\s+[0-9a-f]+\s+([0-9a-f]+) {17}(\S.*)$)");
  std::smatch m;
  std::istringstream lines(*map_);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, symbol)) {
      map_sizes[m[2]] = std::stoull(m[1], nullptr, 16);
      ++seen[m[2]];
    }
  }
  size_t compared = 0;
  for (const FunctionSize& f : s.functions) {
    if (seen[f.name] != 1) continue;
    EXPECT_EQ(f.bytes, map_sizes[f.name]) << f.name;
    ++compared;
  }
  EXPECT_GT(compared, 30u);
}

TEST_F(RealModuleTest, ComponentsComeFromObjectsArchivesAndNames) {
  ModuleSizes s = Analyze();
  std::map<std::string, std::vector<std::string>> by_component;
  std::map<std::string, std::string> component_of;
  for (const FunctionSize& f : s.functions) {
    by_component[f.component].push_back(f.name);
    component_of[f.name] = f.component;
  }
  EXPECT_EQ(component_of["main"], "app");
  EXPECT_EQ(component_of["Div(__int128, __int128)"], "app");
  EXPECT_EQ(component_of["ws::Tick(int)"], "runtime");
  EXPECT_EQ(component_of["__divti3"], "compiler-rt");
  EXPECT_EQ(component_of["vfprintf"], "libc");
  EXPECT_EQ(component_of["_start"], "libc");  // crt1-command.o
  EXPECT_EQ(component_of["operator new(unsigned long)"], "libc++");
  // The two static Helper(int): one from each object, in index order.
  std::vector<const FunctionSize*> helpers;
  for (const FunctionSize& f : s.functions) {
    if (f.name == "Helper(int)") helpers.push_back(&f);
  }
  ASSERT_EQ(helpers.size(), 2u);
  std::sort(helpers.begin(), helpers.end(), [](auto* a, auto* b) { return a->index < b->index; });
  EXPECT_EQ(helpers[0]->component, "app");
  EXPECT_EQ(helpers[1]->component, "runtime");
  for (const char* c : {"app", "runtime", "libc", "libc++", "compiler-rt"})
    EXPECT_TRUE(by_component.count(c)) << c;
  std::set<std::string> names;
  for (const ComponentSize& c : s.components) names.insert(c.name);
  EXPECT_TRUE(names.count("data"));
  EXPECT_TRUE(names.count("module"));
  // Template instances the app's object holds are libc++'s.
  for (const FunctionSize& f : s.functions) {
    if (f.name.starts_with("std::")) EXPECT_EQ(f.component, "libc++") << f.name;
  }
}

TEST_F(RealModuleTest, EstimatesAndRenderersWorkOnIt) {
  ModuleSizes s = Analyze();
  EstimateCompressedShares(s, *wasm_, 12345, 19);
  uint64_t sum = 0;
  for (const ComponentSize& c : s.components) {
    sum += c.compressed_estimate;
    EXPECT_GT(c.compressed_estimate, 0u) << c.name;
  }
  EXPECT_EQ(sum, 12345u);
  std::string text = RenderSizes(s, "m.wasm", Format::kText, 10);
  EXPECT_NE(text.find("(" + std::to_string(s.functions.size() - 10) + " others)"), std::string::npos) << text;
  EXPECT_NE(RenderSizes(s, "m.wasm", Format::kText, 0).find("ws::Tick(int)"), std::string::npos);
  Json parsed = Json::parse(RenderSizes(s, "m.wasm", Format::kJson, 0));
  EXPECT_EQ(parsed["functions"].size(), s.functions.size());
  EXPECT_EQ(parsed["other_functions"]["count"], 0);
}

}  // namespace
}  // namespace ws::size
