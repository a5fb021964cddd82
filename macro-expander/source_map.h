// Maps byte offsets inside a compose block back to line:column of the
// original source file, where diagnostics and #line directives point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "macro-expander/dsl_ast.h"

namespace ws::dsl {

class SourceMap {
 public:
  // `file_text` is the whole file; the block starts at byte `block_offset`.
  SourceMap(std::string_view file_text, uint32_t block_offset, std::string file);

  // 1-based line and column (in bytes, as clang counts) of a file offset.
  std::pair<uint32_t, uint32_t> FilePosition(uint32_t file_offset) const;
  std::pair<uint32_t, uint32_t> BlockPosition(uint32_t block_offset) const {
    return FilePosition(block_offset_ + block_offset);
  }
  Span SpanOf(TextRange range) const;
  TextRange FileRange(TextRange block_range) const {
    return {block_offset_ + block_range.begin, block_offset_ + block_range.end};
  }
  const std::string& file() const { return file_; }

 private:
  std::vector<uint32_t> line_starts_;
  uint32_t block_offset_;
  std::string file_;
};

}  // namespace ws::dsl
