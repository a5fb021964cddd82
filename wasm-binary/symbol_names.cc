#include "wasm-binary/symbol_names.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace ws::wasm {

std::string Demangle(std::string_view name) {
  if (name.size() < 3 || !name.starts_with("_Z")) return std::string(name);
  std::string mangled(name);
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status),
                                             std::free);
  return status == 0 && out ? std::string(out.get()) : mangled;
}

std::string_view StripBinaryenPrefix(std::string_view name) {
  // Nested renames ("byn$mgfn-shared$byn$...") are possible in principle.
  while (name.starts_with("byn$")) {
    size_t end = name.find('$', 4);
    if (end == std::string_view::npos || end + 1 >= name.size()) break;
    name.remove_prefix(end + 1);
  }
  return name;
}

std::string_view StripDedupSuffix(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return name;
  for (size_t i = dot + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return name;
  }
  return name.substr(0, dot);
}

namespace {

bool StartsWith(std::string_view s, size_t at, std::string_view word) {
  return s.substr(at, word.size()) == word;
}

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

}  // namespace

std::string_view QualifiedName(std::string_view s) {
  constexpr std::string_view kAnonymous = "(anonymous namespace)";
  int depth = 0;             // inside <...>, (...) or [...]
  bool in_operator = false;  // "operator bool", "operator new": the space is part of the name
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (StartsWith(s, i, kAnonymous)) {
      i += kAnonymous.size() - 1;
      continue;
    }
    if (depth == 0 && StartsWith(s, i, "operator") && (i == 0 || !IsIdentChar(s[i - 1])) &&
        (i + 8 >= s.size() || !IsIdentChar(s[i + 8]))) {
      i += 8;
      if (StartsWith(s, i, "()")) {
        i += 2;
      } else {
        while (i < s.size() && std::string_view("<>=!+-*/%^&|~,[]").find(s[i]) != std::string_view::npos) ++i;
      }
      in_operator = true;
      --i;
      continue;
    }
    char c = s[i];
    if (c == '(' && depth == 0) return s.substr(start, i - start);
    if (c == '<' || c == '(' || c == '[') {
      ++depth;
    } else if ((c == '>' || c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (c == ' ' && depth == 0 && !in_operator) {
      start = i + 1;
    }
  }
  return s.substr(start);
}

std::string_view LambdaOwner(std::string_view s) {
  size_t at = std::string_view::npos;
  for (std::string_view marker : {"::$_", "::'lambda", "::{lambda"}) at = std::min(at, s.find(marker));
  if (at == std::string_view::npos) return {};
  // Back to the start of the template argument (or name) holding it.
  int depth = 0;
  size_t start = at;
  while (start > 0) {
    char c = s[start - 1];
    if (c == ')' || c == '>' || c == ']') {
      ++depth;
    } else if (c == '(' || c == '<' || c == '[') {
      if (depth == 0) break;
      --depth;
    } else if ((c == ',' || c == ' ') && depth == 0) {
      break;
    }
    --start;
  }
  return s.substr(start, at - start);
}

std::string ComponentByName(std::string_view demangled) {
  std::string_view name = QualifiedName(StripBinaryenPrefix(demangled));
  if (name.starts_with("std::") && name.find("::__function::") != std::string_view::npos) {
    std::string_view owner = LambdaOwner(StripBinaryenPrefix(demangled));
    if (!owner.empty() && QualifiedName(owner) != name) return ComponentByName(owner);
  }
  if (name.starts_with("ws::") || name.starts_with("ws_")) return "runtime";
  // Demangled C++ names have parameters; libc's are bare C names.
  if (demangled.find('(') == std::string_view::npos && IsLibcName(demangled)) return "libc";
  if (name.starts_with("std::") || name.starts_with("__cxxabiv1::") || name.starts_with("__cxa_")) {
    return "libc++";
  }
  return "app";
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {
      // Overlong forms, surrogates and values past U+10FFFF.
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (len == 2) ok = b >= 0xC2;
      if (len == 3) ok = !(b == 0xE0 && b1 < 0xA0) && !(b == 0xED && b1 >= 0xA0);
      if (len == 4) ok = !(b == 0xF0 && b1 < 0x90) && !(b == 0xF4 && b1 >= 0x90) && b <= 0xF4;
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace ws::wasm
