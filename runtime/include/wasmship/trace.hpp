// The trace hooks generated code calls (`wasmship run --trace`): each
// compose block tells the host where its composable's body begins and ends.
// They cost one load and branch unless the host enabled tracing
// (ws_trace_enable, docs/host-abi.md "Traces").
#ifndef WASMSHIP_TRACE_HPP_
#define WASMSHIP_TRACE_HPP_

namespace ws::trace {

// Set by the ws_trace_enable export; false unless the host records a trace.
extern bool enabled;

// Reports the composable named `name` (a string literal: the host knows it
// by its address) as entered; false when it already is the innermost one
// (a for/if builder of the composable running inside its own block).
bool EnterComposable(const char* name);
void LeaveComposable(const char* name);

#ifdef WS_TRACE
// One composable body on the trace, for the scope of the object.
class ComposableScope {
 public:
  explicit ComposableScope(const char* name) : name_(enabled && EnterComposable(name) ? name : nullptr) {}
  ~ComposableScope() {
    if (name_ != nullptr) LeaveComposable(name_);
  }
  ComposableScope(const ComposableScope&) = delete;
  ComposableScope& operator=(const ComposableScope&) = delete;

 private:
  const char* name_;
};
#else
// Built without the hooks (profiles with `trace: false`, release by
// default): nothing, and the module does not import ws_host.trace.
class ComposableScope {
 public:
  constexpr explicit ComposableScope(const char*) {}
};
#endif

}  // namespace ws::trace

#endif  // WASMSHIP_TRACE_HPP_
