// AnalyzeModule / NamesFromModule: every byte of a module attributed to one
// section and one component. The structure comes from wasm-binary's
// bounds-checked reader (sections, code bodies, the name section).
#include <algorithm>
#include <set>
#include <string>

#include "size-reports/size_reports.h"
#include "wasm-binary/symbol_names.h"
#include "wasm-binary/module_reader.h"

namespace ws::size {

using wasm::Demangle;
using wasm::ValidUtf8;

namespace {

constexpr int kMaxSectionId = 13;  // tag

std::string SectionName(const wasm::Section& s) {
  static const char* const kNames[] = {"custom", "type",   "import",    "function", "table",
                                       "memory", "global", "export",    "start",    "elem",
                                       "code",   "data",   "datacount", "tag"};
  int id = static_cast<int>(s.id);
  if (id == 0) return "custom:" + ValidUtf8(s.name);
  return kNames[id];
}

bool IsDataSection(int id) { return id == 11 || id == 12; }

void Add(std::map<std::string, ComponentSize>& components, const std::string& name, uint64_t bytes,
         uint32_t functions) {
  ComponentSize& c = components[name];
  c.name = name;
  c.bytes += bytes;
  c.functions += functions;
}

}  // namespace

Result<ModuleSizes> AnalyzeModule(std::span<const uint8_t> wasm, const FunctionNames& names,
                                  const ComponentMap* components) {
  Result<wasm::Module> read = wasm::ReadModule(wasm);
  if (!read) return Error{"not a readable wasm module: " + read.error().message};
  const wasm::Module& module = *read;

  ModuleSizes out;
  out.file_bytes = wasm.size();
  out.sections.push_back({"header", -1, 0, 8});
  std::map<std::string, ComponentSize> by_component;
  Add(by_component, "module", 8, 0);

  const ComponentMap by_name = ComponentMap::ByName();
  const ComponentMap& map = components ? *components : by_name;
  uint64_t body_bytes = 0;
  std::set<std::string> used;
  for (const wasm::FunctionBody& body : module.bodies) {
    FunctionSize f;
    f.index = body.function_index;
    auto name = names.find(body.function_index);
    f.name = name != names.end() && !name->second.empty()
                 ? ValidUtf8(name->second)
                 : "func[" + std::to_string(body.function_index) + "]";
    // Binaryen makes equal names unique (".1", ".2", ... in index order) and
    // the link map is keyed like that; an unoptimized module keeps them equal.
    std::string key = f.name;
    for (int n = 1; !used.insert(key).second; ++n) key = f.name + "." + std::to_string(n);
    Attribution attribution = map.AttributionOf(key);
    f.component = std::move(attribution.component);
    f.part = std::move(attribution.part);
    f.composable = std::move(attribution.composable);
    f.offset = body.offset;
    f.bytes = body.size;
    body_bytes += body.size;
    Add(by_component, f.component, f.bytes, 1);
    out.functions.push_back(std::move(f));
  }

  bool seen_code = false;
  for (const wasm::Section& s : module.sections) {
    int id = static_cast<int>(s.id);
    if (id > kMaxSectionId) {
      return Error{"not a wasm module: unknown section id " + std::to_string(id) + " at byte " +
                   std::to_string(s.offset)};
    }
    out.sections.push_back({SectionName(s), id, s.offset, s.size});
    if (id == 10) {
      if (seen_code || body_bytes > s.size) return Error{"not a wasm module: more than one code section"};
      seen_code = true;
      // The code section's id, size and count: everything but the bodies.
      Add(by_component, "module", s.size - body_bytes, 0);
    } else {
      Add(by_component, IsDataSection(id) ? "data" : "module", s.size, 0);
    }
  }

  std::sort(out.functions.begin(), out.functions.end(), [](const FunctionSize& a, const FunctionSize& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    if (a.name != b.name) return a.name < b.name;
    return a.index < b.index;
  });
  for (auto& [name, c] : by_component) out.components.push_back(std::move(c));
  std::sort(out.components.begin(), out.components.end(), [](const ComponentSize& a, const ComponentSize& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name;
  });
  out.tree = BuildTree(out.functions, out.components);
  return out;
}

FunctionNames NamesFromModule(std::span<const uint8_t> wasm) {
  FunctionNames names;
  Result<wasm::Module> module = wasm::ReadModule(wasm);
  if (!module) return names;
  for (const auto& [index, name] : module->function_names) names[index] = Demangle(name);
  return names;
}

}  // namespace ws::size
