#include <gtest/gtest.h>

#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {
namespace {

TEST(ReleaseIndexTest, SortedIndentedAndDeterministic) {
  ReleaseIndex index;
  index.app = "catalog";
  index.version = "1.4.0";
  index.devices["tv-2019"] = {"bundles/catalog-1.4.0-base-128m-release.wsb", "aa", 1200, "base-128m-release",
                              std::nullopt};
  index.devices["ps5"] = {
      "bundles/catalog-1.4.0-simd-threads-512m-release.wsb", "bb", 1500, "simd-threads-512m-release",
      IndexDelta{"bundles/catalog-1.3.0-to-1.4.0-simd-threads-512m-release.wsb", "cc", 90, "dd"}};
  index.variants["base-128m-release"] = {{"mutable_globals", "sign_ext"}, {"tv-2019"}};
  index.variants["simd-threads-512m-release"] = {{"simd", "threads"}, {"ps5"}};
  const std::string expected = R"({
  "app": "catalog",
  "devices": {
    "ps5": {
      "bundle": "bundles/catalog-1.4.0-simd-threads-512m-release.wsb",
      "bytes": 1500,
      "delta": {
        "base_sha256": "dd",
        "bundle": "bundles/catalog-1.3.0-to-1.4.0-simd-threads-512m-release.wsb",
        "bytes": 90,
        "sha256": "cc"
      },
      "sha256": "bb",
      "variant": "simd-threads-512m-release"
    },
    "tv-2019": {
      "bundle": "bundles/catalog-1.4.0-base-128m-release.wsb",
      "bytes": 1200,
      "sha256": "aa",
      "variant": "base-128m-release"
    }
  },
  "variants": {
    "base-128m-release": {
      "devices": [
        "tv-2019"
      ],
      "features": [
        "mutable_globals",
        "sign_ext"
      ]
    },
    "simd-threads-512m-release": {
      "devices": [
        "ps5"
      ],
      "features": [
        "simd",
        "threads"
      ]
    }
  },
  "version": "1.4.0"
}
)";
  EXPECT_EQ(IndexJson(index), expected);
}

TEST(ReleaseIndexTest, EmptyIndexHasEmptyObjects) {
  ReleaseIndex index;
  index.app = "hello";
  index.version = "0.1.0";
  EXPECT_EQ(
      IndexJson(index),
      "{\n  \"app\": \"hello\",\n  \"devices\": {},\n  \"variants\": {},\n  \"version\": \"0.1.0\"\n}\n");
}

}  // namespace
}  // namespace ws::bundle
