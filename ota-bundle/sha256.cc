// SHA-256 (libsodium), hex, little-endian fields and libsodium start-up: the
// small pieces every other file of ota-bundle uses.
#include <sodium.h>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {
namespace internal {

bool SodiumReady() {
  // sodium_init is itself idempotent and thread-safe; the static only saves
  // the call. It picks the fastest implementations and seeds the RNG.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::array<uint8_t, 32> Sha256(std::span<const uint8_t> bytes) {
  SodiumReady();
  std::array<uint8_t, 32> digest{};
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return digest;
}

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void PutLe(std::vector<uint8_t>& out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint64_t GetLe(std::span<const uint8_t> bytes, size_t offset, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint64_t>(bytes[offset + i]) << (8 * i);
  return value;
}

}  // namespace internal

std::string Sha256Hex(std::span<const uint8_t> bytes) { return internal::Hex(internal::Sha256(bytes)); }

}  // namespace ws::bundle
