#include "src/app.h"

#include "src/animation.h"
#include "src/focus.h"
#include "src/layout.h"
#include "src/reactive_graph.h"
#include "src/render.h"
#include "src/resources.h"
#include "src/trace.h"
#include "src/tree.h"
#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif

namespace ws::ui {
#ifdef WS_PREINIT
namespace {

// Static, so that it is part of the snapshot the build takes.
struct PreinitState {
  bool running = false;      // inside ws_preinit
  bool done = false;         // the snapshot's UI is built, not yet resumed
  bool rebase = false;       // the next frame starts the snapshot's animations
  int32_t width = 0;
  int32_t height = 0;
};
PreinitState g_preinit;

// The part of RunFrame before animation that needs neither the clock nor
// the host's resources: what pre-initialization can do ahead of time.
void SettleLayout() {
  FocusSystem();
  flush_effects();
  LayoutSystem();
}

}  // namespace
#endif  // WS_PREINIT

int32_t StartApp(int32_t width, int32_t height, const Callback<View()>& root) {
  StopApp();
  UiContext& ui = Ui();
  ui.screen_w = static_cast<float>(width);
  ui.screen_h = static_cast<float>(height);
  World& w = ui.world;
  ui.root = w.Create();
  w.Add<TreeNode>(ui.root).widget = Widget::kRoot;
  w.Add<LayoutBox>(ui.root);
  w.Add<Display>(ui.root);
  w.Add<Style>(ui.root);
  reactive::SetEffectsDeferred(false);
  ui.root_scope = create_scope([&] { WithParent(ui.root, [&] { root(); }); });
  // From here on effects run in each frame's effects phase.
  reactive::SetEffectsDeferred(true);
  return 0;
}

int32_t RunFrame(double now_ms) {
  UiContext& ui = Ui();
  ui.now_ms = now_ms;
  ui.stats = {};
  using namespace host_abi;  // the kTrace* systems, each reported as it starts
  trace::System(kTraceInput);
  InputSystem();
  trace::System(kTraceFocus);
  FocusSystem();
  trace::System(kTraceEffects);
  flush_effects();
#ifdef WS_PREINIT
  if (g_preinit.rebase) {
    // Without a snapshot these would have started in this frame.
    RebaseAnimations(now_ms);
    g_preinit.rebase = false;
  }
#endif
  trace::System(kTraceAnimation);
  AnimationSystem(now_ms);
  trace::System(kTraceLayout);
  LayoutSystem();
  // A page built this frame takes its focus now, once it has a layout to
  // scroll by, so its first drawn frame already shows it focused.
  if (FocusPending()) {
    trace::System(kTraceFocus);
    FocusSystem();
    trace::System(kTraceEffects);
    flush_effects();
    trace::System(kTraceLayout);
    LayoutSystem();
  }
  trace::System(kTraceResources);
  ResourceSystem();
  trace::System(kTraceRender);
  RenderSystem();
  trace::System(kTraceSchedule);
  bool more = AnimationsRunning() || reactive::HasPendingEffects() || !ui.input.empty() || ResourcesPending() ||
              FocusPending();
  trace::System(kTraceNoSystem);
#ifdef WS_HOT_RELOAD
  // A restore's window closes on the first idle frame; moving the focus
  // then needs one more frame to show it.
  if (hot_reload::FrameEnded(more)) more = true;
#endif
  return more ? 1 : 0;
}

int32_t QueueInput(int32_t kind, int32_t key) {
  if (kind != host_abi::kInputKeyPress) return 0;
  Ui().input.push_back({kind, key});
  return 1;
}

#ifdef WS_PREINIT
int32_t PreinitApp(int32_t width, int32_t height, const Callback<View()>& root) {
  if (g_preinit.running) {
    // Called again: the build delivered the fetches it answered. As a
    // frame would, the callbacks run before the next effects and layout.
    DeliverFetchCompletions();
  } else {
    g_preinit = {};
    g_preinit.running = true;
    int32_t started = StartApp(width, height, root);
    if (started != 0) {
      g_preinit.running = false;
      return started;
    }
    Ui().now_ms = 0;
  }
  SettleLayout();
  if (FocusPending()) SettleLayout();
  if (FetchesUnfinished()) return host_abi::kPreinitFetching;
  g_preinit.running = false;
  g_preinit.done = true;
  g_preinit.width = width;
  g_preinit.height = height;
  return 0;
}

bool ResumePreinit(int32_t width, int32_t height) {
  if (!g_preinit.done) return false;
  g_preinit.done = false;
  if (width != g_preinit.width || height != g_preinit.height) return false;
  g_preinit.rebase = true;
  IssueDeferredFetches();
  return true;
}

bool Preinitializing() { return g_preinit.running; }
#endif  // WS_PREINIT

void StopApp() {
  UiContext& ui = Ui();
  ui.root_scope.dispose();
  if (ui.world.Alive(ui.root)) DestroySubtree(ui.root);
  ResetUi();
  reactive::SetEffectsDeferred(false);
#ifdef WS_HOT_RELOAD
  hot_reload::Stop();
#endif
}

}  // namespace ws::ui
