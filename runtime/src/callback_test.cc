#include "wasmship/callback.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace ws {
namespace {

TEST(CallbackTest, EmptyIsFalseAndCallingItReturnsADefault) {
  Callback<int()> empty;
  EXPECT_FALSE(empty);
  EXPECT_TRUE(empty == nullptr);
  EXPECT_EQ(empty(), 0);
  Callback<void()> nothing = nullptr;
  nothing();  // does nothing, does not crash
  EXPECT_FALSE(nothing);
}

TEST(CallbackTest, CallsTheLambdaWithItsArguments) {
  Callback<std::string(const std::string&, int)> repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  EXPECT_TRUE(repeat);
  EXPECT_EQ(repeat("ab", 3), "ababab");
}

TEST(CallbackTest, ConvertsTheResultAndDiscardsItForVoid) {
  Callback<double()> widened = [] { return 3; };
  EXPECT_EQ(widened(), 3.0);
  int calls = 0;
  Callback<void()> discarded = [&] { return ++calls; };
  discarded();
  EXPECT_EQ(calls, 1);
}

TEST(CallbackTest, NullFunctionPointerAndEmptyStdFunctionMakeAnEmptyCallback) {
  int (*none)() = nullptr;
  EXPECT_FALSE(Callback<int()>(none));
  EXPECT_FALSE(Callback<void()>(std::function<void()>()));
  EXPECT_TRUE(Callback<void()>(std::function<void()>([] {})));
}

TEST(CallbackTest, CopiesShareTheCallableAndTheLastOneDeletesIt) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  Callback<int()> counter = [state = std::move(alive)]() mutable { return ++*state; };
  Callback<int()> copy = counter;
  EXPECT_EQ(counter(), 1);
  EXPECT_EQ(copy(), 2);  // the same captured state
  counter = nullptr;
  EXPECT_FALSE(watch.expired());
  Callback<int()> moved = std::move(copy);
  EXPECT_FALSE(copy);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(moved(), 3);
  moved = Callback<int()>();
  EXPECT_TRUE(watch.expired());
}

TEST(CallbackTest, AssigningToItselfKeepsTheCallable) {
  Callback<int()> one = [] { return 1; };
  Callback<int()>& alias = one;
  one = alias;
  EXPECT_EQ(one(), 1);
}

}  // namespace
}  // namespace ws
