// ToJson: the "size" object of a variant in report.json (docs/report.md).
#include "size-reports/size_reports.h"

namespace ws::size {

Json RollupJson(const Rollup& r) {
  Json out = {{"name", r.name}, {"kind", r.kind}, {"bytes", r.bytes}, {"functions", r.functions}};
  if (!r.children.empty()) {
    out["children"] = Json::array();
    for (const Rollup& c : r.children) out["children"].push_back(RollupJson(c));
  }
  return out;
}

Json AttributionJson(const ModuleSizes& sizes) {
  Attributed a = AttributionOf(sizes);
  return {{"code_bytes", a.code_bytes},
          {"named_bytes", a.named_bytes},
          {"app_runtime_bytes", a.app_runtime_bytes},
          {"app_runtime_named_bytes", a.app_runtime_named}};
}

Json FunctionJson(const FunctionSize& f) {
  Json out = {{"index", f.index}, {"name", f.name}, {"component", f.component}};
  if (!f.part.empty()) out["part"] = f.part;
  if (!f.composable.empty()) out["composable"] = f.composable;
  out["offset"] = f.offset;
  out["bytes"] = f.bytes;
  return out;
}

Json ToJson(const ModuleSizes& sizes) {
  Json sections = Json::array();
  for (const SectionSize& s : sizes.sections) {
    sections.push_back({{"name", s.name}, {"id", s.id}, {"offset", s.offset}, {"bytes", s.bytes}});
  }
  Json components = Json::array();
  for (const ComponentSize& c : sizes.components) {
    components.push_back({{"name", c.name},
                          {"bytes", c.bytes},
                          {"functions", c.functions},
                          {"compressed_estimate", c.compressed_estimate}});
  }
  Json functions = Json::array();
  for (const FunctionSize& f : sizes.functions) functions.push_back(FunctionJson(f));
  Json tree = Json::array();
  for (const Rollup& r : sizes.tree) tree.push_back(RollupJson(r));
  return Json{{"file_bytes", sizes.file_bytes},
              {"sections", std::move(sections)},
              {"components", std::move(components)},
              {"component_tree", std::move(tree)},
              {"attribution", AttributionJson(sizes)},
              {"functions", std::move(functions)}};
}

}  // namespace ws::size
