// After the optimizer: `wasmship __package` (compiler-driver/package.h)
// writes the variant's bundle, its delta against a baseline, the size
// analysis and the symbol map into the build directory; this job stages
// them to replace those in dist/ with the build's other outputs.
// It is skipped when the module and every bundle input are
// what the last run packaged (a stamp records them and the bundle's hash),
// so a no-op build recompresses nothing.
#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "compiler-driver/content_hash.h"
#include "compiler-driver/package.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// The module, its map and bundles: up to a bundle's format limit.
constexpr ReadLimit kBuildOutput{"build output", bundle::kMaxBundleBytes};

std::string RequestPath(const BuildPlan& plan) { return plan.build_dir + "/package-request.json"; }
std::string ResultPath(const BuildPlan& plan) { return plan.build_dir + "/package.json"; }
std::string StampPath(const BuildPlan& plan) { return plan.build_dir + "/package.stamp"; }

// The request names the shipped module's path (part of the bundle's key);
// the bundle step reads the one this build staged, when it made one.
PackageRequest RequestFor(const BuildState& s) {
  const BuildPlan& plan = s.plan;
  const PackageStep& p = plan.package;
  PackageRequest r;
  r.module = plan.module_path;
  r.link_map = plan.map_path;
  r.optimizer_symbols = plan.optimize.symbols;
  r.objects = p.objects;
  r.sources = p.sources;
  r.app_sources = p.app_sources;
  r.runtime_headers = p.runtime_headers;
  r.llvm_nm = p.llvm_nm;
  r.manifest.app = plan.app_name;
  r.manifest.version = plan.app_version;
  r.manifest.variant = plan.variant.name;
  r.manifest.features = plan.variant.features.Names();
  r.manifest.devices = plan.variant.devices;
  r.manifest.created = p.created;
  r.manifest.toolchain = p.toolchain;
  r.level = p.level;
  r.long_matching = p.long_matching;
  r.key = p.key;
  r.baseline_dir = p.baseline_dir;
  r.bundle_out = plan.build_dir + "/bundle.wsb";
  r.delta_out = plan.build_dir + "/delta.wsb";
  r.symbols_out = plan.build_dir + "/symbols-with-components.json";
  return r;
}

// Everything the bundle depends on. A baseline directory can change under
// the same path, so a build with one always packages again.
// Files the build writes are hashed through the file hasher, forgetting
// what it remembered earlier in this build: an untouched file is not read.
std::optional<std::string> HashOfWritten(BuildState& s, const std::string& path) {
  s.files.Forget(path);
  return s.files.Hash(path, kBuildOutput);
}

std::optional<std::string> ModuleHash(BuildState& s) {
  return s.link.module_hash.empty() ? HashOfWritten(s, s.plan.module_path) : s.link.module_hash;
}

std::optional<std::string> PackageKey(BuildState& s) {
  std::optional<std::string> module = ModuleHash(s);
  if (!module) return std::nullopt;
  Hasher hasher;
  hasher.Add("package-v1").Add(s.self_id).Add(*module);
  hasher.Add(PackageRequestToJson(RequestFor(s)).dump());
  if (std::optional<std::string> map = HashOfWritten(s, s.plan.map_path)) hasher.Add(*map);
  return hasher.Finish();
}

bool Accept(BuildState& s, double ms);

// A text file the build wrote, by its portable content (nullopt: unreadable).
std::optional<std::string> PortableDigest(const BuildState& s, const std::string& path) {
  Result<std::string> text = ReadFile(path, kBuildOutput);
  if (!text) return std::nullopt;
  return ContentDigest(PortableText(s, std::move(*text)));
}

// The bundle step as an action: the request without its paths (the
// signing key by its id: the secret never enters the cache) and the content
// of everything the step reads. A delta against a baseline directory is not
// cached (the directory can change under the same path).
std::optional<std::string> BundleActionKey(BuildState& s, const std::string& module) {
  if (!s.plan.package.baseline_dir.empty()) return std::nullopt;
  PackageRequest r = RequestFor(s);
  r.module = r.link_map = r.optimizer_symbols = r.bundle_out = r.delta_out = r.symbols_out = "";
  r.key.file = "";
  ActionKey key("bundle-v1");
  key.Add(s.self_id).Add(module).Add(PortableText(s, PackageRequestToJson(r).dump()));
  for (const std::string& path : {s.plan.map_path, s.plan.optimize.symbols}) {
    std::optional<std::string> digest = PortableDigest(s, path);
    if (!digest) return std::nullopt;
    key.Add(*digest);
  }
  for (const UnitState& unit : s.units) key.Add(unit.object_hash);
  for (const std::string& source : r.app_sources) key.Add(s.files.Hash(source).value_or("unreadable"));
  for (const auto& [header, shown] : r.runtime_headers) key.Add(s.files.Hash(header).value_or("unreadable"));
  return key.Finish();
}

std::vector<StepOutput> BundleOutputs(const BuildState& s) {
  return {{"bundle", s.plan.build_dir + "/bundle.wsb", false},
          {"symbols", s.plan.build_dir + "/symbols-with-components.json", true},
          {"result", ResultPath(s.plan), true}};
}

bool UpToDate(BuildState& s, const std::string& key) {
  if (!s.plan.package.baseline_dir.empty()) return false;
  Result<std::string> stamp = ReadFile(StampPath(s.plan), kStateFile);
  std::optional<std::string> bundle = HashOfWritten(s, s.plan.package.bundle_path);
  if (!stamp || !bundle || *stamp != key + "\n" + *bundle + "\n") return false;
  Result<std::string> result = ReadFile(ResultPath(s.plan), kStateFile);
  if (!result) return false;
  s.link.package_report = *result;
  return true;
}

JobAction Prepare(BuildState& s) {
  std::optional<std::string> key = PackageKey(s);
  if (!key) {
    s.sink.Error({}, "cannot read " + s.plan.module_path);
    return JobAction::Failed();
  }
  s.link.package_key = *key;
  if (UpToDate(s, s.link.package_key)) return JobAction::Done();
  s.link.bundle_action = BundleActionKey(s, *ModuleHash(s)).value_or("");
  if (!s.link.bundle_action.empty() &&
      RestoreStep(s, StepKind::kBundle, s.link.bundle_action, BundleOutputs(s),
                  "bundle " + fs::path(s.plan.package.bundle_path).filename().string())) {
    return Accept(s, 0) ? JobAction::Done() : JobAction::Failed();
  }
  PackageRequest request = RequestFor(s);
  if (!s.link.module_file.empty()) request.module = s.link.module_file;
  if (Status written = WriteFileAtomically(RequestPath(s.plan), PackageRequestToJson(request).dump(1)); !written) {
    s.sink.Error({}, written.error().message);
    return JobAction::Failed();
  }
  return JobAction::Run({s.plan.self, "__package", "--request", RequestPath(s.plan), "--result", ResultPath(s.plan)},
                        s.plan.root);
}

// Into the build's outputs; returns the content hash.
std::optional<std::string> Stage(BuildState& s, const std::string& from, const std::string& to) {
  Result<std::string> bytes = ReadFile(from, kBuildOutput);
  Result<std::string> staged =
      bytes ? s.outputs.Stage(to, *bytes) : Result<std::string>(Error{bytes.error().message});
  if (!staged) {
    s.sink.Error({}, staged.error().message);
    return std::nullopt;
  }
  return HashBytes(*bytes);
}

// The bundle step's outputs (run now or from the cache), staged.
bool Accept(BuildState& s, double ms) {
  s.link.package_ms = ms;
  Result<std::string> text = ReadFile(ResultPath(s.plan), kStateFile);
  nlohmann::json parsed = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
  if (!parsed.is_object()) {
    s.sink.Error({}, "the bundle step reported success but wrote no result");
    return false;
  }
  PackageRequest r = RequestFor(s);
  if (!Stage(s, r.symbols_out, s.plan.symbols_path)) return false;
  std::optional<std::string> hash = Stage(s, r.bundle_out, s.plan.package.bundle_path);
  if (!hash) return false;
  if (parsed.contains("delta")) {
    std::string name = parsed["delta"]["name"];
    if (!Stage(s, r.delta_out, (fs::path(s.plan.package.bundle_path).parent_path() / name).string())) return false;
  }
  for (const auto& warning : parsed["warnings"]) s.observer.Message("warning: " + warning.get<std::string>());
  s.link.package_report = *text;
  // Checked against the bundle in the output directory, like the module's.
  (void)WriteFileAtomically(StampPath(s.plan), s.link.package_key + "\n" + *hash + "\n");
  return true;
}

bool Finish(BuildState& s, const ProcessResult& result) {
  if (!s.link.bundle_action.empty()) KeepStep(s, s.link.bundle_action, BundleOutputs(s));
  return Accept(s, result.wall_ms);
}

}  // namespace

Job MakePackageJob(BuildState& state, size_t optimize_job) {
  Job job;
  job.description = "bundle " + fs::path(state.plan.package.bundle_path).filename().string();
  job.deps = {optimize_job};
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult& result) { return Finish(state, result); };
  return job;
}

}  // namespace ws
