#include <gtest/gtest.h>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::ReadText;
using testing::TestDataPath;

std::map<std::string, std::string> CatalogObjects(const std::string& variant) {
  std::map<std::string, std::string> objects;
  for (const char* app :
       {"app_state", "catalog_model", "collections_page", "details_page", "main", "profiles_page"}) {
    objects[".wasmship/build/" + variant + "/obj/src/" + app + ".cpp.o"] = "app";
  }
  for (const char* rt :
       {"animation", "app", "control_flow", "exports", "json", "reactive", "ui_context", "widgets"}) {
    objects[".wasmship/build/" + variant + "/runtime/src/" + rt + ".cc.o"] = "runtime";
  }
  return objects;
}

TEST(ComponentMapTest, NonLtoMapPlacesFunctionsByObjectAndArchive) {
  ComponentMap map = ComponentMap::FromLinkMap(ReadText(TestDataPath("link_map_debug.map")),
                                               CatalogObjects("base-128m-debug"));
  // Plain objects the build described.
  EXPECT_EQ(map.ComponentOf("CreateState()"), "app");
  EXPECT_EQ(map.ComponentOf("Catalog::~Catalog()"), "app");
  EXPECT_EQ(map.ComponentOf("ws_init"), "runtime");
  EXPECT_EQ(map.ComponentOf("ws_frame"), "runtime");
  EXPECT_EQ(map.ComponentOf("ws::World::NewPool<ws::RowProps>"), "runtime");  // unknown → by name
  // Templates instantiated in app objects belong to their library.
  EXPECT_EQ(map.ComponentOf(
                "std::__2::__shared_ptr_emplace<Catalog, std::__2::allocator<Catalog>>::__on_zero_shared()"),
            "libc++");
  EXPECT_EQ(map.ComponentOf("ws::reactive::TypedBox<Page>::~TypedBox()"), "runtime");
  // Archives and startup files.
  EXPECT_EQ(map.ComponentOf("abort_message"), "libc++");
  EXPECT_EQ(map.ComponentOf("__cxxabiv1::__shim_type_info::~__shim_type_info()"), "libc++");
  EXPECT_EQ(map.ComponentOf("dlmalloc"), "libc");
  EXPECT_EQ(map.ComponentOf("calloc"), "libc");
  EXPECT_EQ(map.ComponentOf("_initialize"), "libc");
  EXPECT_EQ(map.ComponentOf("__divti3"), "compiler-rt");
  EXPECT_EQ(map.ComponentOf("__floattidf"), "compiler-rt");
  // Linker-made glue.
  EXPECT_EQ(map.ComponentOf("__wasm_call_ctors"), "module");
}

TEST(ComponentMapTest, EqualNamesFollowBinaryensNumbering) {
  // __cxx_global_array_dtor: app_state.cpp.o, then json.cc.o and
  // reactive.cc.o; Binaryen names them f, f.1, f.2 in index order.
  ComponentMap map = ComponentMap::FromLinkMap(ReadText(TestDataPath("link_map_debug.map")),
                                               CatalogObjects("base-128m-debug"));
  EXPECT_EQ(map.ComponentOf("__cxx_global_array_dtor"), "app");
  EXPECT_EQ(map.ComponentOf("__cxx_global_array_dtor.1"), "runtime");
  EXPECT_EQ(map.ComponentOf("__cxx_global_array_dtor.2"), "runtime");
  // A number past what the map knows: the name without it.
  EXPECT_EQ(map.ComponentOf("__cxx_global_array_dtor.7"), "app");
}

TEST(ComponentMapTest, LtoMapFallsBackToNamesForLtoTmp) {
  ComponentMap map = ComponentMap::FromLinkMap(ReadText(TestDataPath("link_map_lto.map")),
                                               CatalogObjects("base-128m-release"));
  EXPECT_EQ(map.ComponentOf("Root()"), "app");
  EXPECT_EQ(map.ComponentOf("Catalog::~Catalog()"), "app");
  EXPECT_EQ(map.ComponentOf("Title::~Title()"), "app");
  EXPECT_EQ(map.ComponentOf("ws_frame"), "runtime");
  EXPECT_EQ(map.ComponentOf("ws::ui::CreateNode(ws::ui::Widget)"), "runtime");
  EXPECT_EQ(map.ComponentOf("ws::ui::(anonymous namespace)::AddTween(unsigned int, ws::ui::Tween)"),
            "runtime");
  EXPECT_EQ(map.ComponentOf("ws::Signal<__decay(int)> ws::signal<int>(int&&)"), "runtime");
  EXPECT_EQ(map.ComponentOf("std::__2::shared_ptr<Catalog const>::~shared_ptr[abi:nn190107]()"), "libc++");
  EXPECT_EQ(
      map.ComponentOf("std::__2::shared_ptr<Catalog const>& std::__2::shared_ptr<Catalog const>::operator="
                      "[abi:nn190107]<Catalog, 0>(std::__2::shared_ptr<Catalog>&&)"),
      "libc++");
  // Aliases of one chunk (malloc and __libc_malloc).
  EXPECT_EQ(map.ComponentOf("malloc"), "libc");
  EXPECT_EQ(map.ComponentOf("__libc_malloc"), "libc");
  EXPECT_EQ(map.ComponentOf("std::type_info::~type_info()"), "libc++");
  // The static initializers of app_state.cpp, whose object the build named.
  EXPECT_EQ(map.ComponentOf("_GLOBAL__sub_I_app_state.cpp"), "app");
  // D2 and D0 destructors demangle alike: both are libc++ templates here.
  EXPECT_EQ(
      map.ComponentOf(
          "std::__2::__shared_ptr_emplace<Catalog, std::__2::allocator<Catalog>>::~__shared_ptr_emplace().1"),
      "libc++");
}

TEST(ComponentMapTest, BinaryenRenamesAreUndone) {
  ComponentMap map = ComponentMap::FromLinkMap(ReadText(TestDataPath("link_map_lto.map")),
                                               CatalogObjects("base-128m-release"));
  EXPECT_EQ(map.ComponentOf("byn$mgfn-shared$Root()"), "app");
  EXPECT_EQ(map.ComponentOf("byn$mgfn-shared$dlmalloc"), "libc");
  EXPECT_EQ(map.ComponentOf("byn$mgfn-shared$ws::ui::Ui()"), "runtime");
  // Helpers the map never saw: by name.
  EXPECT_EQ(map.ComponentOf("byn$fpcast-emu$std::__2::foo()"), "libc++");
  EXPECT_EQ(map.ComponentOf("byn$helper"), "app");
}

TEST(ComponentMapTest, MangledSymbolLinesAreDemangled) {
  // A map written with --no-demangle.
  std::string text =
      "    Addr      Off     Size Out     In      Symbol\n"
      "       -      73c      100 CODE\n"
      "       -      743        9         /work/app/obj/main.o:(_Z4Rootv)\n"
      "       -      743        9                 _Z4Rootv\n"
      "       -      74c       66         /work/rt/exports.o:(_ZN2ws2ui2UiEv)\n"
      "       -      74c       66                 _ZN2ws2ui2UiEv\n"
      "       -      7b2        c         /work/rt/exports.o:(helper)\n"
      "       -      7b2        c                 helper\n"
      "       -      800      100 DATA\n"
      "     400      801       10         /work/app/obj/main.o:(.rodata.helper2)\n"
      "     400      801       10                 helper2\n";
  // Objects named by absolute path in the build, relative in the map, or
  // the other way round.
  ComponentMap map =
      ComponentMap::FromLinkMap(text, {{"obj/main.o", "app"}, {"/work/rt/exports.o", "runtime"}});
  EXPECT_EQ(map.ComponentOf("Root()"), "app");
  EXPECT_EQ(map.ComponentOf("ws::ui::Ui()"), "runtime");
  EXPECT_EQ(map.ComponentOf("helper"), "runtime");  // by object, not by name
  EXPECT_EQ(map.ComponentOf("helper2"), "app");     // data symbols are not functions: by name
}

TEST(ComponentMapTest, ByNameAndGarbage) {
  ComponentMap by_name = ComponentMap::ByName();
  EXPECT_EQ(by_name.ComponentOf("ws::ui::LayoutSystem()"), "runtime");
  EXPECT_EQ(by_name.ComponentOf("ws_frame"), "runtime");
  EXPECT_EQ(by_name.ComponentOf("std::__2::vector<int>::push_back(int&&)"), "libc++");
  EXPECT_EQ(by_name.ComponentOf("operator<<(a&, b)"), "app");
  EXPECT_EQ(by_name.ComponentOf("func[12]"), "app");
  ComponentMap garbage = ComponentMap::FromLinkMap("\x01\x02 garbage\n:(\n         (\n\n", {});
  EXPECT_EQ(garbage.ComponentOf("ws::x()"), "runtime");
  // wasi-libc's functions by their C names (`size` on a module without its build's maps).
  EXPECT_EQ(by_name.ComponentOf("printf_core"), "libc");
  EXPECT_EQ(by_name.ComponentOf("dlfree"), "libc");
}

// What a build's symbol map says wins; other names still go by name.
TEST(ComponentMapTest, FromComponentsOfASymbolMap) {
  ComponentMap map = ComponentMap::FromComponents({{"abort_message", "libc++"}, {"helper", "runtime"}});
  EXPECT_EQ(map.ComponentOf("abort_message"), "libc++");
  EXPECT_EQ(map.ComponentOf("byn$mgfn-shared$helper"), "runtime");
  EXPECT_EQ(map.ComponentOf("dlmalloc"), "libc");
  EXPECT_EQ(map.ComponentOf("Root()"), "app");
}

// A C function the app itself defines stays the app's, whatever its name.
TEST(ComponentMapTest, AppObjectsKeepTheirCFunctions) {
  std::string text =
      "    Addr      Off     Size Out     In      Symbol\n"
      "       -      100      200 CODE\n"
      "       -      100       10         obj/main.o:(free)\n"
      "       -      100       10                 free\n";
  ComponentMap map = ComponentMap::FromLinkMap(text, {{"obj/main.o", "app"}});
  EXPECT_EQ(map.ComponentOf("free"), "app");
}

}  // namespace
}  // namespace ws::size
