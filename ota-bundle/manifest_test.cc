#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"

namespace ws::bundle {
namespace {

using nlohmann::json;

Manifest Complete() {
  Manifest m = testing::TestManifest();
  m.level = 19;
  m.wasm_bytes = 1234;
  m.payload_bytes = 567;
  m.wasm_sha256 = std::string(64, 'a');
  return m;
}

// The canonical JSON of Complete(), edited.
std::string Edited(void (*edit)(json&)) {
  json j = json::parse(CanonicalJson(Complete()));
  edit(j);
  return j.dump();
}

std::string ErrorOf(std::string_view text) {
  Result<Manifest> m = ParseManifest(text);
  return m ? "(ok)" : m.error().message;
}

TEST(ManifestTest, CanonicalJsonIsSortedAndCompact) {
  EXPECT_EQ(
      CanonicalJson(Complete()),
      "{\"app\":\"catalog\",\"build_id\":\"0123456789abcdef\",\"codec\":\"zstd\",\"created\":1700000000,"
      "\"delta_base\":null,\"devices\":[\"stick-lite\",\"tv-2019\"],\"features\":[\"mutable_globals\","
      "\"sign_ext\"],\"format\":\"wsb1\",\"host_abi\":1,\"level\":19,\"payload_bytes\":567,\"toolchain\":"
      "\"wasmship 0.1.0 clang-19\",\"variant\":\"base-128m-release\",\"version\":\"1.4.0\",\"wasm_bytes\":"
      "1234,\"wasm_sha256\":\"" +
          std::string(64, 'a') + "\"}");
}

TEST(ManifestTest, RoundTrips) {
  Manifest m = Complete();
  Result<Manifest> back = ParseManifest(CanonicalJson(m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
  m.delta_base = std::string(64, 'b');
  m.created = -5;
  m.app = "caf\xc3\xa9 \"quoted\" \\ \x01";
  m.features.clear();
  back = ParseManifest(CanonicalJson(m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
}

TEST(ManifestTest, RejectsWhatIsNotAManifest) {
  EXPECT_EQ(ErrorOf("not json"),
            "manifest: not JSON: parse error at line 1, column 2: syntax error while parsing value - invalid "
            "literal; last read: 'no'");
  EXPECT_EQ(
      ErrorOf(""),
      "manifest: not JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected "
      "end of input; expected '[', '{', or a literal");
  EXPECT_EQ(ErrorOf("[1]"), "manifest: must be a JSON object, not an array");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j.erase("toolchain"); })), "manifest: missing key \"toolchain\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["toolchian"] = "x"; })),
            "manifest: unknown key \"toolchian\"; did you mean 'toolchain'?");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["host_abi"] = "1"; })),
            "manifest: \"host_abi\" must be an integer, not \"1\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["level"] = 19.5; })),
            "manifest: \"level\" must be an integer, not 19.5");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["level"] = 1ull << 40; })),
            "manifest: \"level\" is out of range: 1099511627776");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["wasm_bytes"] = -1; })),
            "manifest: \"wasm_bytes\" must be a non-negative integer, not -1");
  EXPECT_EQ(ErrorOf(Edited([](json& j) {
              j["features"] = {"simd", 3};
            })),
            "manifest: \"features\" must be an array of strings, but item 1 is 3");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["devices"] = json::object(); })),
            "manifest: \"devices\" must be an array of strings, not an object");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["wasm_sha256"] = std::string(64, 'A'); })),
            "manifest: \"wasm_sha256\" must be a sha256 (64 lowercase hex digits), not \"" +
                std::string(64, 'A') + "\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["delta_base"] = 7; })),
            "manifest: \"delta_base\" must be null or a sha256 string, not 7");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["delta_base"] = "abc"; })),
            "manifest: \"delta_base\" must be a sha256 (64 lowercase hex digits), not \"abc\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["format"] = "wsb2"; })),
            "manifest: \"format\" is \"wsb2\"; this version of wasmship reads \"wsb1\"");
  // A newer format is named as such before its unknown keys are.
  EXPECT_EQ(ErrorOf(R"({"format":"wsb2","chunks":[]})"),
            "manifest: \"format\" is \"wsb2\"; this version of wasmship reads \"wsb1\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["format"] = 1; })),
            "manifest: \"format\" must be a string, not 1");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j[std::string(100, 'k')] = 1; })),
            "manifest: unknown key \"" + std::string(77, 'k') + "...\"");
  EXPECT_EQ(ErrorOf(Edited([](json& j) { j["codec"] = "br"; })),
            "manifest: \"codec\" is \"br\"; wsb1 bundles are \"zstd\"");
}

TEST(ManifestTest, RejectsEveryNonCanonicalSpelling) {
  const std::string canonical = CanonicalJson(Complete());
  ASSERT_TRUE(ParseManifest(canonical));
  const std::string expected =
      "manifest: not in canonical form (sorted keys, no whitespace, shortest escapes, as CanonicalJson "
      "writes "
      "it): it differs from the canonical form at byte ";
  EXPECT_EQ(ErrorOf(json::parse(canonical).dump(2)), expected + "1");  // pretty-printed
  EXPECT_EQ(ErrorOf(canonical + "\n"), expected + std::to_string(canonical.size()));
  std::string spaced = canonical;
  spaced.insert(7, " ");  // {"app": "catalog"
  EXPECT_EQ(ErrorOf(spaced), expected + "7");
  std::string escaped = canonical;
  escaped.replace(8, 1, "\\u0063");  // "catalog" with its c escaped
  EXPECT_EQ(ErrorOf(escaped), expected + "8");
  std::string duplicated = canonical;
  duplicated.insert(1, "\"app\":\"other\",");  // the later value wins in the parser; the bytes differ
  EXPECT_EQ(ErrorOf(duplicated), expected + "8");
  // Keys out of order: "build_id" before "app".
  std::string reordered = "{\"build_id\":\"0123456789abcdef\",\"app\":\"catalog\"" +
                          canonical.substr(canonical.find(",\"codec\""));
  EXPECT_EQ(ErrorOf(reordered), expected + "2");
  std::string exponent = canonical;
  exponent.replace(exponent.find("1700000000"), 10, "17e8");
  EXPECT_EQ(ErrorOf(exponent), "manifest: \"created\" must be an integer, not 1700000000.0");
}

}  // namespace
}  // namespace ws::bundle
