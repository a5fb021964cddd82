// Writes a pre-initialization snapshot into a module (docs/preinit.md), the
// wizer idea: the module's memory after start-up becomes its data segments,
// its mutable globals start at their values after start-up, and the export
// that ran the constructors (_initialize) points at a new empty function, so
// that a device starts where the build's run of the start-up ended. (The
// runtime's ws_preinit zeroes its dead stack before it returns: this writer
// cannot tell the stack from zero-initialized data.)
//
// The rest of the module is copied byte for byte: function indices, and with
// them the build's symbol map, stay valid.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws::wasm {

// A global's value after start-up.
struct GlobalValue {
  uint32_t index = 0;   // in the global index space (imports first)
  uint8_t type = 0x7F;  // value type code: 0x7F i32, 0x7E i64, 0x7D f32, 0x7C f64
  uint64_t bits = 0;    // the value's bits (floats as their IEEE bits)
};

struct Snapshot {
  std::vector<uint8_t> memory;       // the whole linear memory
  std::vector<GlobalValue> globals;  // mutable defined globals; others are ignored
};

struct SnapshotOptions {
  std::string empty_export = "_initialize";
  // A run of fewer zero bytes than this stays inside a segment: a segment's
  // header costs about as much as this many zeros, and zstd takes both.
  uint32_t merge_gap = 24;
};

struct SnapshotStats {
  uint32_t segments = 0;
  uint64_t data_bytes = 0;        // bytes in the new data segments
  uint64_t memory_pages = 0;      // the memory's new minimum
};

// A byte range of memory.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
  bool operator==(const ByteRange&) const = default;
};

// The ranges of `memory` holding non-zero bytes, with zero runs shorter than
// `merge_gap` inside them.
std::vector<ByteRange> NonZeroRanges(std::span<const uint8_t> memory, uint32_t merge_gap);

// The module with the snapshot in it. Refused (an error naming why) for a
// module whose memory is imported (the threads variant's shared memory),
// that has passive data segments, or that has no `options.empty_export`.
Result<std::vector<uint8_t>> WriteSnapshot(std::span<const uint8_t> wasm, const Snapshot& snapshot,
                                           const SnapshotOptions& options = {}, SnapshotStats* stats = nullptr);

}  // namespace ws::wasm
