#include "device-host/engine/aot_library.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <numeric>

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

// A 128-bit content hash for cache keys (not cryptographic: keys only
// need to tell different modules apart). Fields are length-prefixed.
class KeyHasher {
 public:
  KeyHasher& Add(std::string_view field) {
    Word(field.size());
    size_t i = 0;
    for (; i + 8 <= field.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, field.data() + i, 8);
      Word(w);
    }
    uint64_t tail = 0;
    std::memcpy(&tail, field.data() + i, field.size() - i);
    Word(tail);
    return *this;
  }
  std::string Hex() const {
    static const char kDigits[] = "0123456789abcdef";
    std::string out;
    for (uint64_t lane : {Mix(a_ ^ b_), Mix(b_ + 0x632be59bd9b4e019)}) {
      for (int shift = 60; shift >= 0; shift -= 4) out += kDigits[(lane >> shift) & 15];
    }
    return out;
  }

 private:
  static uint64_t Mix(uint64_t x) {  // splitmix64's finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9;
    x ^= x >> 27;
    x *= 0x94d049bb133111eb;
    return x ^ (x >> 31);
  }
  void Word(uint64_t w) {
    a_ = Mix(a_ ^ w);
    b_ = Mix(b_ + w * 0x9e3779b97f4a7c15 + (a_ >> 7));
  }
  uint64_t a_ = 0x243f6a8885a308d3;
  uint64_t b_ = 0x13198a2e03707344;
};

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
  KeyHasher hasher;
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
      .Add(std::string_view(reinterpret_cast<const char*>(wasm.data()), wasm.size()));
  return hasher.Hex();
}

std::string DefaultCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/wasmship";
  if (home != nullptr && *home != '\0') return std::string(home) + "/.cache/wasmship";
  return (fs::temp_directory_path() / "wasmship-cache").string();
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

Result<std::shared_ptr<AotLibrary>> OpenExisting(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) return Error{path + " is not in the cache"};
  return AotLibrary::Open(path);
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

Result<std::shared_ptr<AotLibrary>> LoadAotLibrary(std::span<const uint8_t> wasm, const WasmModuleInfo& info,
                                                   const std::string& cache_dir) {
  std::error_code ec;
  std::string dir = fs::absolute(cache_dir.empty() ? DefaultCacheDir() : cache_dir, ec).string() + "/aot";
  std::string key = CacheKey(wasm);
  std::string object_path = dir + "/" + key + ".so";

  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (std::shared_ptr<AotLibrary> loaded = Registry()[object_path].lock()) return loaded;
  Result<std::shared_ptr<AotLibrary>> library = OpenExisting(object_path);
  if (!library) {
    if (Status made = MakeDirectories(dir); !made) return made.error();
    // Another process may be building the same module: wait for it, then
    // look again before building.
    Result<FileLock> build_lock = FileLock::Acquire(dir + "/" + key + ".lock");
    if (!build_lock) return build_lock.error();
    library = OpenExisting(object_path);
    if (!library) {
      ::unlink(object_path.c_str());  // damaged or stale: rebuild it
      if (Status built = Compile(wasm, info, dir, key, object_path); !built) return built.error();
      library = AotLibrary::Open(object_path);
      if (!library) return library.error();
    }
  }
  Registry()[object_path] = *library;
  return library;
}

}  // namespace ws::host
