#include <gtest/gtest.h>

#include "wasmship/reactive.hpp"

namespace ws {
namespace {

TEST(SignalTest, ReadWriteUpdate) {
  Scope scope = create_scope([] {
    auto count = signal(1);
    EXPECT_EQ(count(), 1);
    count.set(5);
    EXPECT_EQ(count.peek(), 5);
    count.update([](int n) { return n * 2; });
    EXPECT_EQ(count(), 10);
  });
  scope.dispose();
}

TEST(EffectTest, RerunsOnlyWhenAReadSignalChanges) {
  int runs = 0, seen = 0;
  Signal<int> a, b;
  Scope scope = create_scope([&] {
    a = signal(1);
    b = signal(100);
    effect([&] {
      ++runs;
      seen = a();
    });
  });
  EXPECT_EQ(runs, 1);
  a.set(2);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(seen, 2);
  a.set(2);  // same value: nothing to do
  EXPECT_EQ(runs, 2);
  b.set(7);  // not read by the effect
  EXPECT_EQ(runs, 2);
  scope.dispose();
  a.set(3);  // disposed: ignored, no crash
  EXPECT_EQ(runs, 2);
}

TEST(MemoTest, RecomputesOnlyOnInputChangeAndNotifiesOnlyOnValueChange) {
  int computes = 0, effects = 0;
  Signal<int> n;
  Scope scope = create_scope([&] {
    n = signal(1);
    auto parity = memo([&] {
      ++computes;
      return n() % 2;
    });
    effect([&, parity] {
      parity();
      ++effects;
    });
  });
  EXPECT_EQ(computes, 1);
  EXPECT_EQ(effects, 1);
  n.set(3);  // parity unchanged: memo recomputes, effect does not re-run
  EXPECT_EQ(computes, 2);
  EXPECT_EQ(effects, 1);
  n.set(4);
  EXPECT_EQ(computes, 3);
  EXPECT_EQ(effects, 2);
  scope.dispose();
}

TEST(MemoTest, DiamondRunsEachDependentOnce) {
  int runs = 0;
  std::vector<int> sums;
  Signal<int> x;
  Scope scope = create_scope([&] {
    x = signal(1);
    auto doubled = memo([&] { return x() * 2; });
    auto tripled = memo([&] { return x() * 3; });
    effect([&, doubled, tripled] {
      ++runs;
      sums.push_back(doubled() + tripled());
    });
  });
  x.set(2);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(sums, (std::vector<int>{5, 10}));  // never a mixed, stale sum
  scope.dispose();
}

TEST(BatchTest, DefersEffectsToTheEnd) {
  int runs = 0;
  Signal<int> a, b;
  Scope scope = create_scope([&] {
    a = signal(0);
    b = signal(0);
    effect([&] {
      a();
      b();
      ++runs;
    });
  });
  batch([&] {
    a.set(1);
    b.set(1);
    EXPECT_EQ(runs, 1);
  });
  EXPECT_EQ(runs, 2);
  scope.dispose();
}

TEST(UntrackTest, ReadsWithoutSubscribing) {
  int runs = 0;
  Signal<int> a, b;
  Scope scope = create_scope([&] {
    a = signal(0);
    b = signal(0);
    effect([&] {
      a();
      untrack([&] { return b(); });
      ++runs;
    });
  });
  b.set(5);
  EXPECT_EQ(runs, 1);
  a.set(5);
  EXPECT_EQ(runs, 2);
  scope.dispose();
}

TEST(ScopeTest, DisposalRunsCleanupsAndFreesEveryNode) {
  size_t before = live_reactive_nodes();
  int cleanups = 0;
  Signal<int> source;
  Scope outer = create_scope([&] {
    source = signal(0);
    for (int i = 0; i < 10; ++i) {
      auto local = signal(i);
      effect([&, local] {
        source();
        local();
        on_cleanup([&] { ++cleanups; });
      });
    }
    create_scope([&] { on_cleanup([&] { ++cleanups; }); });
  });
  EXPECT_GT(live_reactive_nodes(), before + 20);
  source.set(1);  // each effect re-runs: its previous cleanup runs first
  EXPECT_EQ(cleanups, 10);
  outer.dispose();
  EXPECT_EQ(cleanups, 21);
  EXPECT_EQ(live_reactive_nodes(), before);
}

TEST(EffectTest, NestedEffectsAreDisposedWhenTheOuterReruns) {
  int inner_runs = 0;
  Signal<int> outer_signal, inner_signal;
  Scope scope = create_scope([&] {
    outer_signal = signal(0);
    inner_signal = signal(0);
    effect([&] {
      outer_signal();
      effect([&] {
        inner_signal();
        ++inner_runs;
      });
    });
  });
  EXPECT_EQ(inner_runs, 1);
  outer_signal.set(1);  // the old inner effect is disposed, a new one created
  EXPECT_EQ(inner_runs, 2);
  inner_signal.set(1);  // only the live inner effect runs
  EXPECT_EQ(inner_runs, 3);
  scope.dispose();
}

TEST(EffectTest, SelfRetriggeringEffectStopsInsteadOfHanging) {
  Signal<int> n;
  Scope scope = create_scope([&] {
    n = signal(0);
    effect([&] { n.set(n() + 1); });
  });
  EXPECT_GT(n.peek(), 1);
  scope.dispose();
}

}  // namespace
}  // namespace ws
