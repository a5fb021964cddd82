// Finds things in a wasm binary that Binaryen's C API does not expose:
//
//  * data segments: where each one's bytes sit in the file and at which
//    address an active segment lands. Binaryen 108's C API can read data
//    segments but not change them (and BinaryenGetMemorySegmentByteOffset
//    exits on a non-constant offset), so strip-logs zeroes string bytes in
//    the written binary, at the places found here, and reads it back;
//  * custom sections, by name; DWARF is dropped before Binaryen reads a
//    module (see binaryen_module.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/result.h"

namespace ws::opt {

struct DataSegmentView {
  bool constant_address = false;  // active, at an i32.const offset
  uint32_t address = 0;           // where it lands, when constant_address
  size_t file_offset = 0;         // first byte of its contents in the binary
  uint32_t size = 0;
};

Result<std::vector<DataSegmentView>> FindDataSegments(std::span<const uint8_t> wasm);

// Names of the custom sections, in order.
Result<std::vector<std::string>> CustomSectionNames(std::span<const uint8_t> wasm);

// `wasm` without the custom sections whose name starts with `prefix`;
// `dropped` receives how many bytes went.
Result<std::vector<uint8_t>> WithoutCustomSections(std::span<const uint8_t> wasm, std::string_view prefix,
                                                   uint64_t& dropped);

}  // namespace ws::opt
