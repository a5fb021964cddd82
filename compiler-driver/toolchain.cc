#include "compiler-driver/toolchain.h"

#include <sys/stat.h>

#include <cstdlib>
#include <functional>
#include <filesystem>

#include "compiler-driver/content_hash.h"
#include "platform/atomic_file.h"
#include "platform/subprocess.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

ToolCheck CheckProgram(const char* env, const std::string& program, const std::string& package) {
  std::string wanted = EnvOr(env, program);
  ToolCheck check{program, false, "", package};
  if (std::optional<std::string> path = FindExecutable(wanted)) {
    check.ok = true;
    check.detail = *path;
  } else {
    const char* chosen = std::getenv(env);
    check.detail = chosen != nullptr && *chosen != '\0'
                       ? std::string(env) + "=" + wanted + " is not an executable"
                       : wanted + " not found on PATH";
  }
  return check;
}

ToolCheck CheckFile(const std::string& name, const std::string& path, const std::string& package) {
  std::error_code ec;
  bool ok = fs::is_regular_file(path, ec);
  return {name, ok, ok ? path : path + " not found", package};
}

std::string Sysroot() { return EnvOr("WASMSHIP_SYSROOT", "/usr"); }

#ifndef WASMSHIP_DEFAULT_RUNTIME_DIR
#define WASMSHIP_DEFAULT_RUNTIME_DIR "/usr/share/wasmship/runtime"
#endif

// compiler-rt lives in clang's resource directory, next to the real binary:
// /usr/lib/llvm-19/bin/clang → /usr/lib/llvm-19/lib/clang/19/lib/wasi/.
std::string BuiltinsFor(const std::optional<std::string>& clang) {
  std::string fallback = "/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a";
  if (!clang) return fallback;
  std::error_code ec;
  fs::path real = fs::canonical(*clang, ec);
  if (ec) return fallback;
  fs::path clang_lib = real.parent_path().parent_path() / "lib" / "clang";
  for (fs::directory_iterator it(clang_lib, ec), end; !ec && it != end; it.increment(ec)) {
    fs::path candidate = it->path() / "lib" / "wasi" / "libclang_rt.builtins-wasm32.a";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return fallback;
}

// `clang --version` costs ~60 ms, so its text is memoized per binary
// (real path, size, mtime) under the state directory.
// Computing an identity costs time (a subprocess, reading a large file), so
// it is memoized per binary (real path, size, mtime) under the state directory.
std::string MemoizedIdentity(const std::string& tool, const std::string& state_dir,
                             const std::function<std::string(const std::string&)>& compute) {
  std::error_code ec;
  std::string real = fs::canonical(tool, ec).string();
  struct stat st {};
  ::stat(real.c_str(), &st);
  std::string key = Hasher()
                        .Add(real)
                        .Add(std::to_string(st.st_size))
                        .Add(std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec))
                        .Finish();
  std::string memo = state_dir + "/compilers/" + key;
  if (Result<std::string> known = ReadFile(memo, kStateFile); known && !known->empty()) return *known;
  std::string id = compute(real);
  // A failed write only costs the next build another computation.
  (void)WriteFileAtomically(memo, id);
  return id;
}

std::string CompilerIdentity(const std::string& clang, const std::string& state_dir) {
  return MemoizedIdentity(clang, state_dir, [](const std::string& real) {
    Result<ProcessResult> version = RunProcess({real, "--version"});
    return version && version->Succeeded() ? version->output : real;
  });
}

}  // namespace

std::string ExecutableIdentity(const std::string& path, const std::string& state_dir) {
  return MemoizedIdentity(path, state_dir, [](const std::string& real) {
    // Tools with debug info run to hundreds of MiB.
    Result<std::string> bytes = ReadFile(real, {"executable", 1ull << 30});
    return bytes ? HashBytes(*bytes) : real;
  });
}

std::string RuntimeDir() { return EnvOr("WASMSHIP_RUNTIME_DIR", WASMSHIP_DEFAULT_RUNTIME_DIR); }

std::vector<ToolCheck> CheckToolchain() {
  std::string lib = Sysroot() + "/lib/wasm32-wasi";
  ToolCheck clang = CheckProgram("WASMSHIP_CLANG", "clang++-19", "clang-19");
  std::vector<ToolCheck> checks;
  checks.push_back(clang);
  checks.push_back(CheckProgram("WASMSHIP_WASM_LD", "wasm-ld-19", "lld-19"));
  checks.push_back(CheckFile("wasi-libc", lib + "/libc.a", "wasi-libc"));
  checks.push_back(CheckFile("libc++ (wasm32)", lib + "/libc++.a", "libc++-19-dev-wasm32"));
  checks.push_back(CheckFile("libc++abi (wasm32)", lib + "/libc++abi.a", "libc++abi-19-dev-wasm32"));
  checks.push_back(CheckFile("compiler-rt (wasm32)",
                             BuiltinsFor(clang.ok ? std::optional(clang.detail) : std::nullopt),
                             "libclang-rt-19-dev-wasm32"));
  ToolCheck runtime = CheckFile("runtime engine", RuntimeDir() + "/include/wasmship/ui.hpp", "");
  if (!runtime.ok) runtime.detail += " (set WASMSHIP_RUNTIME_DIR to the runtime/ folder of wasmship)";
  checks.push_back(runtime);
  return checks;
}

ToolCheck CheckLlvmNm(const std::string& clang) {
  ToolCheck nm = CheckProgram("WASMSHIP_LLVM_NM", "llvm-nm-19", "llvm-19");
  nm.optional = true;
  if (nm.ok || clang.empty()) return nm;
  // Beside clang in LLVM's own bin/ (the real path of /usr/bin/clang++-19).
  std::error_code ec;
  fs::path beside = fs::canonical(clang, ec).parent_path() / "llvm-nm";
  if (!ec && fs::exists(beside, ec)) {
    nm.ok = true;
    nm.detail = beside.string();
  }
  return nm;
}

std::optional<Toolchain> FindToolchain(const std::string& state_dir, DiagnosticSink& sink) {
  std::vector<ToolCheck> checks = CheckToolchain();
  for (const ToolCheck& check : checks) {
    if (check.ok) continue;
    std::string fix = check.package.empty() ? "reinstall wasmship or point WASMSHIP_RUNTIME_DIR at its runtime/ folder"
                                            : "install it with: sudo apt-get install " + check.package;
    sink.Error({}, check.name + " is missing (" + check.detail + ")",
               {fix, "`wasmship doctor` checks everything wasmship needs"});
  }
  if (sink.HasErrors()) return std::nullopt;
  Toolchain t;
  t.clang = checks[0].detail;
  t.wasm_ld = checks[1].detail;
  t.sysroot = Sysroot();
  t.lib_dir = t.sysroot + "/lib/wasm32-wasi";
  t.builtins = checks[5].detail;
  t.runtime_dir = RuntimeDir();
  // <resource dir>/lib/wasi/libclang_rt.builtins-wasm32.a
  t.resource_dir = std::filesystem::path(t.builtins).parent_path().parent_path().parent_path().string();
  t.compiler_id = CompilerIdentity(t.clang, state_dir);
  ToolCheck nm = CheckLlvmNm(t.clang);
  if (nm.ok) t.llvm_nm = nm.detail;
  return t;
}

}  // namespace ws
