#include "src/trace.h"

#include <vector>

#include "src/host_api.h"

namespace ws::trace {

bool enabled = false;

// Only builds with the hooks (WS_TRACE, the profile's `trace`) report, and
// only they import ws_host.trace.
#ifdef WS_TRACE
namespace {

// The composables entered and not yet left, innermost last.
std::vector<const char*>& Open() {
  static std::vector<const char*> open;
  return open;
}

int32_t Address(const char* name) { return static_cast<int32_t>(reinterpret_cast<uintptr_t>(name)); }

}  // namespace

void ReportSystem(int32_t system) { host_api::Trace(host_abi::kTraceSystem, system); }

bool EnterComposable(const char* name) {
  std::vector<const char*>& open = Open();
  if (!open.empty() && open.back() == name) return false;
  open.push_back(name);
  host_api::Trace(host_abi::kTraceComposableBegin, Address(name));
  return true;
}

void LeaveComposable(const char* name) {
  std::vector<const char*>& open = Open();
  if (!open.empty()) open.pop_back();
  host_api::Trace(host_abi::kTraceComposableEnd, Address(name));
}
#endif  // WS_TRACE

}  // namespace ws::trace
