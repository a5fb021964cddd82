#include "macro-expander/source_map.h"

#include <algorithm>

namespace ws::dsl {

SourceMap::SourceMap(std::string_view file_text, uint32_t block_offset, std::string file)
    : block_offset_(block_offset), file_(std::move(file)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < file_text.size(); ++i) {
    if (file_text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::pair<uint32_t, uint32_t> SourceMap::FilePosition(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

Span SourceMap::SpanOf(TextRange range) const {
  auto [line, column] = BlockPosition(range.begin);
  auto [end_line, end_column] = BlockPosition(range.end);
  uint32_t length = end_line == line && end_column > column ? end_column - column : 1;
  return {file_, line, column, length};
}

}  // namespace ws::dsl
