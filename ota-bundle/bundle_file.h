// How much of a .wsb file wasmship reads (platform/atomic_file.h): no more
// than the format allows, so that /dev/zero or a huge file given as a
// bundle is refused before it is read.
#pragma once

#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"

namespace ws::bundle {

inline constexpr ReadLimit kBundleFile{"bundle", kMaxBundleBytes};

}  // namespace ws::bundle
