// Internal to size-reports: the page every `wasmship size` view renders
// into (text, Markdown or a small HTML page), a title, a summary line and
// titled tables.
#pragma once

#include <string>
#include <vector>

#include "size-reports/format.h"
#include "size-reports/size_reports.h"

namespace ws::size {

struct Section {
  std::string title;
  Table table;
};

std::string Page(const std::string& title, const std::string& summary, const std::vector<Section>& sections,
                 Format format);

}  // namespace ws::size
