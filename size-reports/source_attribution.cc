// Parts and composables: which source file (app) or system (runtime) a
// function's code comes from, and which UI_COMPOSABLE holds it.
//
// A non-LTO link map names each function's object. An LTO link map says
// lto.tmp for all of them, so the objects' own symbol tables (llvm-nm on the
// bitcode, before LTO merged it) say which object defined a name. Templates
// and inline functions are defined in every object that uses them; the
// linker keeps the first in link order, and so does this, preferring an
// object of the function's own component whose system the name mentions
// (ws::ecs::Pool<T>::Add → world.cc, the ECS).
#include "size-reports/source_attribution.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "wasm-binary/symbol_names.h"

namespace ws::size {

using wasm::ComponentByName;
using wasm::LambdaOwner;
using wasm::QualifiedName;
using wasm::StripBinaryenPrefix;
using wasm::StripDedupSuffix;

namespace {

std::string Squeeze(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

bool SamePath(std::string_view a, std::string_view b) {
  if (a == b) return true;
  std::string_view longer = a.size() > b.size() ? a : b;
  std::string_view shorter = a.size() > b.size() ? b : a;
  return !shorter.empty() && longer.ends_with(shorter) && longer[longer.size() - shorter.size() - 1] == '/';
}

// The source of a link input, or null for an input the build did not compile.
const std::pair<std::string, std::string>* FindSource(const SourceInfo& info, std::string_view object) {
  for (const auto& entry : info.sources) {
    if (SamePath(entry.first, object)) return &entry;
  }
  return nullptr;
}

std::string ComponentOfObject(const std::map<std::string, std::string>& objects, std::string_view object) {
  for (const auto& [path, component] : objects) {
    if (SamePath(path, object)) return component;
  }
  return {};
}

std::string Stem(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return std::string(file.substr(0, file.find('.')));
}

std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string token;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!token.empty()) {
      out.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) out.push_back(std::move(token));
  return out;
}

bool Mentions(const std::vector<std::string>& tokens, const std::string& source) {
  std::string stem = Stem(source);
  std::string system = RuntimeSystem(source);
  return std::any_of(tokens.begin(), tokens.end(), [&](const std::string& t) { return t == stem || t == system; });
}

std::string Unqualified(std::string_view qualified) {
  // The last "::" outside template arguments.
  int depth = 0;
  size_t cut = 0;
  for (size_t i = 0; i < qualified.size(); ++i) {
    char c = qualified[i];
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (depth == 0 && c == ':' && i + 1 < qualified.size() && qualified[i + 1] == ':') cut = i + 2;
  }
  std::string_view tail = qualified.substr(cut);
  return std::string(tail.substr(0, tail.find('<')));
}

// A runtime function instantiated only in the app's objects: the system
// its name mentions, if any.
std::string SystemByName(const std::vector<std::string>& tokens, const SourceInfo& info,
                         const std::map<std::string, std::string>& objects) {
  for (const auto& [object, source] : info.sources) {
    if (ComponentOfObject(objects, object) == "runtime" && Mentions(tokens, source)) return RuntimeSystem(source);
  }
  return {};
}

bool IsWordAt(std::string_view text, size_t at, size_t length) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return (at == 0 || !word(text[at - 1])) && (at + length >= text.size() || !word(text[at + length]));
}

// The first type or function of a qualified name below its namespaces
// (lowercase, by the runtime's convention): "ws::detail::BindField<A, B>"
// → "BindField", "ws::Signal<bool>::set" → "Signal".
std::string OutermostEntity(std::string_view qualified) {
  std::string name;
  int depth = 0;
  for (size_t i = 0; i <= qualified.size(); ++i) {
    char c = i < qualified.size() ? qualified[i] : ':';
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (depth > 0 || c == '>' || c == ')') continue;
    if (c == ':') {
      if (!name.empty() && std::isupper(static_cast<unsigned char>(name[0]))) return name;
      name.clear();
    } else {
      name += c;
    }
  }
  return {};
}

// The runtime header defining `entity` ("class X", "struct X" first, else
// a function "X("), as its system.
std::string SystemByHeader(const std::string& entity, const SourceInfo& info) {
  if (entity.empty()) return {};
  for (const char* prefix : {"class ", "struct ", ""}) {
    std::string needle = prefix + entity + (*prefix ? "" : "(");
    for (const auto& [display, text] : info.runtime_headers) {
      for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        if (IsWordAt(text, at + std::string_view(prefix).size(), entity.size())) return RuntimeSystem(display);
      }
    }
  }
  return {};
}

}  // namespace

void AddDefinedSymbols(SourceInfo& info, std::string_view nm_output) {
  while (!nm_output.empty()) {
    size_t eol = nm_output.find('\n');
    std::string_view line = nm_output.substr(0, eol);
    nm_output.remove_prefix(eol == std::string_view::npos ? nm_output.size() : eol + 1);
    // "OBJECT: -------- T name" (bitcode has no addresses) or "OBJECT: 0000012a T name".
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    std::string_view rest = line.substr(colon + 2);
    size_t space = rest.find(' ');
    if (space == std::string_view::npos || space + 3 > rest.size() || rest[space + 2] != ' ') continue;
    char type = rest[space + 1];
    if (type != 'T' && type != 't' && type != 'W' && type != 'w') continue;
    std::vector<std::string>& objects = info.definers[Squeeze(rest.substr(space + 3))];
    std::string object(line.substr(0, colon));
    if (std::find(objects.begin(), objects.end(), object) == objects.end()) objects.push_back(object);
  }
  // Link order, whatever order llvm-nm printed the objects in.
  auto rank = [&](const std::string& object) {
    for (size_t i = 0; i < info.sources.size(); ++i) {
      if (SamePath(info.sources[i].first, object)) return i;
    }
    return info.sources.size();
  };
  for (auto& [name, objects] : info.definers) {
    std::vector<std::pair<size_t, std::string>> ranked;
    for (std::string& object : objects) ranked.emplace_back(rank(object), std::move(object));
    std::sort(ranked.begin(), ranked.end());
    objects.clear();
    for (auto& [r, object] : ranked) objects.push_back(std::move(object));
  }
}

std::set<std::string> ComposablesIn(std::string_view text) {
  std::set<std::string> out;
  constexpr std::string_view kMarker = "UI_COMPOSABLE";
  for (size_t at = text.find(kMarker); at != std::string_view::npos; at = text.find(kMarker, at + 1)) {
    size_t line = text.rfind('\n', at);
    std::string_view before = text.substr(line == std::string_view::npos ? 0 : line + 1, at - (line + 1));
    if (before.find('#') != std::string_view::npos || before.find("//") != std::string_view::npos) continue;
    size_t end = text.find_first_of("(;{", at);
    if (end == std::string_view::npos || text[end] != '(') continue;
    size_t stop = end;
    while (stop > at && std::isspace(static_cast<unsigned char>(text[stop - 1]))) --stop;
    size_t start = stop;
    while (start > at && (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '_')) --start;
    if (start < stop && start > at + kMarker.size()) out.emplace(text.substr(start, stop - start));
  }
  return out;
}

std::string RuntimeSystem(std::string_view source) {
  std::string stem = Stem(source);
  return stem == "world" ? "ecs" : stem;
}

Attribution Locate(const std::string& name, const std::string& file, const std::string& component,
                   const std::map<std::string, std::string>& objects, const SourceInfo& info) {
  Attribution a{component, "", ""};
  if (component != "app" && component != "runtime") return a;
  std::string_view plain = StripDedupSuffix(StripBinaryenPrefix(name));
  std::string_view owner = LambdaOwner(plain);
  std::string subject(owner.empty() ? plain : owner);
  std::vector<std::string> candidates;
  if (owner.empty() && FindSource(info, file)) {
    candidates.push_back(file);  // a link without LTO says which copy it kept ...
    if (auto it = info.definers.find(Squeeze(plain)); it != info.definers.end()) {
      for (const std::string& object : it->second) {  // ... of an inline function defined in several
        if (!SamePath(object, file)) candidates.push_back(object);
      }
    }
  } else if (auto it = info.definers.find(Squeeze(subject)); it != info.definers.end()) {
    candidates = it->second;
  } else if (auto whole = info.definers.find(Squeeze(plain)); whole != info.definers.end()) {
    // The owner was inlined before the link; its lambda's code is where it was.
    candidates = whole->second;
  }
  if (owner.empty() && !candidates.empty() && !FindSource(info, file) && ComponentByName(plain) == "app") {
    // LTO hid the object and the name says nothing ("app" is the default):
    // the defining object's component (the runtime's __wrap_malloc).
    std::string by_object = ComponentOfObject(objects, candidates[0]);
    if (by_object == "runtime") a.component = by_object;
  }
  if (!owner.empty()) {
    // A lambda's code is its owner's, whatever template wraps it.
    std::string by_owner = ComponentByName(owner);
    if (by_owner == "app" || by_owner == "runtime") a.component = by_owner;
  }
  std::vector<std::string> tokens = Tokens(QualifiedName(subject));
  const std::pair<std::string, std::string>* chosen = nullptr;
  for (const std::string& object : candidates) {
    const auto* source = FindSource(info, object);
    if (source && ComponentOfObject(objects, object) == a.component) {
      chosen = source;
      break;
    }
  }
  if (a.component == "runtime") {
    // An inline or template function is defined wherever it is used: the
    // system its name mentions, else the header defining it, says more.
    std::string by_name = candidates.size() == 1 && chosen ? "" : SystemByName(tokens, info, objects);
    if (by_name.empty() && (!chosen || candidates.size() > 1)) {
      std::string entity = OutermostEntity(QualifiedName(subject));
      by_name = SystemByHeader(entity.empty() ? Unqualified(QualifiedName(subject)) : entity, info);
    }
    a.part = !by_name.empty() ? by_name : chosen ? RuntimeSystem(chosen->second) : "";
    return a;
  }
  if (!chosen) return a;
  a.part = chosen->second;
  std::string unqualified = Unqualified(QualifiedName(subject));
  if (info.composables.count(unqualified)) a.composable = unqualified;
  return a;
}

}  // namespace ws::size
