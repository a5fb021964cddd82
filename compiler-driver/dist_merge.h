// `wasmship merge DIR... -o OUT`: joins the output directories of the
// shards of one build (`build --shard K/N`, compiler-driver/shard.h) into
// the directory a single build of every variant would have made: the
// variants' modules, bundles and symbol maps copied, index.json and the
// reports rendered again from the merged report.json data.
//
// Refused (nothing written): a directory that is not a shard's, shards of
// different apps, versions, profiles, toolchains, signing keys, device
// matrices or inputs (two commits), a shard given twice, a variant built by
// two shards or by none, a bundle that is not what its report says. The
// output replaces OUT in one rename: never a half-merged directory.
#pragma once

#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"

namespace ws {

enum class MergeStatus {
  kOk,
  kRefused,  // the shards do not make one build: exit 2
  kFailed,   // reading or writing failed: exit 1
};

struct MergeSummary {
  size_t shards = 0;
  size_t variants = 0;
  size_t devices = 0;
};

MergeStatus MergeShards(const std::vector<std::string>& dirs, const std::string& out, MergeSummary& summary,
                        DiagnosticSink& sink);

}  // namespace ws
