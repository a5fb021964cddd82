// Writes the seed corpus of bundle_reader_fuzzer: small valid bundles
// (signed, unsigned, delta) made with the fixed test key and base, and their
// payloads alone, so the fuzzer starts from inputs that reach every check.
// Usage:
//   ota_bundle_fuzz_seeds ota-bundle/testdata/fuzz_seeds
#include <cstdio>
#include <fstream>
#include <string>

#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"

namespace {

bool SaveBytes(const std::string& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// Saves the bundle as NAME.wsb and, for the fuzz target's payload reading,
// its payload alone as NAME.zst.
bool Save(const std::string& dir, const std::string& name, const ws::bundle::BundleInputs& inputs) {
  ws::Result<std::vector<uint8_t>> bytes = ws::bundle::WriteBundle(inputs);
  if (!bytes) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), bytes.error().message.c_str());
    return false;
  }
  ws::bundle::BundleLayout layout = ws::bundle::InspectBundle(*bytes)->second;
  std::span<const uint8_t> payload = std::span(*bytes).subspan(layout.payload_offset, layout.payload_bytes);
  return SaveBytes(dir + "/" + name + ".wsb", *bytes) && SaveBytes(dir + "/" + name + ".zst", payload);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  using namespace ws::bundle;
  std::string dir = argv[1];
  SigningKey key = testing::TestKey();
  std::vector<uint8_t> base = testing::FuzzBase();
  std::vector<uint8_t> wasm = testing::Edited(base, 100, 24);
  std::vector<uint8_t> tiny = testing::TestModule(40, 3);
  bool ok = Save(dir, "signed_full", testing::TestInputs(wasm, &key, {}, 19)) &&
            Save(dir, "unsigned_full", testing::TestInputs(wasm, nullptr, {}, 1)) &&
            Save(dir, "signed_delta", testing::TestInputs(wasm, &key, base, 19)) &&
            Save(dir, "unsigned_delta", testing::TestInputs(wasm, nullptr, base, 3)) &&
            Save(dir, "signed_tiny", testing::TestInputs(tiny, &key, {}, 3));
  return ok ? 0 : 1;
}
