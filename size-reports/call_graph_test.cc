#include "size-reports/call_graph.h"

#include <gtest/gtest.h>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

// A → B, A → C, B → D, C → D (the diamond), D → E; F calls E but nothing
// reaches F; G is a second root that calls C.
enum : uint32_t { A, B, C, D, E, F, G };
const std::vector<std::vector<uint32_t>> kDiamond = {{B, C}, {D}, {D}, {E}, {}, {E}, {C}};
const std::vector<uint64_t> kSizes = {1, 10, 100, 1000, 10000, 100000, 1000000};

TEST(DominatorsTest, DiamondJoinIsDominatedByItsFork) {
  Dominators d = ComputeDominators(kDiamond, kSizes, {A});
  EXPECT_EQ(d.idom[A], Dominators::kRoot);
  EXPECT_EQ(d.idom[B], A);
  EXPECT_EQ(d.idom[C], A);
  EXPECT_EQ(d.idom[D], A);  // reached through B and through C: only A dominates it
  EXPECT_EQ(d.idom[E], D);
  EXPECT_EQ(d.idom[F], Dominators::kUnreachable);
  EXPECT_EQ(d.retained[E], 10000u);
  EXPECT_EQ(d.retained[D], 11000u);
  EXPECT_EQ(d.retained[B], 10u);  // B alone does not keep D alive
  EXPECT_EQ(d.retained[A], 11111u);
  EXPECT_EQ(d.reachable_bytes, 11111u);
  EXPECT_EQ(d.children[A], (std::vector<uint32_t>{D, C, B}));  // by retained size
}

TEST(DominatorsTest, TwoRootsShareWhatBothReach) {
  Dominators d = ComputeDominators(kDiamond, kSizes, {A, G});
  EXPECT_EQ(d.idom[C], Dominators::kRoot);  // A and G both call it
  EXPECT_EQ(d.idom[D], Dominators::kRoot);
  EXPECT_EQ(d.retained[A], 11u);
  EXPECT_EQ(d.top.front(), G);
  EXPECT_EQ(d.reachable_bytes, 1011111u);
}

TEST(DominatorsTest, ShortestPathCallersAndGarbage) {
  EXPECT_EQ(ShortestPath(kDiamond, {A}, E), (std::vector<uint32_t>{A, B, D, E}));
  EXPECT_EQ(ShortestPath(kDiamond, {A, G}, C), (std::vector<uint32_t>{A, C}));
  EXPECT_TRUE(ShortestPath(kDiamond, {A}, F).empty());
  EXPECT_EQ(Callers(kDiamond, D), (std::vector<uint32_t>{B, C}));
  EXPECT_EQ(Unreachable(kDiamond, {A}), (std::vector<uint32_t>{F, G}));
}

TEST(DominatorsTest, NearestNamesRankByEditDistance) {
  std::vector<std::string> names = {"ws::ui::LayoutSystem()", "ws::ui::FocusSystem()", "dlmalloc",
                                    "void ws::Bind<A>(ws::Element, int)"};
  std::vector<std::string> near = NearestNames("LayotSystem", names, 2);
  ASSERT_EQ(near.size(), 2u);
  EXPECT_EQ(near[0], "ws::ui::LayoutSystem()");
  EXPECT_EQ(near[1], "ws::ui::FocusSystem()");
  EXPECT_EQ(NearestNames("dlmaloc", names, 1), (std::vector<std::string>{"dlmalloc"}));
}

// Exports, a table with call_indirect, ref.func, an unreachable function,
// and instructions with immediates of each shape around the calls.
constexpr const char* kModule = R"((module
  (type $v (func))
  (import "env" "log" (func $log))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $in_table)
  (elem declare func $by_ref)
  (func $main (export "main")
    (call $helper)
    (call_indirect (type $v) (i32.const 0))
    (drop (i32.load offset=4 (i32.const 8)))
    (drop (f64.const 1.5))
    (block (br_table 0 0 (i32.const 1)))
    (call $log))
  (func $helper (call $shared) (drop (ref.func $by_ref)))
  (func $in_table (call $shared))
  (func $by_ref)
  (func $shared (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))
  (func $dead (call $shared))
))";

TEST(CallGraphTest, ReadsCallsTableAndRefFunc) {
  std::vector<uint8_t> wasm = testing::Wat2Wasm(kModule);
  ASSERT_FALSE(wasm.empty()) << "wat2wasm is needed";
  Result<CallGraph> graph = ReadCallGraph(wasm);
  ASSERT_TRUE(graph) << graph.error().message;
  // Function indices: log 0 (import), main 1, helper 2, in_table 3, by_ref 4, shared 5, dead 6.
  EXPECT_EQ(graph->imported, 1u);
  ASSERT_EQ(graph->Count(), 6u);
  EXPECT_EQ(graph->callees[0], (std::vector<uint32_t>{1, 2}));  // helper, and in_table via the table
  EXPECT_EQ(graph->callees[1], (std::vector<uint32_t>{3, 4}));  // shared, by_ref
  EXPECT_EQ(graph->table, (std::vector<uint32_t>{3}));
  ASSERT_EQ(graph->roots.size(), 2u);
  EXPECT_EQ(graph->roots[0].kind, Root::kExport);
  EXPECT_EQ(graph->roots[0].name, "main");
  EXPECT_EQ(graph->roots[1].kind, Root::kTable);
  EXPECT_EQ(Unreachable(graph->callees, RootNodes(*graph)), (std::vector<uint32_t>{5}));  // $dead
}

ModuleSizes Analyze(const std::vector<uint8_t>& wasm) {
  Result<ModuleSizes> sizes = AnalyzeModule(wasm, NamesFromModule(wasm), nullptr);
  EXPECT_TRUE(sizes);
  return *sizes;
}

TEST(GraphViewsTest, WhyPrintsThePathFromAnExport) {
  std::vector<uint8_t> wasm = testing::Wat2Wasm(kModule);
  ASSERT_FALSE(wasm.empty());
  Result<CallGraph> graph = ReadCallGraph(wasm);
  ASSERT_TRUE(graph);
  Result<std::string> why = RenderWhy(Analyze(wasm), *graph, "shar", "m.wasm", Format::kText, 0);
  ASSERT_TRUE(why) << why.error().message;
  EXPECT_NE(why->find("export \"main\""), std::string::npos) << *why;
  EXPECT_LT(why->find("main"), why->find("helper")) << *why;
  EXPECT_NE(why->find("called by"), std::string::npos) << *why;

  Result<std::string> json = RenderWhy(Analyze(wasm), *graph, "shared", "m.wasm", Format::kJson, 0);
  ASSERT_TRUE(json);
  Json doc = Json::parse(*json);
  EXPECT_EQ(doc["functions"][0]["root"], "export \"main\"");
  EXPECT_EQ(doc["functions"][0]["path"].size(), 3u);  // main → helper → shared
}

TEST(GraphViewsTest, WhyOfAMissingNameSuggestsNearestNames) {
  std::vector<uint8_t> wasm = testing::Wat2Wasm(kModule);
  ASSERT_FALSE(wasm.empty());
  Result<CallGraph> graph = ReadCallGraph(wasm);
  ASSERT_TRUE(graph);
  Result<std::string> why = RenderWhy(Analyze(wasm), *graph, "helpr", "m.wasm", Format::kText, 0);
  ASSERT_FALSE(why);
  EXPECT_NE(why.error().message.find("nearest names"), std::string::npos);
  EXPECT_NE(why.error().message.find("helper"), std::string::npos) << why.error().message;
}

TEST(GraphViewsTest, GarbageAndDominatorsRender) {
  std::vector<uint8_t> wasm = testing::Wat2Wasm(kModule);
  ASSERT_FALSE(wasm.empty());
  Result<CallGraph> graph = ReadCallGraph(wasm);
  ASSERT_TRUE(graph);
  ModuleSizes sizes = Analyze(wasm);
  Json garbage = Json::parse(RenderGarbage(sizes, *graph, "m.wasm", Format::kJson, 0));
  EXPECT_EQ(garbage["unreachable_functions"], 1);
  EXPECT_EQ(garbage["functions"][0]["name"], "dead");
  Json dom = Json::parse(RenderDominators(sizes, *graph, "m.wasm", Format::kJson, 0, 0));
  // main dominates helper, helper by_ref; shared is called from main's
  // subtree and from in_table (a root): only the virtual root dominates it.
  bool found = false;
  for (const Json& top : dom["dominators"]) {
    if (top["name"] != "main") continue;
    found = true;
    ASSERT_EQ(top["children"].size(), 1u);
    EXPECT_EQ(top["children"][0]["name"], "helper");
    EXPECT_EQ(top["children"][0]["children"][0]["name"], "by_ref");
  }
  EXPECT_TRUE(found) << dom.dump(1);
  std::string text = RenderDominators(sizes, *graph, "m.wasm", Format::kText, 0, 0);
  EXPECT_NE(text.find("└ helper"), std::string::npos) << text;
}

TEST(SymbolMapCheckTest, MapOfAnotherBuildIsRefused) {
  std::vector<uint8_t> wasm = testing::Wat2Wasm(kModule);
  ASSERT_FALSE(wasm.empty());
  Result<wasm::ModuleIdentity> id = wasm::IdentifyModule(wasm);
  ASSERT_TRUE(id);
  wasm::SymbolMapFile map;
  map.module = *id;
  map.functions[1] = {"main", "app"};
  EXPECT_TRUE(CheckSymbolMap(map, wasm, {}, "m.map.json", "m.wasm"));

  map.module->functions += 1;
  Status count = CheckSymbolMap(map, wasm, {}, "m.map.json", "m.wasm");
  ASSERT_FALSE(count);
  EXPECT_NE(count.error().message.find("another build"), std::string::npos) << count.error().message;
  EXPECT_NE(count.error().message.find("m.map.json"), std::string::npos);

  map.module = *id;
  map.module->code_hash = "0000000000000000";
  EXPECT_FALSE(CheckSymbolMap(map, wasm, {}, "m.map.json", "m.wasm"));

  // An older map without identity: its names must agree with the module's own.
  map.module.reset();
  EXPECT_TRUE(CheckSymbolMap(map, wasm, {{1, "main"}}, "m.map.json", "m.wasm"));
  EXPECT_FALSE(CheckSymbolMap(map, wasm, {{1, "helper"}}, "m.map.json", "m.wasm"));
}

}  // namespace
}  // namespace ws::size
