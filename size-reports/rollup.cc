// The component tree (component → file or system → composable) and how
// much of the code has a named home.
#include <algorithm>

#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

void Sort(std::vector<Rollup>& nodes) {
  std::sort(nodes.begin(), nodes.end(), [](const Rollup& a, const Rollup& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name;
  });
  for (Rollup& n : nodes) Sort(n.children);
}

Rollup& Child(Rollup& parent, const std::string& name, const std::string& kind) {
  for (Rollup& c : parent.children) {
    if (c.name == name) return c;
  }
  parent.children.push_back({name, kind, 0, 0, {}});
  return parent.children.back();
}

bool HasParts(const std::string& component) { return component == "app" || component == "runtime"; }

}  // namespace

std::vector<Rollup> BuildTree(const std::vector<FunctionSize>& functions, const std::vector<ComponentSize>& components) {
  std::vector<Rollup> tree;
  for (const ComponentSize& c : components) tree.push_back({c.name, "component", c.bytes, c.functions, {}});
  for (const FunctionSize& f : functions) {
    if (f.part.empty() || !HasParts(f.component)) continue;
    auto it = std::find_if(tree.begin(), tree.end(), [&](const Rollup& r) { return r.name == f.component; });
    if (it == tree.end()) continue;
    Rollup& part = Child(*it, f.part, f.component == "runtime" ? "system" : "file");
    part.bytes += f.bytes, ++part.functions;
    if (f.composable.empty()) continue;
    Rollup& composable = Child(part, f.composable, "composable");
    composable.bytes += f.bytes, ++composable.functions;
  }
  Sort(tree);
  return tree;
}

Attributed AttributionOf(const ModuleSizes& sizes) {
  Attributed a;
  for (const FunctionSize& f : sizes.functions) {
    a.code_bytes += f.bytes;
    bool parts = HasParts(f.component);
    if (parts) a.app_runtime_bytes += f.bytes;
    if (!parts || !f.part.empty()) a.named_bytes += f.bytes;
    if (parts && !f.part.empty()) a.app_runtime_named += f.bytes;
  }
  return a;
}

}  // namespace ws::size
