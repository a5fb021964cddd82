// Human names for functions.
//
// Binaryen 108 keeps the names of the name section escaped: a character
// outside its identifier set becomes `\` and two hex digits ("void f(int)"
// is "void\20f\28int\29"); it unescapes them again when it writes the
// binary. Functions the module never named get synthetic names: their
// index ("12") or, for imports, "fimport$3".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ws::opt {

// The name as the name section has it.
std::string Unescape(std::string_view internal_name);

// Whether Binaryen made the name up because the module had none.
bool IsUnnamed(std::string_view internal_name);

// Demangled name, or "func[index]" for an unnamed function.
std::string DisplayName(std::string_view internal_name, uint32_t index);

// The bare identifier of a demangled name:
// "std::__2::__libcpp_verbose_abort(char const*, ...)" → "__libcpp_verbose_abort".
std::string BaseName(std::string_view demangled);

}  // namespace ws::opt
