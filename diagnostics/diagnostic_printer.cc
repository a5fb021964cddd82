#include "diagnostics/diagnostic_printer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace ws {
namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kMagenta = "\033[1;35m";
constexpr const char* kCyan = "\033[1;36m";
constexpr const char* kGreen = "\033[1;32m";
constexpr const char* kReset = "\033[0m";

const char* LevelName(Level level) {
  switch (level) {
    case Level::kNote: return "note";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "error";
}

const char* LevelColor(Level level) {
  switch (level) {
    case Level::kNote: return kCyan;
    case Level::kWarning: return kMagenta;
    case Level::kError: return kRed;
  }
  return kRed;
}

std::vector<std::string> ReadLines(const std::string& file) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return lines;  // a FIFO would block
  std::ifstream in(file, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

// A longer line is shown as a window around the column, so that a minified
// or hostile file (`[[[[...` 100,000 deep) does not flood the terminal.
constexpr size_t kMaxExcerptBytes = 160;
constexpr std::string_view kEllipsis = "...";

struct Excerpt {
  std::string text;
  uint32_t column;  // the span's column within `text`
};

Excerpt Clip(const std::string& line, uint32_t column) {
  if (line.size() <= kMaxExcerptBytes) return {line, column};
  size_t at = column > 0 ? column - 1 : 0;
  size_t start = at > kMaxExcerptBytes / 2 ? at - kMaxExcerptBytes / 2 : 0;
  start = std::min(start, line.size() - kMaxExcerptBytes);
  Excerpt out{line.substr(start, kMaxExcerptBytes), static_cast<uint32_t>(at - std::min(at, start) + 1)};
  if (start > 0) {
    out.text.insert(0, kEllipsis);
    out.column += kEllipsis.size();
  }
  if (start + kMaxExcerptBytes < line.size()) out.text += kEllipsis;
  return out;
}

// Tabs are expanded so that the caret lines up under the excerpt.
std::string ExpandTabs(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\t' ? std::string("    ") : std::string(1, c);
  return out;
}

}  // namespace

const std::string* DiagnosticPrinter::SourceLine(const std::string& file,
                                                 uint32_t line) {
  auto it = file_lines_.find(file);
  if (it == file_lines_.end()) it = file_lines_.emplace(file, ReadLines(file)).first;
  if (line == 0 || line > it->second.size()) return nullptr;
  return &it->second[line - 1];
}

void DiagnosticPrinter::PrintExcerpt(const Span& span) {
  const std::string* line = SourceLine(span.file, span.line);
  if (line == nullptr) return;
  Excerpt excerpt = Clip(*line, span.column);
  const std::string* text = &excerpt.text;
  uint32_t column = excerpt.column;
  // The gutter is five wide like clang's, so both read alike in one log.
  std::string number = std::to_string(span.line);
  if (number.size() < 5) number.insert(0, 5 - number.size(), ' ');
  std::string gutter(number.size(), ' ');
  out_ << number << " | " << ExpandTabs(*text) << "\n";
  // Column counts bytes; tabs before it widen by three.
  size_t indent = 0;
  for (uint32_t i = 0; i + 1 < column && i < text->size(); ++i) {
    indent += (*text)[i] == '\t' ? 4 : 1;
  }
  size_t available = text->size() >= column ? text->size() - column + 1 : 1;
  size_t tildes = std::min<size_t>(std::max<uint32_t>(span.length, 1), std::max<size_t>(available, 1)) - 1;
  out_ << gutter << " | " << std::string(indent, ' ')
       << (color_ ? kGreen : "") << '^' << std::string(tildes, '~')
       << (color_ ? kReset : "") << "\n";
}

void DiagnosticPrinter::Print(const Diagnostic& d) {
  if (color_) out_ << kBold;
  if (!d.span.file.empty()) {
    out_ << d.span.file;
    if (d.span.line > 0) out_ << ':' << d.span.line << ':' << d.span.column;
    out_ << ": ";
  } else {
    out_ << "wasmship: ";
  }
  if (color_) out_ << LevelColor(d.level);
  out_ << LevelName(d.level) << ": ";
  if (color_) out_ << kReset << kBold;
  out_ << d.message;
  if (color_) out_ << kReset;
  out_ << "\n";
  if (d.span.line > 0) PrintExcerpt(d.span);
  for (const std::string& note : d.notes) {
    if (color_) out_ << kCyan;
    out_ << "note: ";
    if (color_) out_ << kReset;
    out_ << note << "\n";
  }
}

void DiagnosticPrinter::PrintAll(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) Print(d);
}

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  std::ostringstream out;
  DiagnosticPrinter(out, /*color=*/false).Print(diagnostic);
  return out.str();
}

}  // namespace ws
