#include "size-reports/treemap_data.h"

#include <map>
#include <string>
#include <vector>

#include "size-reports/report_view.h"

namespace ws::size {
namespace {

using namespace view;

// A group of the tree while it is being filled: named children in name
// order (the treemap sorts by size itself) and leaves in report order.
struct Group {
  std::string kind;
  std::map<std::string, Group> groups;
  std::vector<Json> leaves;

  Group& Child(const std::string& name, const std::string& child_kind) {
    Group& child = groups[name];
    if (child.kind.empty()) child.kind = child_kind;
    return child;
  }

  // Items with their bytes summed from the leaves up.
  Json Items(uint64_t& bytes) const {
    Json items = Json::array();
    for (const auto& [name, group] : groups) {
      uint64_t group_bytes = 0;
      Json children = group.Items(group_bytes);
      items.push_back({{"name", name}, {"kind", group.kind}, {"bytes", group_bytes}, {"items", children}});
      bytes += group_bytes;
    }
    for (const Json& leaf : leaves) {
      items.push_back(leaf);
      bytes += U64(leaf, "bytes");
    }
    return items;
  }
};

// What component_tree calls each file or system of a component.
std::map<std::string, std::string> PartKinds(const Json& size) {
  std::map<std::string, std::string> kinds;
  for (const Json& component : Array(size, "component_tree")) {
    for (const Json& part : Array(component, "children")) {
      kinds[Str(component, "name") + "\n" + Str(part, "name")] = Str(part, "kind", "file");
    }
  }
  return kinds;
}

void AddFunctions(const Json& size, std::map<std::string, Group>& components) {
  std::map<std::string, std::string> kinds = PartKinds(size);
  for (const Json& f : Array(size, "functions")) {
    std::string component = Str(f, "component", "app");
    Group* group = &components[component];
    if (std::string part = Str(f, "part"); !part.empty()) {
      auto kind = kinds.find(component + "\n" + part);
      group = &group->Child(part, kind == kinds.end() ? "file" : kind->second);
      if (std::string composable = Str(f, "composable"); !composable.empty()) {
        group = &group->Child(composable, "composable");
      }
    }
    group->leaves.push_back({{"name", Str(f, "name", "func[" + std::to_string(U64(f, "index")) + "]")},
                             {"kind", "function"},
                             {"bytes", U64(f, "bytes")}});
  }
}

// Sections: the code section's own header (its bodies are the functions),
// data and data count under "data", the rest under "module".
void AddSections(const Json& size, std::map<std::string, Group>& components) {
  uint64_t functions_in_code = 0;
  for (const Json& f : Array(size, "functions")) functions_in_code += U64(f, "bytes");
  for (const Json& s : Array(size, "sections")) {
    int64_t id = s.is_object() && s.contains("id") && s["id"].is_number_integer() ? s["id"].get<int64_t>() : -1;
    uint64_t bytes = U64(s, "bytes");
    std::string name = Str(s, "name");
    if (id == 10) {
      name = "code (section header)";
      bytes = bytes > functions_in_code ? bytes - functions_in_code : 0;
    }
    components[id == 11 || id == 12 ? "data" : "module"].leaves.push_back(
        {{"name", name}, {"kind", "section"}, {"bytes", bytes}});
  }
}

Json VariantData(const Json& v, const Json& size) {
  std::map<std::string, Group> groups;
  AddFunctions(size, groups);
  AddSections(size, groups);
  Json components = Json::array();
  for (const Json& c : Array(size, "components")) {
    std::string name = Str(c, "name");
    uint64_t summed = 0;
    Json items = groups.count(name) ? groups[name].Items(summed) : Json::array();
    components.push_back(
        {{"name", name}, {"kind", "component"}, {"bytes", U64(c, "bytes")}, {"items", items}});
  }
  return {{"name", Str(v, "name")}, {"file_bytes", U64(size, "file_bytes")}, {"components", components}};
}

}  // namespace

Json TreemapData(const Json& report) {
  Json variants = Json::array();
  for (const Json* v : Variants(report)) {
    if (const Json* size = Field(*v, "size")) variants.push_back(VariantData(*v, *size));
  }
  return Json{{"variants", variants}};
}

}  // namespace ws::size
