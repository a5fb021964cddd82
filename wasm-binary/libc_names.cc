// C functions of wasi-libc (and its dlmalloc) that end up in UI apps: the
// public ones and the static helpers that keep their names in a module
// (printf_core, dlmalloc, ...). Without a link map or a symbol map, only
// names tell them from the app's code; C++ code's demangled names always
// have a parameter list, so a bare name here is libc's.
#include <algorithm>
#include <array>
#include <string_view>

#include "wasm-binary/symbol_names.h"

namespace ws::wasm {
namespace {

// Sorted (std::binary_search).
constexpr std::array<std::string_view, 159> kLibcNames = {
    "_Exit", "__cos", "__cosdf", "__expo2", "__floatscan", "__fpclassifyl", "__fwritex", "__intscan",
    "__lctrans", "__lctrans_cur", "__lock", "__ofl_lock", "__ofl_unlock", "__overflow", "__rem_pio2",
    "__rem_pio2_large", "__rem_pio2f", "__shgetc", "__shlim", "__signbitl", "__sin", "__sindf", "__stdio_close",
    "__stdio_exit", "__stdio_read", "__stdio_seek", "__stdio_write", "__stdout_write", "__strchrnul", "__tan",
    "__tandf", "__toread", "__towrite", "__uflow", "__unlock", "__wasm_call_dtors", "abort", "add_segment",
    "aligned_alloc", "atof", "atoi", "atol", "bsearch", "btowc", "calloc", "ceil", "ceilf", "change_mparam",
    "clock_gettime", "copysign", "cos", "cosf", "decfloat", "dispose_chunk", "dlcalloc", "dlfree",
    "dlmalloc", "dlmemalign", "dlposix_memalign", "dlrealloc", "exit", "exp", "expf", "fabs", "fflush",
    "floor", "floorf", "fmod", "fmodf", "fmt_fp", "fmt_o", "fmt_u", "fmt_x", "fprintf", "fputc", "fputs",
    "free", "frexp", "frexpl", "fwrite", "getenv", "gettimeofday", "hexfloat", "init_bins", "init_mparams",
    "init_top", "internal_memalign", "isalpha", "isdigit", "isspace", "log", "log10", "logf", "lround",
    "malloc", "mbrtowc", "mbtowc", "memchr", "memcmp", "memcpy", "memmove", "memrchr", "memset",
    "nanosleep", "pop_arg", "posix_memalign", "pow", "powf", "prepend_alloc", "printf", "printf_core",
    "putc", "puts", "qsort", "realloc", "release_unused_segments", "round", "roundf", "sbrk", "scalbn",
    "scalbnf", "scanexp", "sin", "sinf", "sn_write", "snprintf", "sprintf", "sqrt", "sqrtf", "strchr",
    "strcmp", "strcpy", "strdup", "strlen", "strncmp", "strncpy", "strnlen", "strrchr", "strstr", "strtod",
    "strtof", "strtol", "strtold", "strtoll", "strtoul", "strtoull", "sys_alloc", "sys_trim", "tan",
    "tmalloc_large", "tmalloc_small", "tolower", "toupper", "try_realloc_chunk", "vfprintf", "vsnprintf",
    "wcrtomb", "wctomb", "wmemcpy"};

// Families by prefix: the WASI imports' wrappers and libc's internals.
constexpr std::string_view kLibcPrefixes[] = {"__wasi_", "__imported_wasi_", "__wasilibc_", "__libc_"};

}  // namespace

bool IsLibcName(std::string_view name) {
  name = StripDedupSuffix(StripBinaryenPrefix(name));
  if (std::binary_search(kLibcNames.begin(), kLibcNames.end(), name)) return true;
  return std::any_of(std::begin(kLibcPrefixes), std::end(kLibcPrefixes),
                     [&](std::string_view prefix) { return name.starts_with(prefix); });
}

}  // namespace ws::wasm
