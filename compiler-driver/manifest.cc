#include "compiler-driver/manifest.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "compiler-driver/glob.h"
#include "config-yaml/yaml_file.h"
#include "diagnostics/suggest.h"
#include "platform/step_timeout.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"app",     "sources", "include", "devices", "profiles",
                                           "budgets", "signing", "assets",  "build", "perf_script",
                                           "cache"};
const std::vector<std::string> kAppKeys = {"name", "version"};
const std::vector<std::string> kProfileKeys = {"opt",      "lto",       "strip",     "budget", "cflags",
                                               "ldflags",  "optimize",  "aot_speed", "log_level",
                                               "zstd_level", "zstd_long", "hot_reload", "preinit", "strict",
                                               "trace", "preinit_fetch"};
const std::vector<std::string> kPipelines = {"none", "size", "speed", "auto"};
const std::vector<std::string> kLogLevels = {"debug", "info", "warning", "error"};
const std::vector<std::string> kOptLevels = {"O0", "O1", "O2", "O3", "Os", "Oz"};
const std::vector<std::string> kBudgetKeys = {"bundle",        "wasm",          "growth",
                                              "components",    "frame_traps",   "startup_instructions",
                                              "frame_instructions_p99", "input_instructions_p99",
                                              "startup_ms",    "frame_ms_p99",  "input_ms_p99"};
constexpr int64_t kMaxInstructions = int64_t{1} << 50;
constexpr double kMaxMs = 3'600'000;
const std::vector<std::string> kComponents = {"runtime", "app", "libc++", "libc", "compiler-rt", "data", "module"};
const std::vector<std::string> kSigningKeys = {"key"};
const std::vector<std::string> kBuildKeys = {"launcher", "step_timeout"};
const std::vector<std::string> kCacheKeys = {"dir", "max_size", "remote", "remote_read_only"};

// release ships: link-time optimized, stripped, budgeted; the pipeline by
// the device's engine (speed for interp, size for aot: variant_plan.h).
Profile DefaultProfile(const std::string& name, const std::string& opt, bool ships) {
  Profile profile;
  profile.name = name;
  profile.opt = opt;
  profile.lto = profile.strip = profile.budget = ships;
  profile.optimize = ships ? "auto" : "none";
  profile.log_level = ships ? "info" : "debug";
  profile.zstd_level = ships ? 19 : 3;
  profile.zstd_long = ships;
  profile.hot_reload = !ships;
  profile.trace = !ships;
  return profile;
}

class ManifestParser {
 public:
  ManifestParser(const YamlFile& file, DiagnosticSink& sink) : file_(file), r_(file, sink) {}

  std::optional<Manifest> Parse() {
    const YAML::Node& root = file_.root();
    m_.path = file_.path();
    m_.root = fs::path(file_.path()).parent_path().string();
    if (m_.root.empty()) m_.root = ".";
    m_.profiles["debug"] = DefaultProfile("debug", "O1", false);
    m_.profiles["release"] = DefaultProfile("release", "Oz", true);
    if (!root.IsMap()) {
      r_.Error(root, "wasmship.yaml must be a mapping with at least 'app' and 'sources'",
               {"run `wasmship new DIR` to see a complete manifest"});
      return std::nullopt;
    }
    r_.CheckKeys(root, "wasmship.yaml", kTopKeys);
    App(root["app"]);
    Sources(root["sources"]);
    if (root["include"]) Includes(root["include"]);
    if (root["devices"]) m_.devices_file = ExistingPath(root["devices"], "devices", false);
    if (root["assets"]) m_.assets_dir = ExistingPath(root["assets"], "assets", true);
    if (root["profiles"]) Profiles(root["profiles"]);
    if (root["perf_script"]) {
      m_.perf_script = ExistingPath(root["perf_script"], "perf_script", false);
      m_.perf_script_span = file_.SpanOf(root["perf_script"]);
    }
    if (root["budgets"]) Budgets(root["budgets"]);
    if (root["signing"]) Signing(root["signing"]);
    if (root["build"]) Build(root["build"]);
    if (root["cache"]) Cache(root["cache"]);
    if (r_.sink().HasErrors()) return std::nullopt;
    return std::move(m_);
  }

 private:
  void Missing(const char* key, const char* example) {
    r_.sink().Error({file_.path(), 0, 0, 1}, std::string("missing required key '") + key + "'",
                    {std::string("add for example: ") + example});
  }

  void App(const YAML::Node& node) {
    if (!node) return Missing("app", "app: { name: myapp, version: 0.1.0 }");
    r_.CheckKeys(node, "app", kAppKeys);
    if (!node.IsMap()) return;
    static const std::regex kName("[a-z0-9][a-z0-9_-]*");
    static const std::regex kVersion("[0-9A-Za-z][0-9A-Za-z.+-]*");
    if (!node["name"]) r_.Error(node, "app.name is missing");
    if (!node["version"]) r_.Error(node, "app.version is missing");
    if (node["name"]) {
      auto name = r_.String(node["name"], "app.name");
      if (name && !std::regex_match(*name, kName)) {
        r_.Error(node["name"], "app.name '" + *name + "' must use a-z, 0-9, '-' and '_' only",
                 {"it becomes part of output file names"});
      } else if (name) {
        m_.app_name = *name;
      }
    }
    if (node["version"]) {
      auto version = r_.String(node["version"], "app.version");
      if (version && !std::regex_match(*version, kVersion)) {
        r_.Error(node["version"], "app.version '" + *version + "' is not a version like 1.4.0");
      } else if (version) {
        m_.app_version = *version;
      }
    }
  }

  void Sources(const YAML::Node& node) {
    if (!node) return Missing("sources", "sources: [src/*.cpp]");
    auto list = r_.StringList(node, "sources");
    if (!list) return;
    if (list->empty()) r_.Error(node, "sources is empty", {"list globs such as src/*.cpp"});
    size_t i = 0;
    for (const std::string& pattern : *list) {
      const YAML::Node& item = node.IsSequence() ? node[i] : node;
      if (!pattern.empty() && pattern[0] == '/') {
        r_.Error(item, "source glob '" + pattern + "' must be relative to the project directory");
      } else if (GlobLeavesRoot(pattern)) {
        r_.Error(item, "source glob '" + pattern + "' leaves the project directory",
                 {"sources must be inside the directory of wasmship.yaml; copy the files into the project"});
      }
      m_.sources.push_back({pattern, file_.SpanOf(item)});
      ++i;
    }
  }

  void Includes(const YAML::Node& node) {
    auto list = r_.StringList(node, "include");
    if (!list) return;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& item = node.IsSequence() ? node[i] : node;
      if (!fs::is_directory(fs::path(m_.root) / (*list)[i])) {
        r_.Error(item, "include directory '" + (*list)[i] + "' does not exist",
                 {"paths are relative to the directory of wasmship.yaml"});
      }
      m_.include_dirs.push_back((*list)[i]);
    }
  }

  std::string ExistingPath(const YAML::Node& node, const char* what, bool directory) {
    auto path = r_.String(node, what);
    if (!path) return "";
    fs::path full = fs::path(m_.root) / *path;
    bool exists = directory ? fs::is_directory(full) : fs::is_regular_file(full);
    if (!exists) {
      r_.Error(node, std::string(what) + ": '" + *path + "' does not exist",
               {"paths are relative to the directory of wasmship.yaml"});
    }
    return *path;
  }

  void Profiles(const YAML::Node& node) {
    if (!r_.IsMapping(node, "profiles")) return;
    static const std::regex kProfileName("[a-z0-9][a-z0-9_-]*");
    for (const auto& entry : node) {
      std::string name = entry.first.Scalar();
      if (!std::regex_match(name, kProfileName)) {
        r_.Error(entry.first, "profile name '" + name + "' must use a-z, 0-9, '-' and '_' only",
                 {"it becomes part of variant and bundle file names"});
        continue;
      }
      Profile& p = m_.profiles[name];
      p.name = name;
      ProfileFields(entry.second, "profiles." + name, p);
    }
  }

  void ProfileFields(const YAML::Node& node, const std::string& what, Profile& p) {
    r_.CheckKeys(node, what, kProfileKeys);
    if (!node.IsMap()) return;
    if (node["opt"]) {
      if (auto opt = r_.Choice(node["opt"], what + ".opt", kOptLevels)) p.opt = *opt;
    }
    if (node["lto"]) p.lto = r_.Bool(node["lto"], what + ".lto").value_or(p.lto);
    if (node["strip"]) p.strip = r_.Bool(node["strip"], what + ".strip").value_or(p.strip);
    if (node["budget"]) p.budget = r_.Bool(node["budget"], what + ".budget").value_or(p.budget);
    if (node["cflags"]) p.cflags = r_.StringList(node["cflags"], what + ".cflags").value_or(p.cflags);
    if (node["ldflags"]) p.ldflags = r_.StringList(node["ldflags"], what + ".ldflags").value_or(p.ldflags);
    if (node["optimize"]) p.optimize = r_.Choice(node["optimize"], what + ".optimize", kPipelines).value_or(p.optimize);
    if (node["aot_speed"]) p.aot_speed = r_.Bool(node["aot_speed"], what + ".aot_speed").value_or(p.aot_speed);
    if (node["log_level"]) p.log_level = r_.Choice(node["log_level"], what + ".log_level", kLogLevels).value_or(p.log_level);
    if (node["zstd_level"]) {
      p.zstd_level = static_cast<int>(r_.Int(node["zstd_level"], what + ".zstd_level", 1, 22).value_or(p.zstd_level));
    }
    if (node["zstd_long"]) p.zstd_long = r_.Bool(node["zstd_long"], what + ".zstd_long").value_or(p.zstd_long);
    if (node["hot_reload"]) p.hot_reload = r_.Bool(node["hot_reload"], what + ".hot_reload").value_or(p.hot_reload);
    if (node["trace"]) p.trace = r_.Bool(node["trace"], what + ".trace").value_or(p.trace);
    if (node["preinit"]) p.preinit = r_.Bool(node["preinit"], what + ".preinit").value_or(p.preinit);
    if (node["strict"]) p.strict = r_.Bool(node["strict"], what + ".strict").value_or(p.strict);
    if (node["preinit_fetch"]) PreinitFetch(node["preinit_fetch"], what + ".preinit_fetch", p);
  }

  // Whether each listed file exists is checked when a build plans it (like
  // sources), so that a profile not being built never fails another's.
  void PreinitFetch(const YAML::Node& node, const std::string& what, Profile& p) {
    auto list = r_.StringList(node, what);
    if (!list) return;
    if (!p.preinit) {
      r_.Error(node, what + " needs `preinit: true` in the same profile",
               {"the listed assets are answered only while pre-initialization runs"});
    }
    if (m_.assets_dir.empty()) {
      r_.Error(node, what + " lists assets but the manifest has no `assets:` directory",
               {"add `assets: assets/`; the paths are relative to it"});
    }
    p.preinit_fetch.clear();
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& item = node.IsSequence() ? node[i] : node;
      const std::string& pattern = (*list)[i];
      if (pattern.empty() || GlobLeavesRoot(pattern)) {
        r_.Error(item, what + ": '" + pattern + "' must be a path or glob inside the assets directory",
                 {"write it as the app fetches it, e.g. catalog.json"});
      }
      p.preinit_fetch.push_back({pattern, file_.SpanOf(item)});
    }
  }

  std::optional<SizeLimit> Limit(const YAML::Node& node, const std::string& what, bool allow_percent) {
    SizeLimit limit;
    limit.span = file_.SpanOf(node);
    if (allow_percent && node.IsScalar() && !node.Scalar().empty() && node.Scalar().back() == '%') {
      std::string number = node.Scalar().substr(0, node.Scalar().size() - 1);
      char* end = nullptr;
      double percent = std::strtod(number.c_str(), &end);
      if (number.empty() || *end != '\0' || percent < 0) {
        r_.Error(node, what + " is not a percentage: '" + node.Scalar() + "'");
        return std::nullopt;
      }
      limit.percent = percent;
      return limit;
    }
    auto bytes = r_.Size(node, what);
    if (!bytes) return std::nullopt;
    limit.bytes = *bytes;
    return limit;
  }

  void Budgets(const YAML::Node& node) {
    if (!r_.IsMapping(node, "budgets")) return;
    for (const auto& entry : node) {
      std::string target = entry.first.Scalar();
      std::string what = "budgets." + target;
      r_.CheckKeys(entry.second, what, kBudgetKeys);
      if (!entry.second.IsMap()) continue;
      Budget& b = m_.budgets[target];
      b.span = file_.SpanOf(entry.first);
      if (entry.second["bundle"]) b.bundle = Limit(entry.second["bundle"], what + ".bundle", false);
      if (entry.second["wasm"]) b.wasm = Limit(entry.second["wasm"], what + ".wasm", false);
      if (entry.second["growth"]) b.growth = Limit(entry.second["growth"], what + ".growth", true);
      const YAML::Node& components = entry.second["components"];
      if (components && r_.IsMapping(components, what + ".components")) {
        for (const auto& c : components) {
          std::string name = c.first.Scalar();
          if (std::find(kComponents.begin(), kComponents.end(), name) == kComponents.end()) {
            r_.Error(c.first, "unknown component '" + name + "' in " + what + ".components" + DidYouMean(name, kComponents),
                     {"components are: " + JoinNames(kComponents)});
            continue;
          }
          if (auto limit = Limit(c.second, what + ".components." + name, false)) b.components[name] = *limit;
        }
      }
      if (entry.second["frame_traps"]) {
        if (auto n = r_.Int(entry.second["frame_traps"], what + ".frame_traps", 0, 1000000)) {
          b.frame_traps = static_cast<uint32_t>(*n);
        }
      }
      PerfBudgets(entry.second, what, b);
    }
  }

  void PerfBudgets(const YAML::Node& node, const std::string& what, Budget& b) {
    auto count = [&](const char* key, std::optional<uint64_t>& out) {
      if (!node[key]) return;
      if (auto n = r_.Int(node[key], what + "." + key, 1, kMaxInstructions)) out = static_cast<uint64_t>(*n);
    };
    count("startup_instructions", b.startup_instructions);
    count("frame_instructions_p99", b.frame_instructions_p99);
    count("input_instructions_p99", b.input_instructions_p99);
    Milliseconds(node["startup_ms"], what + ".startup_ms", b.startup_ms);
    Milliseconds(node["frame_ms_p99"], what + ".frame_ms_p99", b.frame_ms_p99);
    Milliseconds(node["input_ms_p99"], what + ".input_ms_p99", b.input_ms_p99);
    if ((b.HasInstructionBudgets() || b.HasTimeBudgets()) && m_.perf_script.empty() &&
        !file_.root()["perf_script"]) {
      r_.Error(node, what + " has performance budgets but the manifest names no perf_script",
               {"add `perf_script: perf.yaml`: the steps (run --script format) whose run is measured"});
    }
  }

  // A time limit: a number of milliseconds, or a string such as "50ms".
  void Milliseconds(const YAML::Node& node, const std::string& what, std::optional<double>& out) {
    if (!node) return;
    std::optional<std::string> text = r_.String(node, what);
    if (!text) return;
    std::string number = text->ends_with("ms") ? text->substr(0, text->size() - 2) : *text;
    char* end = nullptr;
    double ms = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(ms > 0) || ms > kMaxMs) {
      r_.Error(node, what + " is not a time in milliseconds: '" + *text + "'", {"write for example 16 or 16.5ms"});
      return;
    }
    out = ms;
  }

  void Signing(const YAML::Node& node) {
    r_.CheckKeys(node, "signing", kSigningKeys);
    if (!node.IsMap()) return;
    if (node["key"]) m_.signing_key = r_.String(node["key"], "signing.key").value_or("");
  }

  void Build(const YAML::Node& node) {
    r_.CheckKeys(node, "build", kBuildKeys);
    if (!node.IsMap()) return;
    if (node["launcher"]) m_.launcher = r_.String(node["launcher"], "build.launcher").value_or("");
    if (node["step_timeout"]) StepTimeout(node["step_timeout"]);
  }

  void Cache(const YAML::Node& node) {
    r_.CheckKeys(node, "cache", kCacheKeys);
    if (!node.IsMap()) return;
    if (node["dir"]) {
      std::optional<std::string> dir = r_.String(node["dir"], "cache.dir");
      if (dir && dir->empty()) r_.Error(node["dir"], "cache.dir is empty", {"name a directory, or leave the key out"});
      if (dir && !dir->empty()) m_.cache.dir = (fs::path(m_.root) / *dir).lexically_normal().string();
    }
    if (node["max_size"]) {
      m_.cache.max_size = r_.Size(node["max_size"], "cache.max_size");
      if (m_.cache.max_size && *m_.cache.max_size < (1u << 20)) {
        r_.Error(node["max_size"], "cache.max_size is under 1 MiB: no build would fit",
                 {"write for example 5GiB or 500MB"});
      }
    }
    if (node["remote"]) RemoteUrl(node["remote"]);
    if (node["remote_read_only"]) m_.cache.remote_read_only = r_.Bool(node["remote_read_only"], "cache.remote_read_only");
  }

  // http://host[:port][/prefix]: the remote's ac/ and cas/ are under prefix.
  void RemoteUrl(const YAML::Node& node) {
    std::optional<std::string> url = r_.String(node, "cache.remote");
    if (!url) return;
    static const std::regex kUrl(R"(https?://[A-Za-z0-9._\[\]:-]+(:[0-9]{1,5})?(/[^\s?#]*)?)");
    if (!std::regex_match(*url, kUrl)) {
      r_.Error(node, "cache.remote is not an http(s) URL: '" + *url + "'",
               {"write for example http://cache.example:8080/wasmship (the server's /ac/ and /cas/ are under it)"});
      return;
    }
    m_.cache.remote = *url;
  }

  void StepTimeout(const YAML::Node& node) {
    std::optional<std::string> text = r_.String(node, "build.step_timeout");
    if (!text) return;
    m_.step_timeout_s = ParseDuration(*text);
    if (!m_.step_timeout_s) {
      r_.Error(node, "build.step_timeout is not a duration: '" + *text + "'",
               {"write for example 90s, 5m or 1h (at most a week); plain numbers are seconds"});
    }
  }

  const YamlFile& file_;
  YamlReader r_;
  Manifest m_;
};

}  // namespace

std::optional<Manifest> LoadManifest(const std::string& path, DiagnosticSink& sink) {
  std::optional<YamlFile> file = YamlFile::Load(path, sink);
  if (!file) return std::nullopt;
  return ManifestParser(*file, sink).Parse();
}

std::optional<Manifest> ParseManifestText(const std::string& path, const std::string& text, DiagnosticSink& sink) {
  std::optional<YamlFile> file = YamlFile::Parse(path, text, sink);
  if (!file) return std::nullopt;
  return ManifestParser(*file, sink).Parse();
}

std::optional<std::string> FindManifest(const std::string& start_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(start_dir, ec);
  if (ec) return std::nullopt;
  for (; !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / "wasmship.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

const Profile* FindProfile(const Manifest& manifest, const std::string& name, DiagnosticSink& sink) {
  auto it = manifest.profiles.find(name);
  if (it != manifest.profiles.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [profile, unused] : manifest.profiles) names.push_back(profile);
  sink.Error({}, "unknown profile '" + name + "'" + DidYouMean(name, names),
             {"profiles of " + manifest.path + ": " + JoinNames(names)});
  return nullptr;
}

}  // namespace ws
