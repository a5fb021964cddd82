// CI shards (issue 15, item 5): `build --shard K/N` builds a part of the
// variants, `merge` joins the parts into what one `--all-devices` build
// makes, byte for byte, and refuses parts that do not belong together.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Tree = std::map<std::string, std::string>;  // path under the directory → content

Tree Snapshot(const ProjectSandbox& project, const std::string& dir) {
  Tree tree;
  for (const auto& entry : fs::recursive_directory_iterator(project.Path(dir))) {
    if (entry.is_regular_file()) {
      std::string relative = fs::relative(entry.path(), project.Path(dir)).string();
      tree[relative] = project.Read(dir + "/" + relative);
    }
  }
  return tree;
}

// A report without what differs between any two builds of the same inputs:
// timings (every "ms" and "*_ms") and cache counts (a shard that finds
// another's objects in the cache hits where one build compiled).
json Comparable(json value) {
  if (value.is_object()) {
    json out = json::object();
    for (auto& [key, item] : value.items()) {
      bool timing = key == "ms" || (key.size() > 3 && key.compare(key.size() - 3, 3, "_ms") == 0);
      if (!timing && key != "cache") out[key] = Comparable(item);
    }
    return out;
  }
  if (value.is_array()) {
    for (json& item : value) item = Comparable(item);
  }
  return value;
}

// Builds shards 1..count into shards<count>/<k> and merges them into `out`.
void BuildShards(const ProjectSandbox& project, size_t count, const std::string& out) {
  std::vector<std::string> merge = {"merge"};
  for (size_t k = 1; k <= count; ++k) {
    std::string dir = "shards" + std::to_string(count) + "/" + std::to_string(k);
    RunResult shard = project.Wasmship({"build", "--shard", std::to_string(k) + "/" + std::to_string(count), "--out", dir});
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
    json record = json::parse(project.Read(dir + "/shard.json"));
    EXPECT_EQ(record["shard"], k);
    EXPECT_EQ(record["variants"].size(), 4u);
    merge.push_back(dir);
  }
  merge.insert(merge.end(), {"-o", out});
  RunResult merged = project.Wasmship(merge);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
}

void ExpectSameBuild(const ProjectSandbox& project, const std::string& single, const std::string& merged) {
  Tree a = Snapshot(project, single), b = Snapshot(project, merged);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [path, content] : a) {
    ASSERT_TRUE(b.count(path)) << path;
    if (path.rfind("report.", 0) == 0) continue;  // timings
    EXPECT_TRUE(content == b[path]) << path << " differs";
  }
  EXPECT_EQ(Comparable(json::parse(a["report.json"])), Comparable(json::parse(b["report.json"])));
  EXPECT_EQ(json::parse(b["index.json"])["devices"].size(), 5u);
}

TEST(ShardTest, FourShardsMergeToTheSingleBuild) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult single = project.Wasmship({"build", "--all-devices", "--out", "single"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_FALSE(project.Exists("single/shard.json"));

  BuildShards(project, 4, "merged");
  ExpectSameBuild(project, "single", "merged");
  // The split is balanced: one variant each.
  for (size_t k = 1; k <= 4; ++k) {
    json record = json::parse(project.Read("shards4/" + std::to_string(k) + "/shard.json"));
    EXPECT_EQ(record["built"].size(), 1u) << k;
  }

  // More shards than variants: two shards are empty, and merge all the same.
  BuildShards(project, 6, "merged6");
  ExpectSameBuild(project, "single", "merged6");
  EXPECT_EQ(json::parse(project.Read("shards6/1/shard.json"))["built"].size(), 0u);
  EXPECT_FALSE(project.Exists("shards6/1/index.json"));
}

TEST(ShardTest, MergeRefusesShardsThatDoNotBelongTogether) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  for (const char* k : {"1", "2", "3"}) {
    RunResult shard = project.Wasmship({"build", "--shard", std::string(k) + "/3", "--out", std::string("s/") + k});
    ASSERT_EQ(shard.exit_code, 0) << shard.err;
  }
  // A good output directory that a refused merge must leave alone.
  RunResult good = project.Wasmship({"merge", "s/1", "s/2", "s/3", "-o", "out"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  Tree before = Snapshot(project, "out");

  auto refused = [&](const std::vector<std::string>& dirs, const std::string& message) {
    std::vector<std::string> args = {"merge"};
    args.insert(args.end(), dirs.begin(), dirs.end());
    args.insert(args.end(), {"-o", "out"});
    RunResult merge = project.Wasmship(args);
    EXPECT_EQ(merge.exit_code, 2) << merge.err;
    ExpectContains(merge.err, message);
    EXPECT_EQ(Snapshot(project, "out"), before);
  };
  refused({"s/1", "s/2"}, "is missing: shard 3/3 builds it");
  refused({"s/1", "s/2", "s/3", "s/3"}, "are the same shard");
  refused({"s/1", "s/2", "out"}, "out is not a shard's output: it has no shard.json");

  // Another commit: a source edited before shard 3 was built.
  project.Write("src/theme.h", project.Read("src/theme.h") + "\n// another commit\n");
  ASSERT_EQ(project.Wasmship({"build", "--shard", "3/3", "--out", "s/3-next"}).exit_code, 0);
  refused({"s/1", "s/2", "s/3-next"}, "built from different inputs (different commits?): src/theme.h differ");

  // Another app version, and another split.
  project.Write("wasmship.yaml", [&] {
    std::string text = project.Read("wasmship.yaml");
    return text.replace(text.find("1.4.0"), 5, "1.5.0");
  }());
  ASSERT_EQ(project.Wasmship({"build", "--shard", "3/3", "--out", "s/3-v15"}).exit_code, 0);
  refused({"s/1", "s/2", "s/3-v15"}, "different apps or app versions");
  ASSERT_EQ(project.Wasmship({"build", "--shard", "2/2", "--out", "s/2of2"}).exit_code, 0);
  refused({"s/1", "s/2of2"}, "different shard counts");

  // A bundle changed after its shard was built.
  std::string bundle = project.FilesIn("s/1/bundles", ".wsb").front();
  project.Write("s/1/bundles/" + bundle, "not a bundle");
  refused({"s/1", "s/2", "s/3"}, "is not the bundle its report.json describes");

  RunResult bad = project.Wasmship({"build", "--shard", "5/4"});
  EXPECT_EQ(bad.exit_code, 2);
  ExpectContains(bad.err, "--shard takes K/N with 1 <= K <= N");
}

}  // namespace
}  // namespace ws::e2e
