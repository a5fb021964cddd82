#include <gtest/gtest.h>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::ReadText;
using testing::TestDataPath;

TEST(SourceAttributionTest, ComposablesAreFoundByTheirMarker) {
  std::set<std::string> found = ComposablesIn(R"(
#define UI_COMPOSABLE [[clang::annotate("wasmship::composable")]]
UI_COMPOSABLE ws::View ShelfRow(int shelf);
UI_COMPOSABLE ws::View Root() {
// UI_COMPOSABLE ws::View Commented();
static UI_COMPOSABLE ws::View Tile (const Title& title) { return {}; }
UI_COMPOSABLE;
)");
  EXPECT_EQ(found, (std::set<std::string>{"Root", "ShelfRow", "Tile"}));
}

TEST(SourceAttributionTest, RuntimeSystemsAreFileStems) {
  EXPECT_EQ(RuntimeSystem("wasmship-runtime/src/layout.cc"), "layout");
  EXPECT_EQ(RuntimeSystem("wasmship-runtime/src/world.cc"), "ecs");
  EXPECT_EQ(RuntimeSystem("wasmship-runtime/src/hot_reload_paths.cc"), "hot_reload_paths");
}

// An LTO link: the map says lto.tmp for every app and runtime function; the
// objects' symbol tables (llvm-nm) say where each was defined.
SourceInfo CatalogSources() {
  SourceInfo info;
  info.sources = {{"obj/src/main.cpp.o", "src/main.cpp"},
                  {"obj/src/collections_page.cpp.o", "src/collections_page.cpp"},
                  {"obj/src/model.cpp.o", "src/model.cpp"},
                  {"runtime/src/control_flow.cc.o", "wasmship-runtime/src/control_flow.cc"},
                  {"runtime/src/layout.cc.o", "wasmship-runtime/src/layout.cc"},
                  {"runtime/src/world.cc.o", "wasmship-runtime/src/world.cc"}};
  info.composables = {"Root", "ShelfRow"};
  AddDefinedSymbols(info, R"(obj/src/main.cpp.o: -------- T Root()
runtime/src/world.cc.o: -------- W ws::ecs::Pool<ws::ui::LayoutBox>::Add(unsigned int)
obj/src/main.cpp.o: -------- T Root()
obj/src/collections_page.cpp.o: -------- T ShelfRow(int)
obj/src/collections_page.cpp.o: -------- W ws::ecs::Pool<ws::ui::LayoutBox>::Add(unsigned int)
obj/src/model.cpp.o: -------- t Model::Load()
obj/src/model.cpp.o: -------- d Model::instance
runtime/src/layout.cc.o: -------- T ws::ui::LayoutSystem()
runtime/src/layout.cc.o: -------- W ws::ecs::Pool<ws::ui::LayoutBox>::Add(unsigned int)
runtime/src/control_flow.cc.o: -------- T ws::detail::ForEach()
runtime/src/control_flow.cc.o: -------- T __wrap_free
llvm-nm: warning: something to ignore
)");
  return info;
}

std::map<std::string, std::string> Objects(const SourceInfo& info) {
  std::map<std::string, std::string> objects;
  for (const auto& [object, source] : info.sources) {
    objects[object] = object.starts_with("runtime/") ? "runtime" : "app";
  }
  return objects;
}

TEST(SourceAttributionTest, LtoFunctionsGetTheirFileSystemAndComposable) {
  SourceInfo info = CatalogSources();
  EXPECT_EQ(info.definers["Root()"], (std::vector<std::string>{"obj/src/main.cpp.o"}));
  // Link order, not llvm-nm's.
  EXPECT_EQ(info.definers["ws::ecs::Pool<ws::ui::LayoutBox>::Add(unsignedint)"].front(),
            "obj/src/collections_page.cpp.o");
  ComponentMap map = ComponentMap::FromLinkMap(ReadText(TestDataPath("link_map_lto_parts.map")), Objects(info), &info);

  EXPECT_EQ(map.AttributionOf("Root()"), (Attribution{"app", "src/main.cpp", "Root"}));
  EXPECT_EQ(map.AttributionOf("Model::Load()"), (Attribution{"app", "src/model.cpp", ""}));
  // A runtime template around an app lambda is the lambda's owner's code.
  EXPECT_EQ(map.AttributionOf("void ws::Callback<void ()>::Call<ShelfRow(int)::$_0>(ws::detail::CallbackCell*)"),
            (Attribution{"app", "src/collections_page.cpp", "ShelfRow"}));
  EXPECT_EQ(map.AttributionOf("ws::ui::LayoutSystem()"), (Attribution{"runtime", "layout", ""}));
  EXPECT_EQ(map.AttributionOf("ws::detail::ForEach()"), (Attribution{"runtime", "control_flow", ""}));
  // Defined in an app object first, but runtime code: the runtime object
  // whose system the name mentions (world.cc is the ECS).
  EXPECT_EQ(map.AttributionOf("ws::ecs::Pool<ws::ui::LayoutBox>::Add(unsigned int)"),
            (Attribution{"runtime", "ecs", ""}));
  EXPECT_EQ(map.AttributionOf("dlmalloc"), (Attribution{"libc", "", ""}));
  // A C name the runtime defines: "app" by name, the runtime's by its object.
  EXPECT_EQ(map.AttributionOf("__wrap_free"), (Attribution{"runtime", "control_flow", ""}));
  EXPECT_EQ(map.AttributionOf("std::__2::vector<int>::push_back(int)"), (Attribution{"libc++", "", ""}));
}

TEST(SourceAttributionTest, TreeAndAttributionShareSumToTheComponents) {
  std::vector<FunctionSize> functions = {
      {1, "Root()", "app", "src/main.cpp", "Root", 0, 100},
      {2, "Helper()", "app", "src/main.cpp", "", 0, 50},
      {3, "Orphan()", "app", "", "", 0, 10},
      {4, "ws::ui::LayoutSystem()", "runtime", "layout", "", 0, 200},
      {5, "dlmalloc", "libc", "", "", 0, 40},
  };
  std::vector<ComponentSize> components = {{"runtime", 200, 1, 0}, {"app", 160, 3, 0}, {"libc", 40, 1, 0}};
  std::vector<Rollup> tree = BuildTree(functions, components);
  ASSERT_EQ(tree.size(), 3u);
  EXPECT_EQ(tree[1].name, "app");
  ASSERT_EQ(tree[1].children.size(), 1u);
  EXPECT_EQ(tree[1].children[0].name, "src/main.cpp");
  EXPECT_EQ(tree[1].children[0].bytes, 150u);
  EXPECT_EQ(tree[1].children[0].kind, "file");
  EXPECT_EQ(tree[1].children[0].children[0].kind, "composable");
  EXPECT_EQ(tree[0].children[0].kind, "system");

  ModuleSizes sizes;
  sizes.functions = functions;
  Attributed a = AttributionOf(sizes);
  EXPECT_EQ(a.code_bytes, 400u);
  EXPECT_EQ(a.named_bytes, 390u);  // all but Orphan
  EXPECT_EQ(a.app_runtime_bytes, 360u);
  EXPECT_EQ(a.app_runtime_named, 350u);
}

}  // namespace
}  // namespace ws::size
