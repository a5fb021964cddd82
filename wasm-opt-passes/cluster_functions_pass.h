// cluster-functions: orders the functions so that similar bodies are
// neighbours, for the compressor.
//
// Devices download modules compressed with zstd -19 --long, so what the
// viewer waits for is the compressed size. zstd finds repeats anywhere in
// the module but pays for a match by the log of its distance; putting
// functions whose encoded bytes look alike next to each other turns far
// matches into near ones. The pass compares the bodies as the binary
// encodes them (MinHash over 3-byte shingles, 128 hashes), builds a greedy
// chain (start at the first function, always continue with the most
// similar one not placed yet), rebuilds the functions in that order and
// regenerates Stack IR. It then compresses the module both ways and keeps
// the new order only when it is smaller, so it never makes a module worse.
//
// Measured on examples/catalog, kSize then strip, `zstd -19 --long` of the
// final module, without → with this pass:
//   release link with names (the build's new flow)  51077 → 49974 (-2.2%)
//   release link, names stripped by wasm-ld          51140 → 49984 (-2.3%)
//   debug profile (O1, no LTO)                       63138 → 62493 (-1.0%)
// The raw size grows by ~600 bytes (call indices get longer LEBs). Putting
// the most-called functions first (1-byte call indices) saved ~700 raw
// bytes but cost 250-600 compressed bytes, and renumbering locals by first
// use cost ~450, so neither is done. Comparing Binaryen IR instead of the
// encoded bytes gained a third as much on release and lost on debug.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "diagnostics/result.h"
#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/custom_pass.h"

namespace ws::opt {

struct ClusterStats {
  uint32_t functions = 0;
  bool applied = false;      // the new order was smaller and is kept
  uint64_t zstd_before = 0;  // zstd -19 --long of the stripped module
  uint64_t zstd_reordered = 0;
};

// Reorders the defined functions of `module`; `settings` are used for the
// Stack IR passes it reruns.
Result<ClusterStats> ClusterFunctions(Module& module, const BinaryenSettings& settings);

// The similarity chain over encoded bodies: a permutation of their indices.
std::vector<uint32_t> SimilarityOrder(const std::vector<std::span<const uint8_t>>& bodies);

// zstd -19 --long size of `bytes`.
uint64_t CompressedSize(std::span<const uint8_t> bytes);

extern const CustomPass kClusterFunctionsPass;

}  // namespace ws::opt
