// The jobs of one variant's build (precompile, expand, compile each unit,
// link, optimize) and the state they share while the job pool runs them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "action-cache/action_cache.h"
#include "compiler-driver/build_plan.h"
#include "compiler-driver/build_report.h"
#include "compiler-driver/content_hash.h"
#include "compiler-driver/job_pool.h"
#include "compiler-driver/object_cache.h"
#include "compiler-driver/output_set.h"
#include "platform/atomic_file.h"

namespace ws {

struct UnitState {
  std::string key;          // cache key (compiler, flags, source content)
  std::string expand_key;   // DSL sources: cache key of the expansion
  std::string literals_key; // and of its literal table (CompileUnit::literals)
  std::string source_hash;  // DSL sources: the content hash the expansion's key has
  std::string object_hash;  // content hash of the unit's object, once known
  UnitReport report;
};

struct LinkState {
  std::string key;          // the link's inputs and the optimizer's options
  bool up_to_date = false;  // the module in the output directory is what they make
  std::string link_action;      // action keys (action-cache): the link's,
  std::string optimize_action;  // the optimizer's (once the linked module is known)
  bool linked = false;
  double link_ms = 0;
  double optimize_ms = 0;
  uint64_t module_bytes = 0;
  // A module made by this build: staged (not yet in the output directory)
  // and its content hash. Empty when the module there was up to date.
  std::string module_file;
  std::string module_hash;
  std::string optimizer_report;  // JSON the optimizer wrote (passes, traps, symbols)
  std::string package_key;
  std::string bundle_action;  // the bundle step's action key (empty: not cached)
  double package_ms = 0;
  std::string package_report;  // JSON the bundle step wrote (bundle, delta, size)
};

struct BuildState {
  BuildState(const BuildPlan& plan, bool color, BuildObserver& observer, DiagnosticSink& sink, FileHasher& files,
             OutputSet& outputs, ActionCache& actions)
      : plan(plan), color(color), observer(observer), sink(sink), actions(actions), cache(actions), files(files),
        outputs(outputs), units(plan.units.size()) {
    files.AddAlias(kRuntimeToken, plan.toolchain.runtime_dir);
  }

  // Cache entries name runtime files by this token instead of their path.
  static constexpr const char* kRuntimeToken = "$WASMSHIP_RUNTIME";

  const BuildPlan& plan;
  bool color;
  BuildObserver& observer;
  DiagnosticSink& sink;
  ActionCache& actions;  // shared by every variant: link, optimize and bundle results
  ObjectCache cache;     // over `actions`: results validated by depfiles
  FileHasher& files;  // shared by every variant: a header is hashed once per build
  OutputSet& outputs;  // shared by every variant: the build's outputs change together
  std::vector<UnitState> units;
  LinkState link;
  std::string expander_id;  // identity of wasmship-expander (expansions)
  std::string self_id;      // identity of the wasmship binary (optimize and bundle steps)
  struct {
    std::string key;
  } pch;
};

Job MakePchJob(BuildState& state);
Job MakeExpandJob(BuildState& state, size_t unit, std::vector<size_t> deps);
Job MakeCompileJob(BuildState& state, size_t unit, std::vector<size_t> deps);
Job MakeLinkJob(BuildState& state, std::vector<size_t> deps);
Job MakeOptimizeJob(BuildState& state, size_t link_job);
Job MakePackageJob(BuildState& state, size_t optimize_job);

// The stamp that makes the link up to date: the link's key and the hash of
// the module in the output directory (written by the optimize job).
std::string ModuleStampPath(const BuildPlan& plan);

}  // namespace ws
