// Number formatting, escaping and aligned text tables shared by the
// size-reports renderers. Internal to size-reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ws::size {

// 152027 → "152,027".
std::string Grouped(uint64_t n);
// Signed byte counts: "+1,234", "-56", "0".
std::string SignedGrouped(int64_t n);
// 49811 → "48.6 KiB", 512 → "512 B", 5 MiB → "5.0 MiB".
std::string HumanBytes(uint64_t n);
// As written in a budget: "400 KiB" when whole, else like HumanBytes.
std::string HumanLimit(uint64_t n);
// "+1.2 KiB", "-300 B", "0 B".
std::string SignedHuman(int64_t n);
// 12.34 → "12.3%"; "+2.5%" / "-0.4%" with Signed.
std::string Percent(double percent);
std::string SignedPercent(double percent);
// part / whole as a percent; 0 when whole is 0.
double Share(double part, double whole);
// Milliseconds: "512 ms", "1.29 s".
std::string Millis(double ms);
std::string SignedMillis(double ms);
// Fixed decimals: Fixed(3.14159, 1) = "3.1".
std::string Fixed(double value, int decimals);

std::string EscapeHtml(std::string_view s);  // & < > " '
std::string EscapeXml(std::string_view s);   // the same, plus control characters dropped
// Markdown text or a table cell: | and backslashes escaped, < > as
// entities (no raw HTML), newlines flattened.
std::string EscapeMarkdownCell(std::string_view s);
// A Markdown code span of `s` for a table cell.
std::string MarkdownCode(std::string_view s);
// At most `width` characters: "long na..." (ASCII, so that columns align).
std::string Truncate(std::string_view s, size_t width);

// A table rendered as aligned plain text, Markdown or HTML. Cells are
// raw text; each renderer escapes them. `code` columns hold names: a code
// span in Markdown, truncated to kNameWidth in plain text.
class Table {
 public:
  enum Align { kLeft, kRight };
  struct Column {
    std::string header;
    Align align = kLeft;
    bool code = false;
  };
  static constexpr size_t kNameWidth = 100;

  explicit Table(std::vector<Column> columns);
  // `mark`: a row class ("fail", "new", ...): HTML gets it as the row's class.
  void Row(std::vector<std::string> cells, std::string mark = "");
  bool empty() const { return rows_.empty(); }

  std::string Text(std::string_view indent = "  ") const;
  std::string Markdown() const;
  std::string Html() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> marks_;
};

}  // namespace ws::size
