#include "wasm-opt-passes/optimize_request.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

namespace ws::opt {
namespace {

// The number of fields of an aggregate, by the most initializers it takes:
// the test then visits every field, including one added without a
// serialization.
struct AnyField {
  template <typename T>
  operator T() const;
};

template <typename T, size_t... I>
constexpr bool InitializableWith(std::index_sequence<I...>) {
  return requires { T{(void(I), AnyField{})...}; };
}

template <typename T, size_t N = 0>
constexpr size_t FieldCount() {
  if constexpr (!InitializableWith<T>(std::make_index_sequence<N + 1>())) {
    return N;
  } else {
    return FieldCount<T, N + 1>();
  }
}

// Calls `visit` with a reference to each field of `value`.
template <typename T, typename Visit>
void ForEachField(T& value, Visit&& visit) {
  constexpr size_t kCount = FieldCount<T>();
  static_assert(kCount <= 15, "extend ForEachField");
  if constexpr (kCount == 6) {
    auto& [a, b, c, d, e, f] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f));
  } else if constexpr (kCount == 7) {
    auto& [a, b, c, d, e, f, g] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g));
  } else if constexpr (kCount == 8) {
    auto& [a, b, c, d, e, f, g, h] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h));
  } else if constexpr (kCount == 9) {
    auto& [a, b, c, d, e, f, g, h, i] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i));
  } else if constexpr (kCount == 10) {
    auto& [a, b, c, d, e, f, g, h, i, j] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j));
  } else if constexpr (kCount == 11) {
    auto& [a, b, c, d, e, f, g, h, i, j, k] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j), visit(k));
  } else if constexpr (kCount == 12) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j), visit(k),
     visit(l));
  } else if constexpr (kCount == 13) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l, m] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j), visit(k),
     visit(l), visit(m));
  } else if constexpr (kCount == 14) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j), visit(k),
     visit(l), visit(m), visit(n));
  } else if constexpr (kCount == 15) {
    auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o] = value;
    (visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h), visit(i), visit(j), visit(k),
     visit(l), visit(m), visit(n), visit(o));
  } else {
    static_assert(kCount >= 6, "extend ForEachField");
  }
}

// A value different from `value` (a field of a new type needs a case here).
void Perturb(std::string& value) { value += "x"; }
void Perturb(bool& value) { value = !value; }
void Perturb(int& value) { value += 7; }
void Perturb(std::vector<std::string>& value) { value.push_back("extra"); }
void Perturb(Pipeline& value) { value = value == Pipeline::kSize ? Pipeline::kSpeed : Pipeline::kSize; }
void Perturb(Features& value) { value.simd = !value.simd; }

OptimizeRequest Base() {
  OptimizeRequest r;
  r.input = "/p/.wasmship/build/base/app.linked.wasm";
  r.output = "/p/.wasmship/build/base/app-base.wasm.tmp";
  r.report = "/p/.wasmship/build/base/optimizer.json";
  r.symbols = "/p/.wasmship/build/base/symbols.json";
  r.variant = "base";
  r.options.pipeline = Pipeline::kSize;
  r.options.strip_logs_below = 1;
  r.options.strip = true;
  r.options.low_memory_unused = true;
  return r;
}

// Each field perturbed in turn, the others as in Base().
std::vector<OptimizeRequest> EachFieldChanged() {
  std::vector<OptimizeRequest> changed;
  auto perturb_each = [&changed](auto member_of) {
    size_t count = 0;
    OptimizeRequest probe = Base();
    ForEachField(member_of(probe), [&count](auto&) { ++count; });
    for (size_t target = 0; target < count; ++target) {
      OptimizeRequest r = Base();
      size_t at = 0;
      ForEachField(member_of(r), [&](auto& field) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(field)>, OptimizeOptions>) {
          if (at == target) Perturb(field);
        }
        ++at;
      });
      changed.push_back(r);
    }
  };
  perturb_each([](OptimizeRequest& r) -> OptimizeRequest& { return r; });
  perturb_each([](OptimizeRequest& r) -> OptimizeOptions& { return r.options; });
  return changed;
}

TEST(OptimizeRequestTest, EqualRequestsGiveEqualKeys) {
  EXPECT_EQ(OptimizeRequestKey(Base()), OptimizeRequestKey(Base()));
  EXPECT_EQ(OptimizeRequestKey(OptimizeRequest{}), OptimizeRequestKey(OptimizeRequest{}));
}

TEST(OptimizeRequestTest, ChangingAnyFieldChangesTheKey) {
  std::string base = OptimizeRequestKey(Base());
  std::vector<OptimizeRequest> changed = EachFieldChanged();
  // 6 request fields (the last is the options, changed through theirs) + 6 options.
  ASSERT_EQ(changed.size(), FieldCount<OptimizeRequest>() + FieldCount<OptimizeOptions>());
  for (size_t i = 0; i < changed.size(); ++i) {
    if (changed[i] == Base()) continue;  // the `options` slot itself
    EXPECT_NE(OptimizeRequestKey(changed[i]), base) << "field " << i << " is not in the serialization";
  }
}

TEST(OptimizeRequestTest, EveryFieldRoundTrips) {
  std::vector<OptimizeRequest> requests = EachFieldChanged();
  requests.push_back(Base());
  requests.push_back(OptimizeRequest{});
  for (size_t i = 0; i < requests.size(); ++i) {
    Result<OptimizeRequest> read = OptimizeRequestFromJson(OptimizeRequestToJson(requests[i]));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_TRUE(*read == requests[i]) << "field " << i << " does not read back";
  }
}

TEST(OptimizeRequestTest, FeaturesAreExactlyTheListed) {
  OptimizeRequest r = Base();
  r.options.features = Features{};
  r.options.features.sign_ext = false;
  r.options.features.threads = true;
  Result<OptimizeRequest> read = OptimizeRequestFromJson(OptimizeRequestToJson(r));
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->options.features == r.options.features);
}

TEST(OptimizeRequestTest, BadRequestsSayWhichField) {
  nlohmann::json j = OptimizeRequestToJson(Base());
  j["options"]["pipeline"] = "fast";
  Result<OptimizeRequest> read = OptimizeRequestFromJson(j);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "the optimize request's options's pipeline is not debug, size or speed");
  j = OptimizeRequestToJson(Base());
  j["options"]["features"] = {"simd", "warp"};
  read = OptimizeRequestFromJson(j);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("unknown feature 'warp'"), std::string::npos);
  j = OptimizeRequestToJson(Base());
  j.erase("variant");
  read = OptimizeRequestFromJson(j);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "the optimize request has no variant");
  EXPECT_FALSE(OptimizeRequestFromJson(nlohmann::json()));
}

TEST(OptimizeRequestTest, KeepsTheDeviceExportsByDefault) {
  EXPECT_EQ(OptimizeRequest{}.options.keep_exports, DeviceExports());
  EXPECT_EQ(PipelineName(Pipeline::kDebug), "debug");
  EXPECT_EQ(PipelineName(Pipeline::kSpeed), "speed");
}

}  // namespace
}  // namespace ws::opt
