#include "compiler-driver/dist_merge.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "compiler-driver/release_outputs.h"
#include "compiler-driver/shard.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "size-reports/size_reports.h"
#include "wasm-binary/symbol_map.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using Json = size::Json;

struct ShardDir {
  std::string dir;
  Json record;  // shard.json
  Json report;  // report.json; null for a shard without variants
  std::string Name() const {
    return "shard " + std::to_string(record.value("shard", 0)) + "/" + std::to_string(record.value("of", 0)) +
           " (" + dir + ")";
  }
};

Result<Json> ReadJson(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return text.error();
  Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return Error{path + " is not valid JSON"};
  return json;
}

std::optional<ShardDir> LoadShard(const std::string& dir, DiagnosticSink& sink) {
  std::string path = (fs::path(dir) / kShardFile).string();
  if (!fs::exists(path)) {
    sink.Error({path, 0, 0, 1}, dir + " is not a shard's output: it has no " + kShardFile,
               {"merge the output directories of `wasmship build --all-devices --shard K/N`"});
    return std::nullopt;
  }
  Result<Json> record = ReadJson(path);
  if (!record || record->value("format", "") != "wasmship-shard" || record->value("format_version", 0) != 1 ||
      !(*record)["variants"].is_array() || !(*record)["built"].is_array()) {
    sink.Error({path, 0, 0, 1}, record ? path + " is not a wasmship shard record (format wasmship-shard, version 1)"
                                       : record.error().message,
               {"build the shard again with this wasmship"});
    return std::nullopt;
  }
  ShardDir shard{dir, std::move(*record), nullptr};
  if (shard.record["built"].empty()) return shard;
  Result<Json> report = ReadJson((fs::path(dir) / "report.json").string());
  if (!report || !(*report)["variants"].is_array()) {
    sink.Error({dir + "/report.json", 0, 0, 1},
               shard.Name() + " built variants but has no usable report.json" +
                   (report ? std::string() : ": " + report.error().message),
               {"build the shard again"});
    return std::nullopt;
  }
  shard.report = std::move(*report);
  return shard;
}

std::string Text(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// One field that every shard must have alike.
void CheckSame(const ShardDir& first, const ShardDir& other, const Json::json_pointer& field, const std::string& what,
               const std::string& hint, bool& ok, DiagnosticSink& sink) {
  Json a = first.record.contains(field) ? first.record[field] : Json();
  Json b = other.record.contains(field) ? other.record[field] : Json();
  if (a == b) return;
  sink.Error({other.dir + "/" + kShardFile, 0, 0, 1},
             "cannot merge shards with " + what + ": " + Text(a) + " in " + first.Name() + ", " + Text(b) + " in " +
                 other.Name(),
             {hint});
  ok = false;
}

// Names (up to five) the input files that differ, for the message.
std::string DifferingInputs(const Json& a, const Json& b) {
  std::set<std::string> names;
  for (const auto& [name, hash] : a.items()) {
    if (!b.contains(name) || b[name] != hash) names.insert(name);
  }
  for (const auto& [name, hash] : b.items()) {
    if (!a.contains(name)) names.insert(name);
  }
  std::string list;
  size_t shown = 0;
  for (const std::string& name : names) {
    if (shown++ == 5) return list + ", ...";
    list += (list.empty() ? "" : ", ") + name;
  }
  return list;
}

bool CheckCompatible(const std::vector<ShardDir>& shards, DiagnosticSink& sink) {
  bool ok = true;
  const ShardDir& first = shards.front();
  for (size_t i = 1; i < shards.size(); ++i) {
    const ShardDir& s = shards[i];
    CheckSame(first, s, "/app"_json_pointer, "different apps or app versions",
              "merge shards of one build: every job builds the same commit", ok, sink);
    CheckSame(first, s, "/profile"_json_pointer, "different profiles", "build every shard with the same -p", ok, sink);
    CheckSame(first, s, "/toolchain"_json_pointer, "different toolchains",
              "build every shard with the same wasmship", ok, sink);
    CheckSame(first, s, "/compiler"_json_pointer, "different compilers",
              "build every shard with the same clang (pin the CI image)", ok, sink);
    CheckSame(first, s, "/key_id"_json_pointer, "different signing keys",
              "give every shard job the same WASMSHIP_SIGNING_KEY", ok, sink);
    CheckSame(first, s, "/budgets_checked"_json_pointer, "budgets checked in some and not in others",
              "pass --no-budget to every shard or to none", ok, sink);
    CheckSame(first, s, "/of"_json_pointer, "different shard counts", "build shards 1/N to N/N with one N", ok, sink);
    CheckSame(first, s, "/variants"_json_pointer, "different variants (devices.yaml or --device differ)",
              "build every shard from the same devices.yaml with the same --device flags", ok, sink);
    if (first.record["/inputs/digest"_json_pointer] != s.record["/inputs/digest"_json_pointer]) {
      sink.Error({s.dir + "/" + kShardFile, 0, 0, 1},
                 "cannot merge shards built from different inputs (different commits?): " +
                     DifferingInputs(first.record["/inputs/files"_json_pointer], s.record["/inputs/files"_json_pointer]) +
                     " differ between " + first.Name() + " and " + s.Name(),
                 {"build every shard from the same commit"});
      ok = false;
    }
  }
  return ok;
}

// variant name → the shard that built it; errors for shards given twice,
// variants built twice or by none.
std::optional<std::map<std::string, const ShardDir*>> Owners(const std::vector<ShardDir>& shards,
                                                             DiagnosticSink& sink) {
  bool ok = true;
  std::map<size_t, const ShardDir*> by_index;
  std::map<std::string, const ShardDir*> owners;
  for (const ShardDir& s : shards) {
    size_t k = s.record.value("shard", size_t{0});
    if (auto [it, fresh] = by_index.emplace(k, &s); !fresh) {
      sink.Error({s.dir + "/" + kShardFile, 0, 0, 1}, it->second->Name() + " and " + s.Name() + " are the same shard",
                 {"give each shard's output once"});
      ok = false;
      continue;
    }
    for (const Json& name : s.record["built"]) {
      if (auto [it, fresh] = owners.emplace(Text(name), &s); !fresh) {
        sink.Error({s.dir + "/" + kShardFile, 0, 0, 1},
                   "variant " + Text(name) + " was built by both " + it->second->Name() + " and " + s.Name(),
                   {"merge the shards of one --shard K/N split"});
        ok = false;
      }
    }
  }
  for (const Json& v : shards.front().record["variants"]) {
    std::string name = Text(v["name"]);
    if (owners.count(name) != 0) continue;
    std::string k = std::to_string(v.value("shard", 0)) + "/" + std::to_string(shards.front().record.value("of", 0));
    sink.Error({}, "variant " + name + " is missing: shard " + k + " builds it, and no directory given is that shard",
               {"add the output of `wasmship build --all-devices --shard " + k + "`"});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return owners;
}

const Json* VariantIn(const Json& report, const std::string& name) {
  for (const Json& v : report["variants"]) {
    if (v.value("name", "") == name) return &v;
  }
  return nullptr;
}

// The files of one variant in a shard's directory, relative to it: the
// module, the bundle (checked against the report's hash), a delta, the
// symbol map.
std::optional<std::vector<std::string>> VariantFiles(const ShardDir& shard, const Json& v, DiagnosticSink& sink) {
  std::string name = v.value("name", "");
  std::vector<std::string> files = {v["/module/file"_json_pointer].get<std::string>()};
  for (const char* key : {"bundle", "delta"}) {
    if (!v.contains(key)) continue;
    std::string file = v[key]["file"];
    Result<std::string> bytes = ReadFile((fs::path(shard.dir) / file).string(), kModuleFile);
    std::string sha = bytes ? bundle::Sha256Hex({reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()}) : "";
    if (sha != v[key].value("sha256", "")) {
      sink.Error({shard.dir + "/" + file, 0, 0, 1},
                 bytes ? file + " in " + shard.Name() + " is not the bundle its report.json describes (sha256 differs)"
                       : bytes.error().message,
                 {"build the shard again"});
      return std::nullopt;
    }
    files.push_back(file);
  }
  fs::path symbols = wasm::SymbolMapPath(shard.dir, name);
  if (fs::exists(symbols)) files.push_back(fs::relative(symbols, shard.dir).string());
  return files;
}

// The report a single build of every variant would have written: the
// variants, their cache units and budget results in build order, timings
// and counts summed over the shards.
Json MergedReport(const Json& all_variants, const std::map<std::string, const ShardDir*>& owners) {
  const ShardDir* first = owners.at(all_variants.front()["name"]);
  Json merged = first->report;
  std::set<const ShardDir*> shards;
  for (const auto& [name, shard] : owners) shards.insert(shard);
  merged["variants"] = Json::array();
  merged["/cache/units"_json_pointer] = Json::array();
  bool budgets = merged.contains("budgets") && merged["budgets"].contains("results");
  if (budgets) merged["budgets"]["results"] = Json::array();
  for (const Json& v : all_variants) {
    const std::string name = v["name"];
    const Json& report = owners.at(name)->report;
    merged["variants"].push_back(*VariantIn(report, name));
    for (const Json& unit : report["/cache/units"_json_pointer]) {
      if (unit.value("variant", "") == name) merged["/cache/units"_json_pointer].push_back(unit);
    }
    if (!budgets) continue;
    for (const Json& result : report["/budgets/results"_json_pointer]) {
      if (result.value("variant", "") == name) merged["budgets"]["results"].push_back(result);
    }
  }
  bool linked = false;
  for (const ShardDir* s : shards) linked |= s->report["/module/linked"_json_pointer].get<bool>();
  merged["/module/linked"_json_pointer] = linked;
  for (const char* counter : {"hits", "misses", "corrupt"}) {
    uint64_t sum = 0;
    for (const ShardDir* s : shards) sum += s->report["cache"].value(counter, uint64_t{0});
    merged["cache"][counter] = sum;
  }
  for (auto& [key, value] : merged["timings_ms"].items()) {
    double sum = 0;
    for (const ShardDir* s : shards) sum += s->report["timings_ms"].value(key, 0.0);
    value = std::round(sum * 10) / 10;
  }
  return merged;
}

// A directory beside `out` removed on destruction unless released.
class TempDir {
 public:
  explicit TempDir(const fs::path& out) {
    std::string pattern = (out.parent_path() / ("." + out.filename().string() + ".merge-XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status WriteMerged(const std::string& dir, const Json& variants, const std::map<std::string, const ShardDir*>& owners,
                   const Json& report, DiagnosticSink& sink, bool& refused) {
  for (const Json& v : variants) {
    const ShardDir* shard = owners.at(v["name"]);
    const Json* entry = VariantIn(shard->report, v["name"]);
    std::optional<std::vector<std::string>> files = entry ? VariantFiles(*shard, *entry, sink) : std::nullopt;
    if (!files) {
      if (entry == nullptr) {
        sink.Error({shard->dir + "/report.json", 0, 0, 1},
                   shard->Name() + "'s report.json does not describe variant " + Text(v["name"]),
                   {"build the shard again"});
      }
      refused = true;
      return Error{"the shards' outputs are inconsistent"};
    }
    for (const std::string& file : *files) {
      std::error_code ec;
      fs::create_directories((fs::path(dir) / file).parent_path(), ec);
      fs::copy_file(fs::path(shard->dir) / file, fs::path(dir) / file, ec);
      if (ec) return Error{"cannot copy " + shard->dir + "/" + file + ": " + ec.message()};
    }
  }
  for (const auto& [name, text] : RenderReleaseOutputs(report)) {
    if (Status written = WriteFileAtomically((fs::path(dir) / name).string(), text); !written) return written;
  }
  return {};
}

// `staged` becomes `out` in one step; a previous `out` is swapped out and removed.
Status Replace(const std::string& staged, const fs::path& out) {
  if (!fs::exists(out)) {
    if (rename(staged.c_str(), out.c_str()) != 0) return Error{"cannot rename " + staged + " to " + out.string()};
    return {};
  }
  if (!fs::is_directory(out)) return Error{out.string() + " exists and is not a directory"};
  if (renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0) {
    return Error{"cannot replace " + out.string() + " with the merged output in " + staged};
  }
  return {};
}

}  // namespace

MergeStatus MergeShards(const std::vector<std::string>& dirs, const std::string& out, MergeSummary& summary,
                        DiagnosticSink& sink) {
  std::vector<ShardDir> shards;
  for (const std::string& dir : dirs) {
    if (std::optional<ShardDir> shard = LoadShard(dir, sink)) shards.push_back(std::move(*shard));
  }
  if (sink.HasErrors() || shards.empty() || !CheckCompatible(shards, sink)) return MergeStatus::kRefused;
  std::optional<std::map<std::string, const ShardDir*>> owners = Owners(shards, sink);
  if (!owners) return MergeStatus::kRefused;
  const Json& variants = shards.front().record["variants"];
  fs::path target = fs::absolute(out).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  TempDir temp(target);
  if (temp.path().empty()) {
    sink.Error({}, "cannot create a directory beside " + target.string(), {"check that its parent is writable"});
    return MergeStatus::kFailed;
  }
  Json report = variants.empty() ? Json() : MergedReport(variants, *owners);
  bool refused = false;
  Status written = variants.empty() ? Status{} : WriteMerged(temp.path(), variants, *owners, report, sink, refused);
  if (refused) return MergeStatus::kRefused;
  if (written) written = Replace(temp.path(), target);
  if (!written) {
    sink.Error({}, written.error().message, {"the previous " + target.string() + " is unchanged"});
    return MergeStatus::kFailed;
  }
  summary.shards = shards.size();
  summary.variants = variants.size();
  for (const Json& v : variants) summary.devices += v["devices"].size();
  return MergeStatus::kOk;
}

}  // namespace ws
