// ComponentMap: which component each function came from, read from
// wasm-ld-19's link map (--Map=FILE). The map lists, per output section,
// the input chunks and their symbols:
//
//     Addr      Off     Size Out     In      Symbol
//        -      73c    4cf5e CODE
//        -      743        9         /usr/lib/wasm32-wasi/crt1-reactor.o:(_initialize)
//        -      743        9                 _initialize
//        -      7be      21d         obj/src/app_state.cpp.o:(_Z11CreateStatev)
//        -      7be      21d                 CreateState()
//        -     b00d       18         lto.tmp:(_GLOBAL__sub_I_app_state.cpp)
//        -     7fd        5 /usr/lib/wasm32-wasi/libc++.a(stdlib_typeinfo.cpp.o):(_ZNSt9type_infoD2Ev)
//
// Three fixed 8-wide columns, then the output section (no indent), an
// input chunk "FILE:(NAME)" (8 spaces; NAME is the mangled symbol, FILE
// may be "ARCHIVE(MEMBER)") or a symbol (16 spaces; demangled unless the
// link used --no-demangle, and then demangled here). Only CODE matters:
// one chunk per function, in function index order, aliases as extra
// symbol lines.
//
// The module's name section (written by the same wasm-ld) names each
// function like its symbol line; Binaryen later makes duplicate names
// unique with ".1", ".2", ... in index order, which this map mirrors so that
// two `__cxx_global_array_dtor` from different objects keep their owners.
#include <algorithm>
#include <string>
#include <vector>

#include "size-reports/size_reports.h"
#include "size-reports/source_attribution.h"
#include "wasm-binary/symbol_names.h"

namespace ws::size {

using wasm::ComponentByName;
using wasm::Demangle;
using wasm::StripBinaryenPrefix;
using wasm::StripDedupSuffix;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "libc++.a(new.cpp.o)" → "libc++.a"; a plain object path → "".
std::string_view ArchiveOf(std::string_view file) {
  if (file.empty() || file.back() != ')') return {};
  size_t open = file.rfind('(');
  if (open == std::string_view::npos) return {};
  return BaseName(file.substr(0, open));
}

// The component of an input file, or "" when only the name can tell
// (lto.tmp, objects the build did not describe).
std::string ComponentOfFile(std::string_view file, const std::map<std::string, std::string>& objects) {
  if (std::string_view archive = ArchiveOf(file); !archive.empty()) {
    if (archive == "libc.a" || archive.starts_with("libc-") || archive == "libm.a") return "libc";
    if (archive == "libc++.a" || archive == "libc++abi.a") return "libc++";
    if (archive.starts_with("libclang_rt.builtins")) return "compiler-rt";
    return {};
  }
  if (file == "<internal>") return "module";  // linker-made glue: __wasm_call_ctors, __wasm_init_memory
  std::string_view base = BaseName(file);
  if (base.starts_with("crt1")) return "libc";
  if (auto it = objects.find(std::string(file)); it != objects.end()) return it->second;
  // The build may name its objects by absolute path while the map has
  // them relative to the link's directory (or the other way round).
  for (const auto& [path, component] : objects) {
    std::string_view p = path;
    std::string_view longer = p.size() > file.size() ? p : file;
    std::string_view shorter = p.size() > file.size() ? file : p;
    if (!shorter.empty() && longer.ends_with(shorter) && longer[longer.size() - shorter.size() - 1] == '/') {
      return component;
    }
  }
  return {};
}

// Templates instantiated in the app's or the runtime's objects belong to
// their library (docs/report.md: libc++ includes the templates the app
// instantiates); everything else stays with its object.
std::string Refine(const std::string& object_component, const std::string& name) {
  if (object_component != "app" && object_component != "runtime") return object_component;
  std::string by_name = ComponentByName(name);
  // A C function the build's own object defines is its own, whatever libc calls its namesake.
  return by_name == "app" || by_name == "libc" ? object_component : by_name;
}

// "_GLOBAL__sub_I_widgets.cc" in lto.tmp: the static initializers of
// widgets.cc, whose object the build described.
std::string ComponentOfInitializer(std::string_view name, const std::map<std::string, std::string>& objects) {
  constexpr std::string_view kPrefix = "_GLOBAL__sub_I_";
  if (!name.starts_with(kPrefix)) return {};
  std::string object = "/" + std::string(name.substr(kPrefix.size())) + ".o";
  for (const auto& [path, component] : objects) {
    if (path.ends_with(object) || path == object.substr(1)) return component;
  }
  return {};
}

struct Chunk {
  std::string file;
  std::string name;                  // the chunk's symbol, mangled
  std::vector<std::string> symbols;  // its symbol lines, demangled
};

// The name the module gives the chunk's function: the symbol line that is
// the chunk's own symbol (aliases share the chunk), else the first.
std::string FunctionName(const Chunk& chunk) {
  if (chunk.symbols.empty()) return Demangle(chunk.name);
  if (chunk.symbols.size() > 1) {
    // __cxa_demangle writes "a<b<c> >" where LLVM's demangler (wasm-ld's)
    // writes "a<b<c>>"; compare without the spaces.
    auto squeeze = [](std::string s) {
      std::erase(s, ' ');
      return s;
    };
    std::string own = squeeze(Demangle(chunk.name));
    for (const std::string& s : chunk.symbols) {
      if (squeeze(s) == own) return s;
    }
  }
  return chunk.symbols.front();
}

}  // namespace

ComponentMap ComponentMap::FromLinkMap(std::string_view map_text,
                                       const std::map<std::string, std::string>& objects,
                                       const SourceInfo* sources) {
  std::vector<Chunk> chunks;
  bool in_code = false;
  while (!map_text.empty()) {
    size_t eol = map_text.find('\n');
    std::string_view line = map_text.substr(0, eol);
    map_text.remove_prefix(eol == std::string_view::npos ? map_text.size() : eol + 1);
    if (line.size() <= 27 || line.starts_with("    Addr")) continue;
    std::string_view rest = line.substr(27);
    size_t indent = rest.find_first_not_of(' ');
    if (indent == std::string_view::npos) continue;
    std::string_view text = Trim(rest);
    if (indent == 0) {
      in_code = text == "CODE";
    } else if (!in_code) {
      continue;
    } else if (indent < 16) {
      size_t open = text.find(":(");
      if (open == std::string_view::npos || !text.ends_with(')')) continue;
      chunks.push_back({std::string(text.substr(0, open)),
                        std::string(text.substr(open + 2, text.size() - open - 3)),
                        {}});
    } else if (!chunks.empty()) {
      std::string symbol = Demangle(text);
      std::vector<std::string>& symbols = chunks.back().symbols;
      if (std::find(symbols.begin(), symbols.end(), symbol) == symbols.end()) symbols.push_back(symbol);
    }
  }

  ComponentMap map;
  std::vector<std::pair<std::string, Attribution>> aliases;
  for (const Chunk& chunk : chunks) {
    std::string name = FunctionName(chunk);
    std::string component = ComponentOfFile(chunk.file, objects);
    if (component.empty()) component = ComponentOfInitializer(chunk.name, objects);
    component = component.empty() ? ComponentByName(name) : Refine(component, name);
    Attribution attribution =
        sources ? Locate(name, chunk.file, component, objects, *sources) : Attribution{component, "", ""};
    std::string key = name;
    for (int n = 1; map.by_symbol_.count(key); ++n) key = name + "." + std::to_string(n);
    map.by_symbol_[key] = attribution;
    for (const std::string& s : chunk.symbols) {
      if (s != name) aliases.emplace_back(s, attribution);
    }
  }
  // Aliases after all function names, so that they never take a name's slot.
  for (auto& [symbol, attribution] : aliases) map.by_symbol_.emplace(symbol, attribution);
  return map;
}

ComponentMap ComponentMap::ByName() { return ComponentMap(); }

ComponentMap ComponentMap::FromComponents(std::map<std::string, std::string> by_symbol) {
  ComponentMap map;
  for (auto& [name, component] : by_symbol) map.by_symbol_[name] = {std::move(component), "", ""};
  return map;
}

ComponentMap ComponentMap::FromAttributions(std::map<std::string, Attribution> by_symbol) {
  ComponentMap map;
  map.by_symbol_ = std::move(by_symbol);
  return map;
}

Attribution ComponentMap::AttributionOf(const std::string& function_name) const {
  std::string_view name = StripBinaryenPrefix(function_name);
  if (!by_symbol_.empty()) {
    if (auto it = by_symbol_.find(std::string(name)); it != by_symbol_.end()) return it->second;
    std::string_view base = StripDedupSuffix(name);
    if (auto it = by_symbol_.find(std::string(base)); it != by_symbol_.end()) return it->second;
  }
  return {ComponentByName(StripDedupSuffix(name)), "", ""};
}

}  // namespace ws::size
