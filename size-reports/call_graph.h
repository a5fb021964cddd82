// Why a function is in a module (twiggy's `dominators`, `paths` and
// `garbage`): the call graph read from the code and element sections, its
// roots, the dominator tree with each function's retained size, the
// shortest call path from a root to a function, and what no root reaches.
//
// Edges: `call` / `return_call` and `ref.func` in a body go to their
// target; `call_indirect` (and `return_call_indirect`) goes to every
// function in an element segment, since any of them may sit in the table.
// Roots: exported functions, the start function and the functions the
// element segments place in tables (they may be called from the host or
// through the table). Imported functions are not nodes: they have no body.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws::size {

// Why a function is a root.
struct Root {
  enum Kind { kExport, kStart, kTable };
  Kind kind = kExport;
  std::string name;  // the export's name; "" for start and table
  uint32_t function = 0;
};

struct CallGraph {
  uint32_t imported = 0;                  // functions below this index are imports
  std::vector<uint32_t> size;             // per defined function (index - imported): body bytes
  std::vector<std::vector<uint32_t>> callees;  // per defined function: defined callees, sorted, unique
  std::vector<Root> roots;                // exports (file order), start, table entries
  std::vector<uint32_t> table;            // every function an element segment names, sorted, unique

  size_t Count() const { return size.size(); }
  bool Defined(uint32_t function) const { return function >= imported && function - imported < size.size(); }
};

// Reads the graph; an error for bytes that are not a module or a body
// whose instructions do not decode (an opcode this reader does not know).
Result<CallGraph> ReadCallGraph(std::span<const uint8_t> wasm);

// Edges as given: nodes 0..size.size()-1 are defined functions
// (function index - imported), `roots` are node ids. Built from a module by
// ReadCallGraph, by hand in tests.
struct Dominators {
  static constexpr uint32_t kRoot = UINT32_MAX;  // the virtual root above every root
  std::vector<uint32_t> idom;      // per node: its immediate dominator (a node or kRoot); kUnreachable if none
  std::vector<uint64_t> retained;  // per node: its bytes plus those of every node it dominates
  std::vector<std::vector<uint32_t>> children;  // per node: nodes it immediately dominates, retained desc
  std::vector<uint32_t> top;       // nodes whose idom is kRoot, retained desc
  uint64_t reachable_bytes = 0;    // the virtual root's retained size
  static constexpr uint32_t kUnreachable = UINT32_MAX - 1;
};

// Cooper, Harvey and Kennedy's iterative algorithm over reverse postorder
// ("A Simple, Fast Dominance Algorithm"): near-linear on call graphs.
Dominators ComputeDominators(const std::vector<std::vector<uint32_t>>& callees, const std::vector<uint64_t>& size,
                             const std::vector<uint32_t>& roots);

// Node ids (function index - imported) of the graph's roots, unique.
std::vector<uint32_t> RootNodes(const CallGraph& graph);
Dominators ComputeDominators(const CallGraph& graph);

// The shortest path of calls from a root to `target` (node ids, the root
// first, `target` last); empty when no root reaches it.
std::vector<uint32_t> ShortestPath(const std::vector<std::vector<uint32_t>>& callees,
                                   const std::vector<uint32_t>& roots, uint32_t target);

// Nodes that call `target` directly, ascending.
std::vector<uint32_t> Callers(const std::vector<std::vector<uint32_t>>& callees, uint32_t target);

// Nodes no root reaches, ascending.
std::vector<uint32_t> Unreachable(const std::vector<std::vector<uint32_t>>& callees,
                                  const std::vector<uint32_t>& roots);

// Up to `count` of `names` nearest to `query` (edit distance, case
// insensitive, against the name and its qualified name without return type
// and parameters), nearest first.
std::vector<std::string> NearestNames(const std::string& query, const std::vector<std::string>& names, size_t count);

}  // namespace ws::size
