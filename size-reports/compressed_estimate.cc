// EstimateCompressedShares: what each component costs in the bundle's
// compressed payload. Each component's bytes (in file order) are
// compressed alone with zstd; the results are scaled so that they sum to
// the real payload size exactly (largest remainder, ties in component
// order), since components compress better together than apart.
#include <zstd.h>

#include <algorithm>
#include <vector>

#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

struct Range {
  uint64_t offset;
  uint64_t bytes;
  std::string component;
};

// The byte ranges of each component, rebuilt from the analysis: function
// bodies, the data sections, and everything else ("module").
std::vector<Range> ComponentRanges(const ModuleSizes& sizes) {
  std::vector<Range> ranges;
  for (const FunctionSize& f : sizes.functions) ranges.push_back({f.offset, f.bytes, f.component});
  for (const SectionSize& s : sizes.sections) {
    if (s.id == 11 || s.id == 12) {
      ranges.push_back({s.offset, s.bytes, "data"});
    } else if (s.id != 10) {
      ranges.push_back({s.offset, s.bytes, "module"});
    } else {
      // The code section's header: from its id up to the first body.
      uint64_t first_body = s.offset + s.bytes;
      for (const FunctionSize& f : sizes.functions) first_body = std::min(first_body, f.offset);
      ranges.push_back({s.offset, first_body - s.offset, "module"});
    }
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });
  return ranges;
}

uint64_t CompressedSize(const std::vector<uint8_t>& bytes, int level) {
  if (bytes.empty()) return 0;
  std::vector<uint8_t> out(ZSTD_compressBound(bytes.size()));
  size_t n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
  return ZSTD_isError(n) ? bytes.size() : n;
}

}  // namespace

void EstimateCompressedShares(ModuleSizes& sizes, std::span<const uint8_t> wasm, uint64_t compressed_total,
                              int level) {
  std::map<std::string, std::vector<uint8_t>> bytes;
  for (const Range& r : ComponentRanges(sizes)) {
    if (r.offset > wasm.size() || r.bytes > wasm.size() - r.offset) continue;  // not this module's analysis
    std::vector<uint8_t>& out = bytes[r.component];
    out.insert(out.end(), wasm.begin() + r.offset, wasm.begin() + r.offset + r.bytes);
  }
  std::vector<uint64_t> alone(sizes.components.size());
  unsigned __int128 sum = 0;
  for (size_t i = 0; i < sizes.components.size(); ++i) {
    auto it = bytes.find(sizes.components[i].name);
    alone[i] = it == bytes.end() ? 0 : CompressedSize(it->second, level);
    sum += alone[i];
  }
  if (sum == 0) {
    for (ComponentSize& c : sizes.components) c.compressed_estimate = 0;
    return;
  }
  // Floor of each exact share, then the remainder to the largest fractions.
  std::vector<std::pair<unsigned __int128, size_t>> fractions;
  uint64_t assigned = 0;
  for (size_t i = 0; i < sizes.components.size(); ++i) {
    unsigned __int128 scaled = static_cast<unsigned __int128>(alone[i]) * compressed_total;
    sizes.components[i].compressed_estimate = static_cast<uint64_t>(scaled / sum);
    assigned += sizes.components[i].compressed_estimate;
    fractions.emplace_back(scaled % sum, i);
  }
  std::sort(fractions.begin(), fractions.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t k = 0; assigned < compressed_total && k < fractions.size(); ++k, ++assigned) {
    ++sizes.components[fractions[k].second].compressed_estimate;
  }
}

}  // namespace ws::size
