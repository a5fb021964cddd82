// Function names as the size reports see them: demangling, Binaryen's
// renames, and which component a name belongs to when nothing else says.
// Shared by size-reports (components of a report) and wasm-opt-passes
// (which functions are the app's).
#pragma once

#include <string>
#include <string_view>

namespace ws::wasm {

// abi::__cxa_demangle's output for a mangled C++ name; anything else
// (a plain C name, an already demangled name) is returned unchanged.
std::string Demangle(std::string_view name);

// Undoes Binaryen's renames: "byn$mgfn-shared$f" (a merged function) and
// other "byn$<what>$f" helpers → "f".
std::string_view StripBinaryenPrefix(std::string_view name);

// Binaryen makes duplicate names unique with ".1", ".2", ...: "f.2" → "f";
// a name without such a suffix is returned unchanged.
std::string_view StripDedupSuffix(std::string_view name);

// The qualified name of the function a demangled name denotes, without
// its return type (function templates have one), parameters and
// qualifiers: "void ws::Bind<A, B>(ws::Element, int)" → "ws::Bind<A, B>",
// "Root()::$_0::operator()() const" → "Root".
std::string_view QualifiedName(std::string_view demangled);

// The function a name's first lambda is defined in: "std::__2::__function::
// __policy_invoker<void ()>::__call_impl<__default_alloc_func<Root()::$_0::
// operator()() const::'lambda'(), void ()>>(...)" → "Root()"; "" without a
// lambda.
std::string_view LambdaOwner(std::string_view demangled);

// The component by name alone: ws:: / ws_ → "runtime", std:: (and the
// C++ ABI library's __cxxabiv1:: / __cxa_) → "libc++", wasi-libc's C
// functions (IsLibcName) → "libc", else "app". One
// exception: std::function's type-erasure wrappers around a lambda
// (std::__2::__function::...<..., Owner()::$_0 ...>), whose bodies are the
// lambda's body inlined, belong to the lambda's owner — otherwise every
// compose block's handler and binding would count as libc++.
std::string ComponentByName(std::string_view demangled);

// Whether a bare C name is one of wasi-libc's functions (malloc, dlmalloc,
// printf_core, memcpy, __wasi_*, ...): ComponentByName says "libc" for them.
bool IsLibcName(std::string_view name);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD,
// so that names from a module can always go into JSON.
std::string ValidUtf8(std::string_view s);

}  // namespace ws::wasm
