// Everything an app needs: #include <wasmship/ui.hpp>.
#ifndef WASMSHIP_UI_HPP_
#define WASMSHIP_UI_HPP_

#include "wasmship/app.hpp"
#include "wasmship/builder.hpp"
#include "wasmship/format.hpp"
#include "wasmship/json.hpp"
#include "wasmship/props.hpp"
#include "wasmship/reactive.hpp"

namespace ws {
using namespace ::ws::literals;
}  // namespace ws

#endif  // WASMSHIP_UI_HPP_
