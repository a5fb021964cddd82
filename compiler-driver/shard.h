// CI shards: `wasmship build --all-devices --shard K/N` builds a fixed part
// of the variants, and `wasmship merge` joins the shards' output
// directories (compiler-driver/dist_merge.h). Each shard records what it
// was part of in <out>/shard.json, so that a merge can refuse shards that do
// not belong together (docs/ci.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler-driver/build_plan.h"
#include "compiler-driver/content_hash.h"
#include "compiler-driver/output_set.h"
#include "diagnostics/result.h"
#include "feature-matrix/variant_plan.h"

namespace ws {

constexpr const char* kShardFile = "shard.json";

struct ShardSpec {
  size_t index = 0;  // K, from 1
  size_t count = 0;  // N; 0: not sharded
  bool active() const { return count > 0; }
  std::string Text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// "K/N" with 1 <= K <= N.
Result<ShardSpec> ParseShard(const std::string& text);

// The shard (1..N) each of `variants` belongs to. Deterministic across
// machines (a function of the variants' names and features only) and
// balanced: shards differ by at most one variant. Variants that compile
// alike (the same features) are kept next to each other, so that a shard
// shares their compiles.
std::vector<size_t> AssignShards(const std::vector<Variant>& variants, size_t count);

// What identifies a shard's inputs: every file the build reads (manifest,
// devices, app sources and headers, assets, the runtime's sources and
// headers) by its portable name and content hash.
struct ShardInputs {
  std::string digest;
  std::map<std::string, std::string> files;  // portable name → content hash
};
ShardInputs CollectShardInputs(const Manifest& manifest, const BuildPlan& plan, FileHasher& files);

// Everything <out>/shard.json records.
struct ShardRecord {
  ShardSpec shard;
  std::string app, version, profile;
  std::string toolchain;  // wasmship and its tools
  std::string compiler;   // clang's --version, first line
  std::string key_id;     // "" when the bundles are unsigned
  bool budgets_checked = false;
  ShardInputs inputs;
  std::vector<Variant> variants;  // all of them, in build order
  std::vector<size_t> assignment;  // variants[i] belongs to shard assignment[i]
};
nlohmann::ordered_json ShardJson(const ShardRecord& record);

// The record of this build when it is a shard (`plan` is any variant's plan:
// the inputs are the same for all), with `variants` cut down to the shard's.
ShardRecord MakeShardRecord(const ShardSpec& shard, const Manifest& manifest, const std::string& profile,
                            const std::string& key_id, bool budgets_checked, std::vector<Variant> all);
void RecordShardInputs(ShardRecord& record, const Manifest& manifest, const BuildPlan& plan, FileHasher& files);
std::vector<Variant> ShardVariants(const ShardRecord& record);

// <out>/shard.json staged with the build's outputs; a build that is not a
// shard removes an earlier one (its outputs are no longer a shard's).
Status StageShardFile(OutputSet& outputs, const ShardRecord* record);

}  // namespace ws
