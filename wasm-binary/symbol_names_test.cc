#include "wasm-binary/symbol_names.h"

#include <gtest/gtest.h>

namespace ws::wasm {
namespace {

TEST(SymbolNamesTest, Demangle) {
  EXPECT_EQ(Demangle("_Z4Rootv"), "Root()");
  EXPECT_EQ(Demangle("_ZN2ws2ui2UiEv"), "ws::ui::Ui()");
  EXPECT_EQ(Demangle("malloc"), "malloc");
  EXPECT_EQ(Demangle("ws::ui::Ui()"), "ws::ui::Ui()");
  EXPECT_EQ(Demangle("_Znot a name"), "_Znot a name");
}

TEST(SymbolNamesTest, BinaryenPrefixAndSuffix) {
  EXPECT_EQ(StripBinaryenPrefix("byn$mgfn-shared$Root()"), "Root()");
  EXPECT_EQ(StripBinaryenPrefix("byn$fpcast-emu$byn$mgfn-shared$f"), "f");
  EXPECT_EQ(StripBinaryenPrefix("byn$"), "byn$");
  EXPECT_EQ(StripBinaryenPrefix("Root()"), "Root()");
  EXPECT_EQ(StripDedupSuffix("f().12"), "f()");
  EXPECT_EQ(StripDedupSuffix("f()"), "f()");
  EXPECT_EQ(StripDedupSuffix("a.b"), "a.b");
  EXPECT_EQ(StripDedupSuffix("x."), "x.");
  EXPECT_EQ(StripDedupSuffix(".1"), ".1");
}

TEST(SymbolNamesTest, QualifiedNameDropsReturnTypesAndParameters) {
  EXPECT_EQ(QualifiedName("ws::ui::LayoutSystem()"), "ws::ui::LayoutSystem");
  EXPECT_EQ(
      QualifiedName("void ws::Bind<ws::BoxProps, ws::Color, F>(ws::Element, ws::Color ws::BoxProps::*, F)"),
      "ws::Bind<ws::BoxProps, ws::Color, F>");
  EXPECT_EQ(QualifiedName("Root()::$_0::operator()() const::'lambda'()::operator()() const"), "Root");
  EXPECT_EQ(QualifiedName("std::__2::vector<int>::operator[](unsigned long)"),
            "std::__2::vector<int>::operator[]");
  EXPECT_EQ(QualifiedName("operator<<(a&, b)"), "operator<<");
  EXPECT_EQ(QualifiedName("ws::Json::operator bool() const"), "ws::Json::operator bool");
  EXPECT_EQ(QualifiedName("operator new(unsigned long)"), "operator new");
  EXPECT_EQ(QualifiedName("ws::ui::(anonymous namespace)::AddTween(unsigned int)"),
            "ws::ui::(anonymous namespace)::AddTween");
  EXPECT_EQ(QualifiedName("(anonymous namespace)::Helper()"), "(anonymous namespace)::Helper");
  EXPECT_EQ(QualifiedName("ws::ecs::Pool<ws::RailProps>& ws::World::PoolOf<ws::RailProps>()"),
            "ws::World::PoolOf<ws::RailProps>");
  EXPECT_EQ(QualifiedName("malloc"), "malloc");
  EXPECT_EQ(QualifiedName("func[3]"), "func[3]");
  EXPECT_EQ(QualifiedName(""), "");
  EXPECT_EQ(QualifiedName("unbalanced>>>(x"), "unbalanced>>>");
}

// wasi-libc's C functions, public and static, are libc's by name alone; a
// C++ function of the same name (it has parameters) is not.
TEST(SymbolNamesTest, WellKnownLibcNamesAreLibc) {
  for (const char* name : {"printf_core", "dlmalloc", "dlfree", "malloc", "memcpy", "fmt_fp", "__stdio_write",
                           "__wasi_fd_write", "__imported_wasi_snapshot_preview1_fd_write", "dlmalloc.1",
                           "byn$mgfn-shared$dlfree"}) {
    EXPECT_TRUE(IsLibcName(name)) << name;
    EXPECT_EQ(ComponentByName(name), "libc") << name;
  }
  EXPECT_FALSE(IsLibcName("Greeting"));
  EXPECT_EQ(ComponentByName("malloc(unsigned long)"), "app");
  EXPECT_EQ(ComponentByName("Greeting"), "app");
  EXPECT_EQ(ComponentByName("abort_message"), "app");  // libc++abi's: only its link map knows
}

TEST(SymbolNamesTest, ComponentByName) {
  EXPECT_EQ(ComponentByName("ws::ui::LayoutSystem()"), "runtime");
  EXPECT_EQ(ComponentByName("ws_frame"), "runtime");
  EXPECT_EQ(ComponentByName("void std::__2::__function::__policy_invoker<void ()>::__call_impl<F>(S const*)"),
            "libc++");
  EXPECT_EQ(ComponentByName("ws::ecs::Pool<ws::RailProps>& ws::World::PoolOf<ws::RailProps>()"), "runtime");
  EXPECT_EQ(ComponentByName("std::__2::vector<ws::Json>* ws::Make()"), "runtime");
  EXPECT_EQ(ComponentByName("ws::Json* std::__2::vector<ws::Json>::data()"), "libc++");
  EXPECT_EQ(ComponentByName("__cxxabiv1::__class_type_info::~__class_type_info()"), "libc++");
  EXPECT_EQ(ComponentByName("byn$mgfn-shared$ws::World::Tick()"), "runtime");
  EXPECT_EQ(ComponentByName("Root()::$_0::operator()() const"), "app");
  EXPECT_EQ(ComponentByName("wsx"), "app");
}

TEST(SymbolNamesTest, StdFunctionWrappersBelongToTheirLambdasOwner) {
  const char* app_handler =
      "void std::__2::__function::__policy_invoker<void ()>::__call_impl[abi:nn190107]<std::__2::__function::"
      "__default_alloc_func<PosterTile(Title const&, int, int)::$_0::operator()() const::'lambda2'(), void "
      "()>>("
      "std::__2::__function::__policy_storage const*)";
  EXPECT_EQ(LambdaOwner(app_handler), "PosterTile(Title const&, int, int)");
  EXPECT_EQ(ComponentByName(app_handler), "app");
  const char* anonymous =
      "void std::__2::__function::__policy_invoker<void (ws::FetchResult "
      "const&)>::__call_impl[abi:nn190107]<std::"
      "__2::__function::__default_alloc_func<(anonymous namespace)::LoadCatalog()::$_0, void "
      "(ws::FetchResult "
      "const&)>>(std::__2::__function::__policy_storage const*, ws::FetchResult const&)";
  EXPECT_EQ(LambdaOwner(anonymous), "(anonymous namespace)::LoadCatalog()");
  EXPECT_EQ(ComponentByName(anonymous), "app");
  // A binding: ws::Bind<..., app lambda> inside the wrapper: the first
  // lambda is the app's.
  const char* binding =
      "void* "
      "std::__2::__function::__policy::__large_clone[abi:nn190107]<std::__2::__function::__default_alloc_"
      "func<"
      "void ws::Bind<ws::TextProps, int, ShelfRow(int)::$_0::operator()() const::'lambda'()>(ws::Element, "
      "int "
      "ws::TextProps::*, ShelfRow(int)::$_0::operator()() const::'lambda'())::'lambda'(), void ()>>(void "
      "const*)";
  EXPECT_EQ(LambdaOwner(binding), "ShelfRow(int)");
  EXPECT_EQ(ComponentByName(binding), "app");
  const char* runtime =
      "void std::__2::__function::__policy_invoker<void ()>::__call_impl[abi:nn190107]<std::__2::__function::"
      "__default_alloc_func<ws::detail::ForEach(ws::detail::ForSource)::$_1, void ()>>(std::__2::__function::"
      "__policy_storage const*)";
  EXPECT_EQ(ComponentByName(runtime), "runtime");
  EXPECT_EQ(ComponentByName(std::string("byn$mgfn-shared$") + runtime), "runtime");
  // Other library templates stay libc++, lambda or not.
  EXPECT_EQ(
      ComponentByName("void std::__2::__introsort<std::__2::_ClassicAlgPolicy, ws::reactive::(anonymous "
                      "namespace)::Graph::Flush()::'lambda'(int, int)&, int*, false>(int*, int*)"),
      "libc++");
  EXPECT_EQ(ComponentByName("std::__2::__function::__policy_func<void ()>::operator()() const"), "libc++");
  EXPECT_EQ(LambdaOwner("no lambda here"), "");
}

TEST(SymbolNamesTest, ValidUtf8) {
  EXPECT_EQ(ValidUtf8("plain"), "plain");
  EXPECT_EQ(ValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC3"), "\xEF\xBF\xBD");                  // truncated sequence
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
}

}  // namespace
}  // namespace ws::wasm
