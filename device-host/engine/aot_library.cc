#include "device-host/engine/aot_library.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>

#include "action-cache/action_cache.h"
#include "action-cache/cache_settings.h"
#include "device-host/engine/aot_glue.h"
#include "device-host/engine/aot_glue_runtime.h"
#include "platform/atomic_file.h"
#include "platform/file_lock.h"
#include "platform/step_timeout.h"
#include "platform/subprocess.h"

namespace ws::host {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxToolOutput = 4000;
// -O1: most of -O2's speed at a fraction of its compile time on the huge
// functions wasm2c writes. -z defs (below): a missing symbol fails the
// build, not dlopen.
constexpr const char* kCFlags[] = {
    "-O1", "-fPIC", "-shared", "-fvisibility=hidden", "-fno-strict-aliasing", "-DNDEBUG", "-w"};

std::string FileIdentity(const std::string& path) {
  std::error_code ec;
  std::string real = fs::canonical(path, ec).string();
  struct stat st {};
  if (ec || ::stat(real.c_str(), &st) != 0) return path + " (missing)";
  return real + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

std::string ToolPath(const char* name) { return FindExecutable(name).value_or(name); }

std::string CacheKey(std::span<const uint8_t> wasm) {
  ActionKey hasher("aot-v1");
  // The glue's fixed text is hashed too, so that editing it rebuilds.
  hasher.Add(kGlueVersion)
      .Add(GlueRuntimeSource())
      .Add(RuntimeConfigText())
      .Add(FileIdentity(ToolPath("wasm2c")))
      .Add(FileIdentity(ToolPath("cc")))
      .Add(FileIdentity(WASMSHIP_WASM_RT_DIR "/wasm-rt-impl.c"))
      .Add(FileIdentity(WASMSHIP_WASM_RT_DIR "/wasm-rt-impl.h"))
      .Add(FileIdentity("/usr/include/wasm-rt.h"))
      .Add(std::accumulate(std::begin(kCFlags), std::end(kCFlags), std::string(),
                           [](std::string all, const char* flag) { return all + flag + " "; }))
      .Add(ContentDigest(std::string_view(reinterpret_cast<const char*>(wasm.data()), wasm.size())));
  return hasher.Finish();
}

std::string Tail(const std::string& text) {
  return text.size() <= kMaxToolOutput ? text : "..." + text.substr(text.size() - kMaxToolOutput);
}

// A build's scratch directory, removed however the build ends.
class ScratchDir {
 public:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

Status RunTool(const std::vector<std::string>& argv, const std::string& cwd, const char* what) {
  // Like a build step: a compiler that hangs is stopped, not waited for.
  Result<std::optional<double>> limit = StepTimeoutFromEnvironment();
  if (!limit) return limit.error();
  double timeout_s = limit->value_or(kDefaultStepTimeoutSeconds);
  Result<ProcessResult> run = RunProcess(argv, {.cwd = cwd, .timeout_s = timeout_s});
  if (!run) return Error{std::string(what) + " could not run: " + run.error().message};
  if (!run->Succeeded()) {
    return Error{std::string(what) + " failed (" + run->Describe() + "):\n" + Tail(run->output)};
  }
  return {};
}

// wasm2c output plus generated glue, written into `dir`.
Status Translate(std::span<const uint8_t> wasm, const WasmModuleInfo& info, const ScratchDir& dir) {
  std::string_view bytes(reinterpret_cast<const char*>(wasm.data()), wasm.size());
  if (Status written = WriteFileAtomically(dir / "module.wasm", bytes); !written) return written;
  // A subprocess: whatever wasm2c does (1.0.32 aborts on some input), the
  // host survives and reports it.
  if (Status ran = RunTool({ToolPath("wasm2c"), "module.wasm", "-n", kAotModuleName, "-o", "module.c"},
                           dir.path(), "wasm2c");
      !ran) {
    return ran;
  }
  Result<std::string> header = ReadFile(dir / "module.h", kModuleFile);
  Result<std::string> source = ReadFile(dir / "module.c", kModuleFile);
  if (!header || !source) return Error{"wasm2c wrote no module.h/module.c"};
  DistinguishDivisionOverflow(*source);
  Result<std::string> glue = GenerateGlue(info, *header);
  if (!glue) return glue.error();
  for (auto [name, text] : {std::pair<const char*, std::string_view>{"module.c", *source},
                            {"glue.c", *glue},
                            {"ws_rt_config.h", RuntimeConfigText()}}) {
    if (Status written = WriteFileAtomically(dir / name, text); !written) return written;
  }
  return {};
}

Status Compile(std::span<const uint8_t> wasm, const WasmModuleInfo& info, const std::string& dir,
               const std::string& key, const std::string& object_path) {
  if (!FindExecutable("wasm2c")) return Error{"the aot engine needs wasm2c (Debian package wabt)"};
  if (!FindExecutable("cc")) return Error{"the aot engine needs a C compiler (cc)"};
  static std::atomic<unsigned> counter{0};
  ScratchDir scratch(dir + "/tmp-" + key + "-" + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++));
  if (Status made = MakeDirectories(scratch.path()); !made) return made;
  if (Status translated = Translate(wasm, info, scratch); !translated) return translated;
  PendingFile object(object_path);
  std::vector<std::string> argv = {ToolPath("cc")};
  argv.insert(argv.end(), std::begin(kCFlags), std::end(kCFlags));
  argv.insert(argv.end(), {"-I", scratch.path(), "-I", WASMSHIP_WASM_RT_DIR, "-include", "ws_rt_config.h",
                           "module.c", "glue.c", "-o", object.temp_path(), "-lm", "-Wl,-z,defs"});
  if (Status compiled = RunTool(argv, scratch.path(), "cc"); !compiled) return compiled;
  return object.Commit();
}

template <typename Fn>
bool Bind(void* handle, const char* name, Fn* out) {
  *out = reinterpret_cast<Fn>(::dlsym(handle, name));
  return *out != nullptr;
}

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, std::weak_ptr<AotLibrary>>& Registry() {
  static std::map<std::string, std::weak_ptr<AotLibrary>> loaded;
  return loaded;
}


}  // namespace

Result<std::shared_ptr<AotLibrary>> AotLibrary::Open(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return Error{"cannot load " + path + ": " + (why != nullptr ? why : "dlopen failed")};
  }
  std::shared_ptr<AotLibrary> library(new AotLibrary());
  library->handle_ = handle;
  GlueApi& api = library->api_;
  bool bound = Bind(handle, "ws_glue_version", &api.version) && Bind(handle, "ws_glue_init", &api.init) &&
               Bind(handle, "ws_glue_create", &api.create) &&
               Bind(handle, "ws_glue_instantiate", &api.instantiate) &&
               Bind(handle, "ws_glue_destroy", &api.destroy) && Bind(handle, "ws_glue_call", &api.call) &&
               Bind(handle, "ws_glue_memory", &api.memory) &&
               Bind(handle, "ws_glue_take_memory_limit_hit", &api.take_memory_limit_hit) &&
               Bind(handle, "ws_glue_watchdog_fired", &api.watchdog_fired);
  if (!bound || std::strcmp(api.version(), kGlueVersion) != 0) {
    return Error{path + " is not a module built by this version of wasmship"};
  }
  api.init();
  return library;
}

AotLibrary::~AotLibrary() {
  if (handle_ != nullptr) ::dlclose(handle_);
}

namespace {

// The object of `key` from the action cache, verified, loaded straight
// from its blob; an error when the cache does not hold it.
Result<std::shared_ptr<AotLibrary>> OpenCached(ActionCache& actions, const std::string& key, bool count) {
  std::optional<ActionResult> found;
  if (count) {
    found = actions.Lookup(StepKind::kAot, key, "the aot module");
  } else if (std::vector<ActionResult> results = actions.Results(key);
             !results.empty() && actions.FetchOutputs(results.front(), /*verify=*/true, "the aot module")) {
    found = results.front();
  }
  const ActionOutput* object = found ? found->Find("object") : nullptr;
  if (object == nullptr) return Error{"not in the cache"};
  return AotLibrary::Open(actions.BlobPath(object->sha256));
}

}  // namespace

Result<std::shared_ptr<AotLibrary>> LoadAotLibrary(std::span<const uint8_t> wasm, const WasmModuleInfo& info,
                                                   const std::string& cache_dir) {
  std::error_code ec;
  std::string root = fs::absolute(cache_dir.empty() ? UserCacheDir() : cache_dir, ec).string();
  std::string dir = root + "/aot";  // build locks and scratch directories
  std::string key = CacheKey(wasm);

  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (std::shared_ptr<AotLibrary> loaded = Registry()[key].lock()) return loaded;
  ActionCache actions(root);
  // The counters go to the cache's statistics; the next build keeps the cap.
  struct FlushAtEnd {
    ActionCache& actions;
    ~FlushAtEnd() { actions.Flush(std::numeric_limits<uint64_t>::max()); }
  } flush_at_end{actions};
  Result<std::shared_ptr<AotLibrary>> library = OpenCached(actions, key, /*count=*/true);
  if (!library) {
    if (Status made = MakeDirectories(dir); !made) return made.error();
    // Another process may be building the same module: wait for it, then
    // look again before building.
    Result<FileLock> build_lock = FileLock::Acquire(dir + "/" + key + ".lock");
    if (!build_lock) return build_lock.error();
    library = OpenCached(actions, key, /*count=*/false);
    if (!library) {
      std::string object_path = dir + "/" + key + ".so";
      if (Status built = Compile(wasm, info, dir, key, object_path); !built) return built.error();
      Result<std::string> bytes = ReadFile(object_path, {"aot module", 1ull << 30});
      // Stored: loaded from the cache. Not stored (an unwritable cache):
      // loaded from where it was compiled.
      if (bytes && actions.Store(key, {{"object", *bytes}})) {
        ::unlink(object_path.c_str());
        library = OpenCached(actions, key, /*count=*/false);
      } else {
        library = AotLibrary::Open(object_path);
      }
      if (!library) return library.error();
    }
  }
  Registry()[key] = *library;
  return library;
}

}  // namespace ws::host
