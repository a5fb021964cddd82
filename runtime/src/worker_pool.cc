#include "src/worker_pool.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "host-abi/host_abi.h"
#include "src/host_api.h"

namespace ws::ui {

#ifdef __wasm_atomics__
namespace {

// Workers beyond the main thread. The host's cores are not known; three
// helpers cover the 4- and 8-core devices of a typical matrix.
constexpr int kWorkers = 3;
constexpr size_t kWorkerStackBytes = 64 * 1024;

// The job all threads share: a generation counter that workers wait on,
// the next index to take, and how many indices are still running.
struct Job {
  std::atomic<int32_t> generation{0};
  std::atomic<int32_t> next{0};
  std::atomic<int32_t> remaining{0};
  int32_t count = 0;
  const std::function<void(int)>* task = nullptr;
};

Job g_job;
int g_workers = -1;  // -1: not started yet

int32_t* Address(std::atomic<int32_t>& a) { return reinterpret_cast<int32_t*>(&a); }

// Takes indices until none are left; the last finisher wakes the caller.
void Work() {
  while (true) {
    int32_t i = g_job.next.fetch_add(1);
    if (i >= g_job.count) return;
    (*g_job.task)(i);
    if (g_job.remaining.fetch_sub(1) == 1) __builtin_wasm_memory_atomic_notify(Address(g_job.remaining), 1);
  }
}

struct WorkerStart {
  uintptr_t stack_top;
};

void StartWorkers() {
  g_workers = 0;
  for (int i = 0; i < kWorkers; ++i) {
    auto* start = static_cast<WorkerStart*>(std::malloc(sizeof(WorkerStart)));
    char* stack = static_cast<char*>(std::aligned_alloc(16, kWorkerStackBytes));
    if (start == nullptr || stack == nullptr) return;
    start->stack_top = reinterpret_cast<uintptr_t>(stack + kWorkerStackBytes);
    if (host_api::SpawnWorker(static_cast<int32_t>(reinterpret_cast<uintptr_t>(start))) != 0) return;
    ++g_workers;
  }
}

}  // namespace

// A worker: on its own stack, waits for each new generation and works.
extern "C" __attribute__((export_name("ws_worker_main"))) void ws_worker_main(int32_t arg) {
  auto* start = reinterpret_cast<WorkerStart*>(static_cast<uintptr_t>(arg));
  uintptr_t top = start->stack_top;
  // Each instance has its own __stack_pointer global, which starts at the
  // main thread's stack: switch to ours before anything uses the stack.
  asm volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\tglobal.set __stack_pointer" : : "r"(top));
  int32_t seen = 0;
  while (true) {
    __builtin_wasm_memory_atomic_wait32(Address(g_job.generation), seen, -1);
    int32_t now = g_job.generation.load();
    if (now == seen) continue;
    seen = now;
    Work();
  }
}
static_assert(host_abi::kExportWorkerMain.name == "ws_worker_main" &&
                  host_abi::SignatureOf<decltype(ws_worker_main)>() == host_abi::kExportWorkerMain.signature,
              "ws_worker_main does not match host-abi/host_abi.h");

void ParallelFor(int count, const std::function<void(int)>& task) {
  if (g_workers < 0) StartWorkers();
  if (g_workers == 0 || count < 2) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  g_job.task = &task;
  g_job.count = count;
  g_job.next.store(0);
  g_job.remaining.store(count);
  g_job.generation.fetch_add(1);
  __builtin_wasm_memory_atomic_notify(Address(g_job.generation), kWorkers);
  Work();
  for (int32_t left = g_job.remaining.load(); left != 0; left = g_job.remaining.load()) {
    __builtin_wasm_memory_atomic_wait32(Address(g_job.remaining), left, -1);
  }
  g_job.task = nullptr;
}

int WorkerCount() {
  if (g_workers < 0) StartWorkers();
  return g_workers;
}

#else

void ParallelFor(int count, const std::function<void(int)>& task) {
  for (int i = 0; i < count; ++i) task(i);
}

int WorkerCount() { return 0; }

#endif

}  // namespace ws::ui
