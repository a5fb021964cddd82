// Everything an app needs: #include <wasmship/ui.hpp>.
#pragma once

#include "wasmship/app.hpp"
#include "wasmship/builder.hpp"
#include "wasmship/json.hpp"
#include "wasmship/props.hpp"
#include "wasmship/reactive.hpp"

namespace ws {
using namespace ::ws::literals;
}  // namespace ws
