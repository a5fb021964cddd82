#include "compiler-driver/build_plan.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "compiler-driver/content_hash.h"
#include "compiler-driver/glob.h"
#include "macro-expander/compose_blocks.h"
#include "platform/atomic_file.h"
#include "platform/interrupt.h"
#include "platform/subprocess.h"
#include "host-abi/host_abi.h"
#include "wasm-binary/symbol_map.h"
#include "wasm-binary/wasm_features.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kCxxExtensions = {".cpp", ".cc", ".cxx", ".c++"};
// The wasm shadow stack; wasm-ld's default (64 KiB) is tight for deep UI trees.
constexpr int kStackBytes = 256 * 1024;
// Pre-initialization's screen: what `run` and `dev` default to
// (device-host/device_host.h's RunOptions).
constexpr int kPreinitWidth = 1280;
constexpr int kPreinitHeight = 720;

std::string LtoLevel(const std::string& opt) {
  if (opt == "O0" || opt == "O1" || opt == "O3") return opt.substr(1);
  return "2";  // O2, Os, Oz: size attributes travel in the bitcode
}

std::vector<std::string> ExpandSources(const Manifest& manifest, DiagnosticSink& sink) {
  std::vector<std::string> sources;
  std::set<std::string> seen;
  for (const SourcePattern& pattern : manifest.sources) {
    std::vector<std::string> matches = ExpandGlob(manifest.root, pattern.pattern);
    if (InterruptRequested()) return {};  // the walk stopped early: its matches mean nothing
    if (matches.empty()) {
      sink.Error(pattern.span, "'" + pattern.pattern + "' matches no files",
                 {"source globs are relative to the directory of wasmship.yaml"});
    }
    for (std::string& match : matches) {
      std::string ext = fs::path(match).extension().string();
      if (ext != ".c" && !kCxxExtensions.count(ext)) {
        sink.Error(pattern.span, "'" + pattern.pattern + "' matches '" + match +
                                     "', which is not a C or C++ source",
                   {"sources are .cpp, .cc, .cxx or .c files; headers are found through `include`"});
        continue;
      }
      if (seen.insert(match).second) sources.push_back(std::move(match));
    }
  }
  return sources;
}

std::vector<std::string> CompileCommand(const Toolchain& t, const Manifest& m, const Profile& p,
                                        const FeatureSet& features, const std::string& source) {
  bool is_c = fs::path(source).extension() == ".c";
  std::vector<std::string> cmd = {t.clang, "--target=wasm32-wasi", "--sysroot=" + t.sysroot};
  std::vector<std::string> feature_flags = FeatureFlags(features);
  cmd.insert(cmd.end(), feature_flags.begin(), feature_flags.end());
  // libc's errno is a plain global that its headers declare thread-local;
  // with atomics on, that declaration cannot link (runtime/compat/threads_errno.h).
  if (features.threads) cmd.insert(cmd.end(), {"-include", t.runtime_dir + "/compat/threads_errno.h"});
  if (is_c) {
    cmd.insert(cmd.end(), {"-x", "c", "-std=c17"});
  } else {
    cmd.insert(cmd.end(), {"-std=c++20", "-fno-exceptions", "-fno-rtti"});
  }
  cmd.push_back("-" + p.opt);
  if (p.lto) cmd.push_back("-flto");
  // The runtime, the PCH and the app must agree on it (ValueBox's layout
  // depends on it); a profile without it compiles exactly as before.
  if (p.hot_reload) cmd.push_back("-DWS_HOT_RELOAD=1");
  if (p.preinit) cmd.push_back("-DWS_PREINIT=1");
  if (p.trace) cmd.push_back("-DWS_TRACE=1");  // the trace hooks (docs/trace.md)  // ws_preinit and what it needs (docs/preinit.md)
  for (const std::string& dir : m.include_dirs) cmd.push_back("-I" + dir);
  cmd.insert(cmd.end(), p.cflags.begin(), p.cflags.end());
  return cmd;
}

std::vector<std::string> LinkFlags(const Toolchain& t, const Profile& p, const Variant& v) {
  // Every app is a reactor: the host calls _initialize, then the ws_* exports.
  // --strip-debug: the DWARF in Debian's prebuilt libc and libc++ is dropped
  // by the optimizer anyway (docs/optimizer.md); linking it took a quarter
  // of a debug link.
  std::vector<std::string> flags = {"--entry", "_initialize", "-z", "stack-size=" + std::to_string(kStackBytes),
                                    "--strip-debug", "-lc++", "-lc++abi", "-lc", t.builtins};
  if (p.lto) flags.push_back("--lto-O" + LtoLevel(p.opt));
  if (v.max_memory > 0) flags.push_back("--max-memory=" + std::to_string(v.max_memory));
  if (v.features.threads) {
    // Debian's wasi-libc has no threads build: memory is shared and imported,
    // feature checks are off (libc is not atomics-ready), and the runtime
    // serializes the allocator itself (runtime/src/thread_safe_alloc.cc).
    flags.insert(flags.end(), {"--shared-memory", "--import-memory", "--export-memory", "--no-check-features"});
    for (const char* fn : {"malloc", "free", "calloc", "realloc", "aligned_alloc", "posix_memalign"}) {
      flags.push_back(std::string("--wrap=") + fn);
    }
  }
  flags.insert(flags.end(), p.ldflags.begin(), p.ldflags.end());
  return flags;
}

int StripLogsBelow(const std::string& level) {
  if (level == "info") return 1;
  if (level == "warning") return 2;
  if (level == "error") return 3;
  return -1;  // debug: keep every call
}

// wasm-ld's default layout puts data at 1024 and the stack after it, so the
// low 1 KiB is never addressed; a profile's ldflags may move either there.
bool KeepsLowMemoryFree(const std::vector<std::string>& ldflags) {
  return std::none_of(ldflags.begin(), ldflags.end(), [](const std::string& flag) {
    return flag.find("stack-first") != std::string::npos || flag.find("global-base") != std::string::npos;
  });
}

opt::Pipeline PipelineFor(const Variant& v) {
  if (v.pipeline == "speed") return opt::Pipeline::kSpeed;
  return v.pipeline == "size" ? opt::Pipeline::kSize : opt::Pipeline::kDebug;
}

// The smallest absolute limit of `rule` over the variant's devices (a
// device's own rule replaces the default one); 0 when none has one.
int SmallestLimit(const Manifest& m, const Variant& v, std::optional<SizeLimit> Budget::*rule) {
  uint64_t smallest = 0;
  for (const std::string& device : v.devices) {
    auto own = m.budgets.find(device);
    auto fallback = m.budgets.find("default");
    const std::optional<SizeLimit>* limit = nullptr;
    if (own != m.budgets.end() && own->second.*rule) {
      limit = &(own->second.*rule);
    } else if (fallback != m.budgets.end()) {
      limit = &(fallback->second.*rule);
    }
    if (limit == nullptr || !*limit || (*limit)->percent || (*limit)->bytes == 0) continue;
    if (smallest == 0 || (*limit)->bytes < smallest) smallest = (*limit)->bytes;
  }
  return static_cast<int>(std::min<uint64_t>(smallest, INT32_MAX));
}

// Everything the optimizer takes from the profile and the variant: the
// request's serialization is the link's cache key (link_job.cc).
opt::OptimizeRequest OptimizeRequestFor(const BuildPlan& plan, const Manifest& m, const Profile& p,
                                        const Variant& v) {
  opt::OptimizeRequest r;
  r.input = plan.linked_path;
  r.output = plan.optimized_path + ".tmp";
  r.report = plan.build_dir + "/optimizer.json";
  r.symbols = plan.build_dir + "/symbols.json";
  r.variant = v.name;
  r.options.pipeline = PipelineFor(v);
  r.options.features = v.features;
  r.options.strip_logs_below = StripLogsBelow(p.log_level);
  r.options.strip = p.strip;
  r.options.low_memory_unused = KeepsLowMemoryFree(p.ldflags);
  r.options.linker_output = true;  // the link step's output, never a user's file
  if (p.preinit) {
    // The size `run` and `dev` default to: a device of another size builds
    // its UI in ws_init (docs/preinit.md).
    r.options.preinit_width = kPreinitWidth;
    r.options.preinit_height = kPreinitHeight;
  } else {
    std::erase(r.options.keep_exports, std::string(host_abi::kExportPreinit.name));
  }
  // auto's speed pipeline gives way to size over the devices' budgets (a
  // property of the configuration: --no-budget does not change the module).
  if (v.auto_speed && p.budget) {
    r.options.speed_max_wasm = SmallestLimit(m, v, &Budget::wasm);
    r.options.speed_max_bundle = SmallestLimit(m, v, &Budget::bundle);
    if (r.options.speed_max_bundle > 0) {
      r.options.zstd_level = p.zstd_level;
      r.options.zstd_long = p.zstd_long;
    }
  }
  return r;
}

// `preinit_fetch:` (docs/preinit.md): the listed assets become inputs of
// the optimize step, which answers start-up's fetches of them; their names
// and contents are part of its cache key, so an edit redoes the snapshot.
void PlanPreinitFetch(const Manifest& m, const Profile& p, opt::OptimizeRequest& r, DiagnosticSink& sink) {
  fs::path assets = fs::absolute(fs::path(m.root) / m.assets_dir).lexically_normal();
  std::set<std::string> listed;
  for (const SourcePattern& pattern : p.preinit_fetch) {
    std::vector<std::string> matches = ExpandGlob(assets.string(), pattern.pattern);
    if (InterruptRequested()) return;
    if (matches.empty()) {
      sink.Error(pattern.span, "preinit_fetch: '" + pattern.pattern + "' matches no file in the assets directory (" +
                                   m.assets_dir + ")",
                 {"list the files as the app fetches them, relative to `assets:`; or remove the entry"});
    }
    for (std::string& match : matches) {
      if (fs::path(match).extension() == ".png") {
        sink.Error(pattern.span, "preinit_fetch: '" + pattern.pattern + "' matches the image '" + match + "'",
                   {"images are decoded by the device's host and cannot be answered at build time; leave them out"});
        continue;
      }
      listed.insert(std::move(match));
    }
  }
  Hasher hasher;
  for (const std::string& path : listed) {
    Result<std::string> bytes = ReadFile((assets / path).string(), kSourceFile);
    if (!bytes) {
      sink.Error({m.path, 0, 0, 1}, "preinit_fetch: " + bytes.error().message);
      continue;
    }
    hasher.Add(path).Add(*bytes);
  }
  r.assets = assets.string();
  r.options.preinit_fetch.assign(listed.begin(), listed.end());
  r.options.preinit_fetch_digest = hasher.Finish();
}

std::optional<std::vector<std::string>> Launcher(const Manifest& manifest, DiagnosticSink& sink) {
  const char* env = std::getenv("WASMSHIP_COMPILER_LAUNCHER");
  std::string name = env != nullptr && *env != '\0' ? env : manifest.launcher;
  if (name.empty()) return std::vector<std::string>{};
  std::optional<std::string> path = FindExecutable(name);
  if (!path) {
    std::string origin = env != nullptr && *env != '\0' ? "WASMSHIP_COMPILER_LAUNCHER" : "build.launcher";
    sink.Error({}, "compiler launcher '" + name + "' (from " + origin + ") was not found",
               {"install it (for example: sudo apt-get install " + fs::path(name).filename().string() +
                    ") or remove the setting"});
    return std::nullopt;
  }
  return std::vector<std::string>{*path};
}

// distcc preprocesses locally and compiles the text on a server
// (docs/build.md, "Distributed compiles").
bool IsDistcc(const std::string& launcher) { return fs::path(launcher).filename() == "distcc"; }

// Objects and expansions mirror their sources under the build directory;
// ".." segments (sources beside the project) are renamed so that they stay
// inside it.
std::string MirrorPath(const std::string& dir, const std::string& source) {
  std::string path;
  for (const auto& part : fs::path(source)) {
    if (!path.empty()) path += "/";
    path += part == ".." ? std::string("__") : part.string();
  }
  return dir + path;
}

std::vector<std::string> PchFlags(const PchStep& pch) {
  return {"-include-pch", pch.output, "-fpch-validate-input-files-content"};
}

PchStep PchFor(const Toolchain& t, const Manifest& m, const Profile& p, const FeatureSet& features,
               const std::string& build_dir) {
  PchStep pch;
  pch.header = t.runtime_dir + "/include/wasmship/ui.hpp";
  pch.output = build_dir + "pch/ui.hpp.pch";
  pch.command = CompileCommand(t, m, p, features, "ui.cpp");
  pch.command.insert(pch.command.end(), {"-I" + t.runtime_dir + "/include", "-fpch-validate-input-files-content",
                                         "-x", "c++-header", pch.header});
  return pch;
}

// An app source. C++ sources use the runtime's PCH; those with compose
// blocks compile their expansion, with their own directory for "" includes.
CompileUnit AppUnit(const BuildPlan& plan, const Manifest& m, const Profile& p, const std::string& build_dir,
                    const std::string& source) {
  const Toolchain& t = plan.toolchain;
  CompileUnit unit{source, source, MirrorPath(build_dir + "obj/", source) + ".o",
                   CompileCommand(t, m, p, plan.variant.features, source), "", {}, "", false};
  unit.command.push_back("-I" + t.runtime_dir + "/include");
  if (fs::path(source).extension() == ".c") return unit;
  std::vector<std::string> pch = PchFlags(plan.pch);
  Result<std::string> text = ReadFile((fs::path(plan.root) / source).string());
  if (text && HasComposeBlock(*text)) {
    unit.original = source;
    unit.source = MirrorPath(build_dir + "expanded/", source);
    unit.expand_args.assign(unit.command.begin() + 1, unit.command.end());
    unit.expand_args.insert(unit.expand_args.end(), pch.begin(), pch.end());
    unit.expand_args.push_back("-resource-dir=" + t.resource_dir);
    std::string dir = fs::path(source).parent_path().string();
    unit.command.push_back("-iquote" + (dir.empty() ? std::string(".") : dir));
  }
  unit.command.insert(unit.command.end(), pch.begin(), pch.end());
  // LTO would fold a table back into the code anyway; what it buys is a
  // literal edit that recompiles a few lines, which only iteration needs.
  if (!unit.original.empty() && !p.lto) unit.literals = unit.source + ".literals.cpp";
  return unit;
}

// The unit that compiles `dsl`'s literal table: a few arrays, no headers.
CompileUnit LiteralsUnit(const BuildPlan& plan, const Manifest& m, const Profile& p, const CompileUnit& dsl) {
  return {dsl.literals, dsl.display + " (literals)", dsl.object + ".literals.o",
          CompileCommand(plan.toolchain, m, p, plan.variant.features, dsl.literals), "", {}, "", true};
}

// The runtime engine is compiled from source with the app's profile (so LTO
// and the variant's features reach it) and cached like any other unit.
void AddRuntimeUnits(const Manifest& manifest, const Profile& profile, BuildPlan& plan) {
  const std::string& dir = plan.toolchain.runtime_dir;
  std::vector<std::string> sources = ExpandGlob(dir, "src/*.cc");
  for (const std::string& source : sources) {
    if (source.size() > 8 && source.compare(source.size() - 8, 8, "_test.cc") == 0) continue;
    std::vector<std::string> command = CompileCommand(plan.toolchain, manifest, profile, plan.variant.features, source);
    // "-I<dir>/..": the runtime includes host-abi/host_abi.h from beside it.
    // -fno-rtti again: a profile's `-frtti` is for the app's code.
    command.insert(command.end(), {"-fno-rtti", "-I" + dir + "/include", "-I" + dir, "-I" + dir + "/.."});
    plan.units.push_back({dir + "/" + source, std::string(kRuntimeDisplayPrefix) + source,
                          ".wasmship/build/" + plan.variant.name + "/runtime/" + source + ".o", std::move(command), "",
                          {}, "", false});
  }
}

// Link inputs the build knows: the runtime's objects and the app's.
std::map<std::string, std::string> ObjectComponents(const BuildPlan& plan) {
  std::map<std::string, std::string> objects;
  for (const CompileUnit& unit : plan.units) {
    objects[unit.object] = IsRuntimeUnit(unit) ? "runtime" : "app";
  }
  return objects;
}

PackageStep PackageFor(const BuildPlan& plan, const Profile& profile, const BuildOptions& options,
                       const std::string& out) {
  PackageStep p;
  std::string file = plan.app_name + "-" + plan.app_version + "-" + plan.variant.name + ".wsb";
  p.bundle_path = (fs::path(out) / "bundles" / file).lexically_normal().string();
  p.baseline_dir = options.baseline_bundle_dir;
  p.level = profile.zstd_level;
  p.long_matching = profile.zstd_long;
  p.toolchain = "wasmship " + options.tool_version + " (clang 19, wasm-ld 19, binaryen 108)";
  p.created = options.created;
  p.objects = ObjectComponents(plan);
  for (const CompileUnit& unit : plan.units) {
    p.sources.emplace_back(unit.object, unit.display);
    if (IsRuntimeUnit(unit) || unit.literals_of_previous) continue;
    std::string source = unit.original.empty() ? unit.source : unit.original;
    p.app_sources.push_back((fs::path(plan.root) / source).lexically_normal().string());
  }
  // Only an LTO link map leaves app and runtime functions without their
  // object; without LTO it names them, and llvm-nm would cost every
  // iteration build ~150 ms for little.
  if (profile.lto) p.llvm_nm = plan.toolchain.llvm_nm;
  const std::string& runtime = plan.toolchain.runtime_dir;
  for (const char* glob : {"include/wasmship/*.hpp", "src/*.h"}) {
    for (const std::string& header : ExpandGlob(runtime, glob)) {
      p.runtime_headers.emplace_back(runtime + "/" + header, std::string(kRuntimeDisplayPrefix) + header);
    }
  }
  return p;
}

}  // namespace

bool IsRuntimeUnit(const CompileUnit& unit) { return unit.display.rfind(kRuntimeDisplayPrefix, 0) == 0; }

std::string StateDirFor(const Manifest& manifest) {
  return (fs::absolute(manifest.root) / ".wasmship").lexically_normal().string();
}

std::string OutputDirFor(const std::string& root, const std::string& profile) {
  fs::path dist = fs::path(root) / "dist";
  return (profile == "release" ? dist : dist / profile).lexically_normal().string();
}

std::vector<std::string> FeatureFlags(const FeatureSet& f) {
  std::vector<std::string> flags = {"-mcpu=mvp"};
  // The defaults' flags first: the order is part of every compile command,
  // hence of cache keys.
  for (bool on_by_default : {true, false}) {
    for (const wasm::WasmFeatureInfo& info : wasm::kWasmFeatureTable) {
      if (info.on_by_default == on_by_default && f.*info.field) flags.emplace_back(info.clang_flag);
    }
  }
  return flags;
}

std::optional<BuildPlan> PlanBuild(const Manifest& manifest, const Profile& profile, const Variant& variant,
                                   const BuildOptions& options, DiagnosticSink& sink) {
  BuildPlan plan;
  plan.variant = variant;
  plan.app_name = manifest.app_name;
  plan.app_version = manifest.app_version;
  plan.root = fs::absolute(manifest.root).lexically_normal().string();
  if (plan.root.size() > 1 && plan.root.back() == '/') plan.root.pop_back();
  plan.state_dir = StateDirFor(manifest);
  plan.build_dir = plan.state_dir + "/build/" + variant.name;
  Result<CacheSettings> cache = ResolveCacheSettings(manifest.cache);
  if (!cache) {
    sink.Error({}, cache.error().message);
    return std::nullopt;
  }
  plan.cache = *cache;
  plan.cache_dir = cache->dir;
  if (options.out_dir.empty() && (profile.name == "bundles" || profile.name == "symbols")) {
    sink.Error({manifest.path, 0, 0, 1}, "profile '" + profile.name + "' would write its outputs to dist/" +
                                             profile.name + "/, where the release's " + profile.name + " go",
               {"rename the profile, or give its builds an output directory with --out"});
    return std::nullopt;
  }
  fs::path out = options.out_dir.empty() ? fs::path(OutputDirFor(plan.root, profile.name))
                                         : fs::absolute(options.out_dir);
  std::string module_name = manifest.app_name + "-" + variant.name + ".wasm";
  plan.module_path = (out / module_name).lexically_normal().string();
  plan.symbols_path = wasm::SymbolMapPath(out, variant.name).lexically_normal().string();
  plan.linked_path = plan.build_dir + "/" + manifest.app_name + ".linked.wasm";
  plan.optimized_path = plan.build_dir + "/" + module_name;
  plan.map_path = plan.build_dir + "/" + manifest.app_name + ".map";
  plan.optimize = OptimizeRequestFor(plan, manifest, profile, variant);
  if (profile.preinit && !profile.preinit_fetch.empty()) PlanPreinitFetch(manifest, profile, plan.optimize, sink);

  std::vector<std::string> sources = ExpandSources(manifest, sink);
  if (InterruptRequested()) return std::nullopt;
  std::optional<std::vector<std::string>> launcher = Launcher(manifest, sink);
  std::optional<Toolchain> toolchain = FindToolchain(plan.state_dir, sink);
  if (sink.HasErrors()) return std::nullopt;
  plan.launcher = *launcher;
  if (!plan.launcher.empty() && IsDistcc(plan.launcher.front())) plan.launcher_flags = {"-Qunused-arguments"};
  plan.toolchain = *toolchain;
  plan.self = options.self;
  plan.expander = ExpanderBeside(options.self);
  std::string build_dir = ".wasmship/build/" + variant.name + "/";
  plan.pch = PchFor(plan.toolchain, manifest, profile, variant.features, build_dir);
  for (const std::string& source : sources) {
    plan.units.push_back(AppUnit(plan, manifest, profile, build_dir, source));
    if (!plan.units.back().literals.empty()) plan.units.push_back(LiteralsUnit(plan, manifest, profile, plan.units.back()));
  }
  AddRuntimeUnits(manifest, profile, plan);
  plan.link_flags = LinkFlags(plan.toolchain, profile, variant);
  plan.package = PackageFor(plan, profile, options, out.string());
  return plan;
}

}  // namespace ws
