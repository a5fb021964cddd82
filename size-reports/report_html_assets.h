// The inline stylesheet and script of report.html (report_html.cc).
// Internal to size-reports.
#pragma once

namespace ws::size {

extern const char kReportCss[];
// Reads the JSON block #ws-treemap-data:
//   {"variants": [{"name", "file_bytes", "components": [{"name", "bytes",
//     "items": [{"name", "bytes", "kind": "function"|"section"}]}]}]}
// fills the #ws-variant selector and draws a squarified treemap of
// components (their items nested) into #ws-treemap; clicking a component
// zooms into its items, #ws-crumb leads back. Every rectangle is a div
// with data-component (and data-function or data-section) and a title.
extern const char kReportScript[];

}  // namespace ws::size
