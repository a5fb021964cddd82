// Splits work across workers the host starts (ws_host.spawn_worker) in the
// threads variant. Everywhere else — no threads feature, a host without
// workers, or natively in the runtime's tests — the same code runs inline
// on the calling thread, in the same order of results.
#pragma once

#include <functional>

namespace ws::ui {

// Calls task(i) for every i in [0, count), possibly on several threads at
// once, and returns when all are done. Tasks must only write their own
// results (the caller merges them in index order).
void ParallelFor(int count, const std::function<void(int)>& task);

// Workers running (0 when work runs inline).
int WorkerCount();

}  // namespace ws::ui
