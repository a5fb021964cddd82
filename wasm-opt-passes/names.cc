#include "wasm-opt-passes/names.h"

#include "wasm-binary/symbol_names.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace ws::opt {
namespace {

constexpr std::string_view kImportPrefix = "fimport$";

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Unescape(std::string_view internal_name) {
  std::string name;
  name.reserve(internal_name.size());
  for (size_t i = 0; i < internal_name.size(); ++i) {
    if (internal_name[i] == '\\' && i + 2 < internal_name.size() && HexDigit(internal_name[i + 1]) >= 0 &&
        HexDigit(internal_name[i + 2]) >= 0) {
      name.push_back(static_cast<char>(HexDigit(internal_name[i + 1]) * 16 + HexDigit(internal_name[i + 2])));
      i += 2;
    } else {
      name.push_back(internal_name[i]);
    }
  }
  return name;
}

bool IsUnnamed(std::string_view internal_name) {
  if (internal_name.starts_with(kImportPrefix)) internal_name.remove_prefix(kImportPrefix.size());
  return AllDigits(internal_name);
}

std::string DisplayName(std::string_view internal_name, uint32_t index) {
  if (IsUnnamed(internal_name)) return "func[" + std::to_string(index) + "]";
  return wasm::Demangle(Unescape(internal_name));
}

std::string BaseName(std::string_view demangled) {
  // Parameters, template arguments and ABI tags may contain "::"; look only before them.
  std::string_view head = demangled.substr(0, demangled.find_first_of("(<["));
  size_t colon = head.rfind("::");
  if (colon != std::string_view::npos) head.remove_prefix(colon + 2);
  // A return type may precede a templated function's name ("void f<int>(int)").
  size_t space = head.rfind(' ');
  if (space != std::string_view::npos) head.remove_prefix(space + 1);
  return std::string(head);
}

}  // namespace ws::opt
