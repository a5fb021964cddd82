#include "size-reports/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ws::size {

std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string SignedGrouped(int64_t n) {
  if (n == 0) return "0";
  uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  return (n < 0 ? "-" : "+") + Grouped(magnitude);
}

std::string Fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.0"
  return s;
}

namespace {

std::string Human(uint64_t n, bool trim_whole) {
  if (n < 1024) return std::to_string(n) + " B";
  const char* unit = "KiB";
  double value = n / 1024.0;
  uint64_t divisor = 1024;
  if (n >= 1024ull * 1024 * 1024) {
    unit = "GiB", value = n / (1024.0 * 1024 * 1024), divisor = 1024ull * 1024 * 1024;
  } else if (n >= 1024ull * 1024) {
    unit = "MiB", value = n / (1024.0 * 1024), divisor = 1024ull * 1024;
  }
  if (trim_whole && n % divisor == 0) return std::to_string(n / divisor) + " " + unit;
  return Fixed(value, 1) + " " + unit;
}

}  // namespace

std::string HumanBytes(uint64_t n) { return Human(n, false); }
std::string HumanLimit(uint64_t n) { return Human(n, true); }

std::string SignedHuman(int64_t n) {
  if (n == 0) return "0 B";
  uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  return (n < 0 ? "-" : "+") + HumanBytes(magnitude);
}

std::string Percent(double percent) { return Fixed(percent, 1) + "%"; }

std::string SignedPercent(double percent) {
  std::string s = Fixed(percent, 1);
  if (s == "0.0") return "0.0%";
  return (percent > 0 ? "+" : "") + s + "%";
}

double Share(double part, double whole) { return whole == 0 ? 0 : part * 100.0 / whole; }

std::string Millis(double ms) {
  if (std::fabs(ms) < 1000) return Fixed(ms, 0) + " ms";
  return Fixed(ms / 1000, 2) + " s";
}

std::string SignedMillis(double ms) {
  std::string s = Millis(std::fabs(ms));
  if (s == "0 ms") return s;
  return (ms < 0 ? "-" : "+") + s;
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeXml(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t') continue;  // not allowed in XML 1.0
    if (c == '\n') {
      out += "&#10;";
      continue;
    }
    out += EscapeHtml(std::string_view(&c, 1));
  }
  return out;
}

std::string EscapeMarkdownCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";  // no raw HTML in a comment
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '|' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c == '\n' || c == '\r' ? ' ' : c;
    }
  }
  return out;
}

std::string MarkdownCode(std::string_view s) {
  // Inside a table a code span still needs \| (GFM splits cells first);
  // a name with a backtick gets a double-backtick span.
  std::string fence = s.find('`') == std::string_view::npos ? "`" : "`` ";
  std::string close = fence == "`" ? "`" : " ``";
  std::string out = fence;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out + close;
}

std::string Truncate(std::string_view s, size_t width) {
  if (s.size() <= width || width < 4) return std::string(s);
  size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a UTF-8 character
  return std::string(s.substr(0, cut)) + "...";
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::Row(std::vector<std::string> cells, std::string mark) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
  marks_.push_back(std::move(mark));
}

std::string Table::Text(std::string_view indent) const {
  auto cell = [&](const std::vector<std::string>& row, size_t c) {
    return columns_[c].code ? Truncate(row[c], kNameWidth) : row[c];
  };
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = columns_[c].header.size();
    for (const auto& row : rows_) width[c] = std::max(width[c], cell(row, c).size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out(indent);
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string pad(width[c] - cells[c].size(), ' ');
      out += columns_[c].align == kRight ? pad + cells[c] : cells[c] + pad;
      if (c + 1 < cells.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> headers;
  for (const Column& c : columns_) headers.push_back(c.header);
  std::string out = line(headers);
  for (const auto& row : rows_) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < columns_.size(); ++c) cells.push_back(cell(row, c));
    out += line(cells);
  }
  return out;
}

std::string Table::Markdown() const {
  std::string out = "|";
  for (const Column& c : columns_) out += " " + EscapeMarkdownCell(c.header) + " |";
  out += "\n|";
  for (const Column& c : columns_) out += c.align == kRight ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (size_t c = 0; c < columns_.size(); ++c) {
      bool name = columns_[c].code && !row[c].empty() && !row[c].starts_with("(");
      out += " " + (name ? MarkdownCode(row[c]) : EscapeMarkdownCell(row[c])) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string Table::Html() const {
  std::string out = "<table>\n<thead><tr>";
  for (const Column& c : columns_) {
    out += c.align == kRight ? "<th class=\"num\">" : "<th>";
    out += EscapeHtml(c.header) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (size_t r = 0; r < rows_.size(); ++r) {
    out += marks_[r].empty() ? "<tr>" : "<tr class=\"" + EscapeHtml(marks_[r]) + "\">";
    for (size_t c = 0; c < columns_.size(); ++c) {
      out += columns_[c].align == kRight ? "<td class=\"num\">"
             : columns_[c].code          ? "<td class=\"name\">"
                                         : "<td>";
      out += EscapeHtml(rows_[r][c]) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace ws::size
