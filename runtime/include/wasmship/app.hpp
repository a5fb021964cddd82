// What an app declares: its root composable (UI_APP), its composables
// (UI_COMPOSABLE), and the services it uses (log, fetch).
#ifndef WASMSHIP_APP_HPP_
#define WASMSHIP_APP_HPP_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "wasmship/builder.hpp"
#include "wasmship/trace.hpp"

// Marks a composable: a function returning ws::View that the compose DSL
// may use as an element, its parameters being the element's props.
#define UI_COMPOSABLE [[clang::annotate("wasmship::composable")]]

// Declares the app's root composable (a UI_COMPOSABLE taking no arguments).
// Exactly one source file of an app says UI_APP(Root).
#define UI_APP(Root) \
  ::ws::View ws_app_root() { return Root(); }

// The root the runtime builds at start; defined by UI_APP.
ws::View ws_app_root();

// A compose DSL block: `return compose(R"ui( Column() { ... } )ui");` in a
// UI_COMPOSABLE. `wasmship build` replaces every call with generated C++
// before compiling, so this is never defined: an unexpanded call fails at
// link time. It is global so that composables in any namespace can call it.
ws::View compose(const char* dsl);

namespace ws {

enum class LogLevel : int32_t { Debug = 0, Info = 1, Warning = 2, Error = 3 };
void log(std::string_view message, LogLevel level = LogLevel::Info);

// Tells the device that this release works (call it once its first real
// screen is up): a newly installed update that traps before then is rolled
// back to the previous one. Apps that never call it are judged by frames
// without a trap instead (docs/update-repo.md).
void mark_good();

struct FetchResult {
  int status = 0;    // 200 ok, 404 not found, 422 undecodable
  std::string body;  // for status 200
};
// Loads a file of the app's assets; `done` runs on a later frame.
void fetch(const std::string& url, Callback<void(const FetchResult&)> done);

}  // namespace ws

#endif  // WASMSHIP_APP_HPP_
