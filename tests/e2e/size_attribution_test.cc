// `wasmship size` on a real release build of catalog: every code byte in a
// named component (a file or a system below app and runtime), the views
// that say why a function is there, and the symbol map's safeguards.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

uint64_t Sum(const json& items) {
  uint64_t sum = 0;
  for (const json& item : items) sum += item["bytes"].get<uint64_t>();
  return sum;
}

const json* Child(const json& node, const std::string& name) {
  if (!node.contains("children")) return nullptr;
  for (const json& c : node["children"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

// The share of code bytes with a named home, and of app/runtime bytes in a
// file or system: the bar is 95%.
void ExpectAttributed(const json& size) {
  const json& a = size["attribution"];
  ASSERT_GT(a["code_bytes"].get<uint64_t>(), 0u) << size.dump(1);
  double named = a["named_bytes"].get<double>() / a["code_bytes"].get<double>();
  double parts = a["app_runtime_named_bytes"].get<double>() / a["app_runtime_bytes"].get<double>();
  EXPECT_GE(named, 0.95) << a.dump();
  EXPECT_GE(parts, 0.95) << a.dump();
}

// One release build of catalog for all the checks below (it takes minutes).
struct Built {
  ProjectSandbox& project;
  json report;
  std::string module;
};

void ReportCarriesTheComponentTree(const Built& b) {
  SCOPED_TRACE("ReportCarriesTheComponentTree");
  const json& size = b.report["variants"][0]["size"];
  EXPECT_EQ(Sum(size["components"]), size["file_bytes"].get<uint64_t>());
  EXPECT_EQ(Sum(size["component_tree"]), size["file_bytes"].get<uint64_t>());
  ExpectAttributed(size);
  const json* app = nullptr;
  const json* runtime = nullptr;
  for (const json& c : size["component_tree"]) {
    if (c["name"] == "app") app = &c;
    if (c["name"] == "runtime") runtime = &c;
  }
  ASSERT_TRUE(app && runtime) << size["component_tree"].dump(1);
  const json* main = Child(*app, "src/main.cpp");
  ASSERT_NE(main, nullptr) << app->dump(1);
  EXPECT_EQ((*main)["kind"], "file");
  const json* root = Child(*main, "Root");
  ASSERT_NE(root, nullptr) << main->dump(1);
  EXPECT_EQ((*root)["kind"], "composable");
  ASSERT_NE(Child(*app, "src/collections_page.cpp"), nullptr);
  EXPECT_NE(Child(*Child(*app, "src/collections_page.cpp"), "ShelfRow"), nullptr);
  for (const char* system : {"layout", "json", "reactive", "ecs", "focus", "render"}) {
    const json* s = Child(*runtime, system);
    ASSERT_NE(s, nullptr) << system << " in " << runtime->dump(1);
    EXPECT_EQ((*s)["kind"], "system");
  }
  for (const json& f : size["functions"]) {
    if (f["name"] == "printf_core" || f["name"] == "dlmalloc") EXPECT_EQ(f["component"], "libc") << f.dump();
    if (f["name"] == "ws::ui::LayoutSystem()") EXPECT_EQ(f["part"], "layout") << f.dump();
  }
  ExpectContains(b.project.Read("dist/report.md"), "Component tree");
  ExpectContains(b.project.Read("dist/report.html"), "src/main.cpp");
}

void SizeFindsTheMapOfModulesAndBundles(const Built& b) {
  SCOPED_TRACE("SizeFindsTheMapOfModulesAndBundles");
  RunResult size = b.project.Wasmship({"size", b.module, "--format", "json", "--top", "0"});
  ASSERT_EQ(size.exit_code, 0) << size.err;
  json sized = json::parse(size.out);
  EXPECT_EQ(Sum(sized["components"]), sized["file_bytes"].get<uint64_t>());
  ExpectAttributed(sized);
  std::vector<std::string> bundles = b.project.FilesIn("dist/bundles", ".wsb");
  ASSERT_FALSE(bundles.empty());
  RunResult bundle = b.project.Wasmship({"size", "dist/bundles/" + bundles[0], "--format", "json", "--top", "0"});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  ExpectAttributed(json::parse(bundle.out));
  RunResult text = b.project.Wasmship({"size", b.module});
  ExpectContains(text.out, "Component tree");
  ExpectContains(text.out, "runtime/layout");
}

void WhyDominatorsAndGarbage(const Built& b) {
  SCOPED_TRACE("WhyDominatorsAndGarbage");
  RunResult why = b.project.Wasmship({"size", b.module, "--why", "LayoutSystem"});
  ASSERT_EQ(why.exit_code, 0) << why.err;
  ExpectContains(why.out, "export \"ws_frame\"");
  ExpectContains(why.out, "ws::ui::LayoutSystem()");
  RunResult why_json = b.project.Wasmship({"size", b.module, "--why", "ws::ui::LayoutSystem()", "--format", "json"});
  ASSERT_EQ(why_json.exit_code, 0) << why_json.err;
  json paths = json::parse(why_json.out);
  ASSERT_EQ(paths["functions"].size(), 1u) << why_json.out;
  EXPECT_EQ(paths["functions"][0]["root"], "export \"ws_frame\"");
  EXPECT_EQ(paths["functions"][0]["path"].back()["name"], "ws::ui::LayoutSystem()");

  RunResult missing = b.project.Wasmship({"size", b.module, "--why", "LayotSystem"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectContains(missing.err, "nearest names");
  ExpectContains(missing.err, "ws::ui::LayoutSystem()");

  RunResult dominators = b.project.Wasmship({"size", b.module, "--dominators", "--format", "json"});
  ASSERT_EQ(dominators.exit_code, 0) << dominators.err;
  json tree = json::parse(dominators.out);
  EXPECT_GT(tree["reachable_bytes"].get<uint64_t>(), 0u);
  EXPECT_LE(tree["reachable_bytes"].get<uint64_t>(), tree["code_bytes"].get<uint64_t>());
  RunResult dominators_text = b.project.Wasmship({"size", b.module, "--dominators"});
  ExpectContains(dominators_text.out, "ws_frame");

  RunResult garbage = b.project.Wasmship({"size", b.module, "--garbage", "--format", "json"});
  ASSERT_EQ(garbage.exit_code, 0) << garbage.err;
  EXPECT_TRUE(json::parse(garbage.out).contains("unreachable_functions"));
}

void DiffCoversFilesSystemsAndComposables(const Built& b) {
  SCOPED_TRACE("DiffCoversFilesSystemsAndComposables");
  RunResult diff = b.project.Wasmship({"size", b.module, "--diff", b.module, "--format", "json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  json rows = json::parse(diff.out);
  ASSERT_FALSE(rows["parts"].empty()) << diff.out;
  ASSERT_FALSE(rows["composables"].empty()) << diff.out;
  bool root = false;
  for (const json& r : rows["composables"]) root = root || r["name"] == "app/src/main.cpp/Root";
  EXPECT_TRUE(root) << rows["composables"].dump(1);
}

void StrippedModuleWithoutMapAndMapOfAnotherBuild(const Built& b) {
  SCOPED_TRACE("StrippedModuleWithoutMapAndMapOfAnotherBuild");
  fs::create_directories(b.project.Path("elsewhere"));
  fs::copy_file(b.project.Path(b.module), b.project.Path("elsewhere/alone.wasm"), fs::copy_options::overwrite_existing);
  RunResult alone = b.project.Wasmship({"size", "elsewhere/alone.wasm"});
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  ExpectContains(alone.out, "func[");
  ExpectContains(alone.out, "Sections");
  ExpectContains(alone.err, "--symbols");

  std::vector<std::string> maps = b.project.FilesIn("dist/symbols", ".json");
  ASSERT_FALSE(maps.empty());
  json map = json::parse(b.project.Read("dist/symbols/" + maps[0]));
  ASSERT_TRUE(map.contains("module")) << "the map identifies its module";
  map["module"]["code_hash"] = "0123456789abcdef";
  b.project.Write("elsewhere/other.map.json", map.dump());
  RunResult other = b.project.Wasmship({"size", "elsewhere/alone.wasm", "--symbols", "elsewhere/other.map.json"});
  EXPECT_EQ(other.exit_code, 2);
  ExpectContains(other.err, "another build");
  ExpectContains(other.err, "other.map.json");
}

TEST(SizeAttributionTest, CatalogReleaseIsAttributedAndExplained) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.AddSigningKey();
  RunResult build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json report = json::parse(project.Read("dist/report.json"));
  Built built{project, report, "dist/" + report["variants"][0]["module"]["file"].get<std::string>()};
  ReportCarriesTheComponentTree(built);
  SizeFindsTheMapOfModulesAndBundles(built);
  WhyDominatorsAndGarbage(built);
  DiffCoversFilesSystemsAndComposables(built);
  StrippedModuleWithoutMapAndMapOfAnotherBuild(built);
}

}  // namespace
}  // namespace ws::e2e
