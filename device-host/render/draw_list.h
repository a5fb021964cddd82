// The draw list an app submits each frame (docs/host-abi.md, "Draw list"),
// parsed and checked before anything is drawn.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "host-abi/host_abi.h"

namespace ws::host {

using DrawOp = host_abi::DrawOp;

struct DrawCommand {
  DrawOp op;
  float x = 0, y = 0, w = 0, h = 0;  // RECT, IMAGE, PUSH_CLIP; TEXT uses x, y
  uint32_t rgba = 0;                 // RECT, TEXT
  float radius = 0;                  // RECT
  int32_t image = 0;                 // IMAGE
  float opacity = 1;                 // IMAGE, PUSH_OPACITY (alpha)
  float size = 0;                    // TEXT
  std::string text;                  // TEXT (UTF-8)
  float matrix[6] = {1, 0, 0, 1, 0, 0};  // PUSH_TRANSFORM: a b c d e f
};

struct DrawList {
  std::vector<DrawCommand> commands;
};

// Parses `bytes`; an error names the problem and the byte offset (bad magic,
// truncated command, unknown opcode, unbalanced push/pop, non-finite number).
Result<DrawList> ParseDrawList(std::span<const uint8_t> bytes);

// The inverse of ParseDrawList (for tests and tools).
std::vector<uint8_t> EncodeDrawList(const DrawList& list);

}  // namespace ws::host
