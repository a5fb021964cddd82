// Page: see size_page.h.
#include "size-reports/size_page.h"

#include "size-reports/report_view.h"

namespace ws::size {

std::string Page(const std::string& title, const std::string& summary, const std::vector<Section>& sections,
                 Format format) {
  std::string out;
  switch (format) {
    case Format::kMarkdown:
      out = "### " + EscapeMarkdownCell(title) + "\n\n" + summary + "\n";
      for (const Section& s : sections) out += "\n**" + s.title + "**\n\n" + s.table.Markdown();
      return out;
    case Format::kHtml:
      out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + EscapeHtml(title) +
            "</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}"
            "table{border-collapse:collapse;margin:8px 0 24px}th,td{padding:3px 10px;border-bottom:1px solid "
            "#e3e6ee;"
            "text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
            "td.name{font-family:ui-monospace,monospace;word-break:break-all}tr.grew td{color:#b3261e}"
            "tr.shrank td{color:#1e7b34}</style></head>\n<body>\n<h1>" +
            EscapeHtml(title) + "</h1>\n<p>" + EscapeHtml(summary) + "</p>\n";
      for (const Section& s : sections) out += "<h2>" + EscapeHtml(s.title) + "</h2>\n" + s.table.Html();
      return out + "</body></html>\n";
    case Format::kText:
    case Format::kJson:  // JSON is rendered before a page is made
      break;
  }
  out = title + ": " + summary + "\n";
  for (const Section& s : sections) out += "\n" + s.title + "\n" + s.table.Text();
  return out;
}


}  // namespace ws::size
