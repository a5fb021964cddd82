// ToJson: the "size" object of a variant in report.json (docs/report.md).
#include "size-reports/size_reports.h"

namespace ws::size {

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
  for (const FunctionSize& f : sizes.functions) {
    functions.push_back({{"index", f.index},
                         {"name", f.name},
                         {"component", f.component},
                         {"offset", f.offset},
                         {"bytes", f.bytes}});
  }
  return Json{{"file_bytes", sizes.file_bytes},
              {"sections", std::move(sections)},
              {"components", std::move(components)},
              {"functions", std::move(functions)}};
}

}  // namespace ws::size
