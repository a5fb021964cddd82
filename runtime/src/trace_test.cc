#include "src/trace.h"

#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using namespace host_abi;  // kTrace*
using Events = std::vector<std::pair<int32_t, int32_t>>;

class TraceTest : public ::testing::Test {
 protected:
  void TearDown() override { trace::enabled = false; }
};

const char kCard[] = "Card";

View Card() {
  trace::ComposableScope scope(kCard);
  return Box({.width = 10, .height = 10});
}

int32_t Address(const char* name) { return static_cast<int32_t>(reinterpret_cast<uintptr_t>(name)); }

TEST_F(TraceTest, NothingReachesTheHostUntilEnabled) {
  testing::TestApp app([] { Card(); });
  app.Frames(3);
  EXPECT_TRUE(testing::Host().traces.empty());
}

TEST_F(TraceTest, AFrameReportsEachSystemInOrderThenTheEnd) {
  testing::TestApp app([] { Card(); });
  app.Frames(3);  // settled: no page focus pending
  trace::enabled = true;
  testing::Host().traces.clear();
  app.Frame();
  Events expected = {{kTraceSystem, kTraceInput},     {kTraceSystem, kTraceFocus},  {kTraceSystem, kTraceEffects},
                     {kTraceSystem, kTraceAnimation}, {kTraceSystem, kTraceLayout}, {kTraceSystem, kTraceResources},
                     {kTraceSystem, kTraceRender},    {kTraceSystem, kTraceSchedule},
                     {kTraceSystem, kTraceNoSystem}};
  EXPECT_EQ(testing::Host().traces, expected);
}

TEST_F(TraceTest, ComposablesBeginAndEndAroundTheirBodyOnce) {
  trace::enabled = true;
  testing::TestApp app([] {
    trace::ComposableScope outer(kCard);
    Card();  // the same composable innermost again (a for/if builder): not reported twice
  });
  Events expected = {{kTraceComposableBegin, Address(kCard)}, {kTraceComposableEnd, Address(kCard)}};
  EXPECT_EQ(testing::Host().traces, expected);
}

}  // namespace
}  // namespace ws
