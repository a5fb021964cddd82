// The graph questions of call_graph.h: dominators and retained sizes,
// shortest paths, unreachable nodes, and the names nearest a missing one.
#include <algorithm>
#include <cctype>
#include <deque>

#include "size-reports/call_graph.h"
#include "wasm-binary/symbol_names.h"

namespace ws::size {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// Reverse postorder of the nodes reachable from `roots` (a virtual root's
// children), iterative: call chains can be deep.
std::vector<uint32_t> ReversePostorder(const std::vector<std::vector<uint32_t>>& callees,
                                       const std::vector<uint32_t>& roots) {
  std::vector<bool> seen(callees.size(), false);
  std::vector<uint32_t> post;
  std::vector<std::pair<uint32_t, size_t>> stack;
  for (uint32_t root : roots) {
    if (seen[root]) continue;
    seen[root] = true;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < callees[node].size()) {
        uint32_t child = callees[node][next++];
        if (!seen[child]) {
          seen[child] = true;
          stack.emplace_back(child, 0);
        }
      } else {
        post.push_back(node);
        stack.pop_back();
      }
    }
  }
  std::reverse(post.begin(), post.end());
  return post;
}

void SortByRetained(std::vector<uint32_t>& nodes, const std::vector<uint64_t>& retained) {
  std::sort(nodes.begin(), nodes.end(), [&](uint32_t a, uint32_t b) {
    return retained[a] != retained[b] ? retained[a] > retained[b] : a < b;
  });
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Dominators ComputeDominators(const std::vector<std::vector<uint32_t>>& callees, const std::vector<uint64_t>& size,
                             const std::vector<uint32_t>& roots) {
  const size_t n = callees.size();
  Dominators d;
  d.idom.assign(n, Dominators::kUnreachable);
  d.retained.assign(n, 0);
  d.children.resize(n);
  std::vector<uint32_t> order = ReversePostorder(callees, roots);
  // The virtual root is number 0 in RPO; node i's number is rpo[i] + 1.
  std::vector<uint32_t> rpo(n, kNone);
  for (size_t i = 0; i < order.size(); ++i) rpo[order[i]] = static_cast<uint32_t>(i + 1);
  std::vector<std::vector<uint32_t>> preds(n);
  for (uint32_t from = 0; from < n; ++from) {
    if (rpo[from] == kNone) continue;
    for (uint32_t to : callees[from]) preds[to].push_back(rpo[from]);
  }
  for (uint32_t root : roots) preds[root].push_back(0);
  // idom by RPO number; 0 is the virtual root.
  std::vector<uint32_t> idom(order.size() + 1, kNone);
  idom[0] = 0;
  auto intersect = [&](uint32_t a, uint32_t b) {
    while (a != b) {
      while (a > b) a = idom[a];
      while (b > a) b = idom[b];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < order.size(); ++i) {
      uint32_t number = static_cast<uint32_t>(i + 1);
      uint32_t best = kNone;
      for (uint32_t p : preds[order[i]]) {
        if (idom[p] == kNone) continue;
        best = best == kNone ? p : intersect(p, best);
      }
      if (best != idom[number]) idom[number] = best, changed = true;
    }
  }
  for (size_t i = 0; i < order.size(); ++i) {
    uint32_t parent = idom[i + 1];
    d.idom[order[i]] = parent == 0 ? Dominators::kRoot : order[parent - 1];
  }
  // Retained sizes: children come after their dominator in RPO.
  for (size_t i = order.size(); i-- > 0;) {
    uint32_t node = order[i];
    d.retained[node] += size[node];
    uint32_t parent = d.idom[node];
    if (parent == Dominators::kRoot) {
      d.reachable_bytes += d.retained[node];
      d.top.push_back(node);
    } else {
      d.retained[parent] += d.retained[node];
      d.children[parent].push_back(node);
    }
  }
  SortByRetained(d.top, d.retained);
  for (auto& c : d.children) SortByRetained(c, d.retained);
  return d;
}

std::vector<uint32_t> RootNodes(const CallGraph& graph) {
  std::vector<uint32_t> nodes;
  for (const Root& r : graph.roots) nodes.push_back(r.function - graph.imported);
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

Dominators ComputeDominators(const CallGraph& graph) {
  std::vector<uint64_t> size(graph.size.begin(), graph.size.end());
  return ComputeDominators(graph.callees, size, RootNodes(graph));
}

std::vector<uint32_t> ShortestPath(const std::vector<std::vector<uint32_t>>& callees,
                                   const std::vector<uint32_t>& roots, uint32_t target) {
  std::vector<uint32_t> parent(callees.size(), kNone);
  std::deque<uint32_t> queue;
  for (uint32_t r : roots) {
    if (parent[r] == kNone) parent[r] = r, queue.push_back(r);
  }
  while (!queue.empty() && parent[target] == kNone) {
    uint32_t node = queue.front();
    queue.pop_front();
    for (uint32_t c : callees[node]) {
      if (parent[c] == kNone) parent[c] = node, queue.push_back(c);
    }
  }
  std::vector<uint32_t> path;
  if (parent[target] == kNone) return path;
  for (uint32_t node = target;; node = parent[node]) {
    path.push_back(node);
    if (parent[node] == node) break;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<uint32_t> Callers(const std::vector<std::vector<uint32_t>>& callees, uint32_t target) {
  std::vector<uint32_t> out;
  for (uint32_t node = 0; node < callees.size(); ++node) {
    if (std::binary_search(callees[node].begin(), callees[node].end(), target)) out.push_back(node);
  }
  return out;
}

std::vector<uint32_t> Unreachable(const std::vector<std::vector<uint32_t>>& callees,
                                  const std::vector<uint32_t>& roots) {
  std::vector<bool> reached(callees.size(), false);
  for (uint32_t node : ReversePostorder(callees, roots)) reached[node] = true;
  std::vector<uint32_t> out;
  for (uint32_t node = 0; node < callees.size(); ++node) {
    if (!reached[node]) out.push_back(node);
  }
  return out;
}

std::vector<std::string> NearestNames(const std::string& query, const std::vector<std::string>& names, size_t count) {
  std::string q = Lower(query);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& name : names) {
    std::string qualified = Lower(wasm::QualifiedName(name));
    size_t last = qualified.rfind("::");
    std::string unqualified = last == std::string::npos ? qualified : qualified.substr(last + 2);
    size_t score = std::min({EditDistance(q, qualified), EditDistance(q, unqualified), EditDistance(q, Lower(name))});
    scored.emplace_back(score, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [score, name] : scored) {
    if (out.size() == count) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace ws::size
