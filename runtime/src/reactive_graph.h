// Runtime-internal controls of the reactive graph, used by the frame loop.
#pragma once

namespace ws::reactive {

// While deferred, writes queue effects instead of running them; the frame's
// effects phase runs them (flush_effects). Turning deferral off flushes.
void SetEffectsDeferred(bool deferred);
bool HasPendingEffects();

}  // namespace ws::reactive
