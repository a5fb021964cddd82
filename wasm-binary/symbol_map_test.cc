#include "wasm-binary/symbol_map.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace ws::wasm {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("ws_symbol_map_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(SymbolMapTest, RoundTripsThroughAFile) {
  SymbolMap map = {{0, {"ws::ui::Layout()", "runtime"}}, {7, {"Root()", std::nullopt}}, {12, {"f \"quoted\"", "app"}}};
  fs::path dir = TempDir("round_trip");
  std::string path = (dir / "map.json").string();
  ASSERT_TRUE(WriteSymbolMap(path, map));
  Result<SymbolMap> read = ReadSymbolMap(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, map);
  EXPECT_EQ(SymbolNames(*read), (std::map<uint32_t, std::string>{{0, "ws::ui::Layout()"}, {7, "Root()"},
                                                                   {12, "f \"quoted\""}}));
  fs::remove_all(dir);
}

// The bytes dist/symbols/<variant>.map.json has always had.
TEST(SymbolMapTest, FormatIsStable) {
  SymbolMap map = {{3, {"Root()", "app"}}, {10, {"g", std::nullopt}}};
  EXPECT_EQ(SymbolMapJson(map),
            "{\n \"functions\": {\n  \"3\": {\n   \"name\": \"Root()\",\n   \"component\": \"app\"\n  },\n"
            "  \"10\": {\n   \"name\": \"g\"\n  }\n }\n}\n");
}

TEST(SymbolMapTest, ReadsBareNameEntries) {
  Result<SymbolMap> map = ParseSymbolMap(R"j({"functions": {"2": "Root()"}})j", "m.json");
  ASSERT_TRUE(map) << map.error().message;
  EXPECT_EQ(*map, (SymbolMap{{2, {"Root()", std::nullopt}}}));
}

TEST(SymbolMapTest, SyntaxErrorNamesFileLineAndColumn) {
  Result<SymbolMap> map = ParseSymbolMap("{\n \"functions\": {\n  \"1\": \"a\",,\n }\n}\n", "dist/symbols/base.map.json");
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().message.rfind("dist/symbols/base.map.json:3:", 0), 0u) << map.error().message;
  EXPECT_NE(map.error().message.find("not valid JSON"), std::string::npos);
}

TEST(SymbolMapTest, WrongShapesAreErrorsNamingTheFile) {
  for (const char* text : {R"([])", R"({"functions": []})", R"({"functions": {"x": "f"}})",
                           R"({"functions": {"-1": "f"}})", R"({"functions": {"1": 5}})",
                           R"({"functions": {"1": {"name": "f", "component": 3}}})"}) {
    Result<SymbolMap> map = ParseSymbolMap(text, "s.map.json");
    ASSERT_FALSE(map) << text;
    EXPECT_EQ(map.error().message.rfind("s.map.json: ", 0), 0u) << map.error().message;
  }
}

TEST(SymbolMapTest, MissingFileIsAnErrorNamingIt) {
  Result<SymbolMap> map = ReadSymbolMap("/nonexistent/ws/symbols/base.map.json");
  ASSERT_FALSE(map);
  EXPECT_NE(map.error().message.find("/nonexistent/ws/symbols/base.map.json"), std::string::npos);
}

TEST(SymbolMapTest, PathsBesideModuleAndBundle) {
  EXPECT_EQ(SymbolMapPath("dist", "simd"), fs::path("dist/symbols/simd.map.json"));
  EXPECT_EQ(SymbolMapBesideBundle("dist/bundles/app-1.0-simd.wsb", "simd"), fs::path("dist/symbols/simd.map.json"));
  fs::path dir = TempDir("beside");
  fs::create_directories(dir / "symbols");
  for (const char* name : {"base.map.json", "simd.map.json", "simd-threads.map.json"}) {
    std::ofstream(dir / "symbols" / name) << "{}";
  }
  EXPECT_EQ(SymbolMapBesideModule(dir / "app-simd-threads.wasm"), (dir / "symbols" / "simd-threads.map.json").string());
  EXPECT_EQ(SymbolMapBesideModule(dir / "app-base.wasm"), (dir / "symbols" / "base.map.json").string());
  EXPECT_EQ(SymbolMapBesideModule(dir / "app-speed.wasm"), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ws::wasm
