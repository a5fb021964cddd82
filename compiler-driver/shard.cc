#include "compiler-driver/shard.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <numeric>

#include "compiler-driver/glob.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::optional<size_t> Number(std::string_view text) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The variant's compile flags depend on its features alone (memory and
// pipeline come after the compiles): the sort key that keeps such variants
// together.
std::string CompileGroup(const Variant& v) {
  std::string key;
  for (const std::string& name : v.features.Names()) key += name + ",";
  return key;
}

void AddFile(const std::string& real, const std::string& name, FileHasher& hasher, ShardInputs& inputs) {
  std::optional<std::string> hash = hasher.Hash(real, kImageFile);
  inputs.files[name] = hash ? *hash : "unreadable";
}

}  // namespace

Result<ShardSpec> ParseShard(const std::string& text) {
  size_t slash = text.find('/');
  std::optional<size_t> k = slash == std::string::npos ? std::nullopt : Number(std::string_view(text).substr(0, slash));
  std::optional<size_t> n = slash == std::string::npos ? std::nullopt : Number(std::string_view(text).substr(slash + 1));
  if (!k || !n || *k < 1 || *n < 1 || *k > *n || *n > 10000) {
    return Error{"--shard takes K/N with 1 <= K <= N (for example 2/4), not '" + text + "'"};
  }
  return ShardSpec{*k, *n};
}

std::vector<size_t> AssignShards(const std::vector<Variant>& variants, size_t count) {
  std::vector<size_t> order(variants.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::string> groups;
  for (const Variant& v : variants) groups.push_back(CompileGroup(v));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(groups[a], variants[a].name) < std::tie(groups[b], variants[b].name);
  });
  // Contiguous runs of the sorted list: shard k gets positions
  // [k*V/N, (k+1)*V/N), so sizes differ by at most one.
  std::vector<size_t> shard(variants.size());
  for (size_t k = 0; k < count; ++k) {
    for (size_t i = k * variants.size() / count; i < (k + 1) * variants.size() / count; ++i) shard[order[i]] = k + 1;
  }
  return shard;
}

ShardInputs CollectShardInputs(const Manifest& manifest, const BuildPlan& plan, FileHasher& hasher) {
  ShardInputs inputs;
  const std::string root = plan.root + "/";
  AddFile(root + fs::path(manifest.path).filename().string(), "wasmship.yaml", hasher, inputs);
  if (!manifest.devices_file.empty()) AddFile(root + manifest.devices_file, manifest.devices_file, hasher, inputs);
  if (!manifest.perf_script.empty()) AddFile(root + manifest.perf_script, manifest.perf_script, hasher, inputs);
  for (const CompileUnit& unit : plan.units) {
    if (unit.literals_of_previous) continue;  // generated from the DSL source before it
    std::string source = unit.original.empty() ? unit.source : unit.original;
    AddFile(fs::path(source).is_absolute() ? source : root + source, unit.display, hasher, inputs);
  }
  for (const auto& [path, display] : plan.package.runtime_headers) AddFile(path, display, hasher, inputs);
  std::vector<std::string> dirs = manifest.include_dirs;
  if (!manifest.assets_dir.empty()) dirs.push_back(manifest.assets_dir);
  for (const std::string& dir : dirs) {
    for (const std::string& file : ExpandGlob(root + dir, "**/*")) {
      AddFile(root + dir + "/" + file, (fs::path(dir) / file).lexically_normal().string(), hasher, inputs);
    }
  }
  Hasher digest;
  for (const auto& [name, hash] : inputs.files) digest.Add(name).Add(hash);
  inputs.digest = digest.Finish();
  return inputs;
}

nlohmann::ordered_json ShardJson(const ShardRecord& r) {
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  nlohmann::ordered_json built = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.variants.size(); ++i) {
    variants.push_back({{"name", r.variants[i].name}, {"devices", r.variants[i].devices}, {"shard", r.assignment[i]}});
    if (r.assignment[i] == r.shard.index) built.push_back(r.variants[i].name);
  }
  return {{"format", "wasmship-shard"},
          {"format_version", 1},
          {"shard", r.shard.index},
          {"of", r.shard.count},
          {"app", {{"name", r.app}, {"version", r.version}}},
          {"profile", r.profile},
          {"toolchain", r.toolchain},
          {"compiler", r.compiler},
          {"key_id", r.key_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.key_id)},
          {"budgets_checked", r.budgets_checked},
          {"inputs", {{"digest", r.inputs.digest}, {"files", r.inputs.files}}},
          {"variants", variants},
          {"built", built}};
}

ShardRecord MakeShardRecord(const ShardSpec& shard, const Manifest& manifest, const std::string& profile,
                            const std::string& key_id, bool budgets_checked, std::vector<Variant> all) {
  ShardRecord r;
  r.shard = shard;
  r.app = manifest.app_name;
  r.version = manifest.app_version;
  r.profile = profile;
  r.key_id = key_id;
  r.budgets_checked = budgets_checked;
  r.assignment = AssignShards(all, shard.count);
  r.variants = std::move(all);
  return r;
}

void RecordShardInputs(ShardRecord& record, const Manifest& manifest, const BuildPlan& plan, FileHasher& files) {
  record.toolchain = plan.package.toolchain;
  const std::string& id = plan.toolchain.compiler_id;
  record.compiler = id.substr(0, id.find('\n'));
  record.inputs = CollectShardInputs(manifest, plan, files);
}

std::vector<Variant> ShardVariants(const ShardRecord& record) {
  std::vector<Variant> mine;
  for (size_t i = 0; i < record.variants.size(); ++i) {
    if (record.assignment[i] == record.shard.index) mine.push_back(record.variants[i]);
  }
  return mine;
}

Status StageShardFile(OutputSet& outputs, const ShardRecord* record) {
  std::string path = (fs::path(outputs.dir()) / kShardFile).string();
  if (record == nullptr) {
    outputs.Remove(path);
    return {};
  }
  Result<std::string> staged = outputs.Stage(path, ShardJson(*record).dump(2) + "\n");
  if (!staged) return staged.error();
  return {};
}

}  // namespace ws
