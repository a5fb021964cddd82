#include "update-repo/signing.h"

#include <sodium.h>

#include <set>

#include "platform/atomic_file.h"

namespace ws::tuf {
namespace {

std::string Hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// Exactly `size` bytes of lowercase or uppercase hex.
bool FromHex(const std::string& text, uint8_t* out, size_t size) {
  if (text.size() != size * 2) return false;
  size_t written = 0;
  return sodium_hex2bin(out, size, text.data(), text.size(), nullptr, &written, nullptr) == 0 && written == size;
}

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Json KeyJson(const bundle::PublicKey& key) {
  return Json{{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", Hex(key.bytes.data(), 32)}}}};
}

std::string KeyId(const bundle::PublicKey& key) {
  std::string canonical = *CanonicalJson(KeyJson(key));  // no floats: cannot fail
  return bundle::Sha256Hex(std::span(reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size()));
}

Result<bundle::PublicKey> ParseKeyJson(const Json& key, const std::string& where) {
  if (!key.is_object() || key.value("keytype", "") != "ed25519" || key.value("scheme", "") != "ed25519")
    return Error{where + ": only ed25519 keys (keytype and scheme \"ed25519\") are supported"};
  const Json* value = key.contains("keyval") && key["keyval"].is_object() && key["keyval"].contains("public")
                          ? &key["keyval"]["public"]
                          : nullptr;
  bundle::PublicKey out;
  if (value == nullptr || !value->is_string() || !FromHex(value->get<std::string>(), out.bytes.data(), 32))
    return Error{where + ": keyval.public must be 64 hex digits"};
  return out;
}

RoleKey MakeRoleKey(const bundle::SigningKey& key) { return RoleKey{key, KeyId(key.public_key)}; }

Result<RoleKey> LoadRoleKey(const std::string& path) {
  Result<std::string> text = ReadFile(path, kKeyFile);
  if (!text) return Error{"cannot read the key: " + text.error().message};
  Result<bundle::SigningKey> key = bundle::ParseSigningKey(*text, path);
  if (!key) return key.error();
  return MakeRoleKey(*key);
}

Result<Json> SignMetadata(const Json& signed_part, const std::vector<const RoleKey*>& keys) {
  if (!SodiumReady()) return Error{"libsodium could not start"};
  Result<std::string> canonical = CanonicalJson(signed_part);
  if (!canonical) return canonical.error();
  Json signatures = Json::array();
  for (const RoleKey* key : keys) {
    uint8_t sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(canonical->data()), canonical->size(),
                         key->key.secret.data());
    signatures.push_back({{"keyid", key->keyid}, {"sig", Hex(sig, sizeof sig)}});
  }
  return Json{{"signed", signed_part}, {"signatures", signatures}};
}

Status VerifyThreshold(const Json& envelope, const Json& keys, const RoleTrust& role, const std::string& role_name) {
  if (!envelope.is_object() || !envelope.contains("signed") || !envelope.contains("signatures") ||
      !envelope["signatures"].is_array())
    return Error{role_name + ": malformed metadata: no \"signed\" object or \"signatures\" array"};
  if (!SodiumReady()) return Error{"libsodium could not start"};
  Result<std::string> canonical = CanonicalJson(envelope["signed"]);
  if (!canonical) return Error{role_name + ": malformed metadata: " + canonical.error().message};
  std::set<std::string> trusted(role.keyids.begin(), role.keyids.end());
  std::set<std::string> valid;
  for (const Json& sig : envelope["signatures"]) {
    if (!sig.is_object() || !sig.contains("keyid") || !sig["keyid"].is_string() || !sig.contains("sig") ||
        !sig["sig"].is_string())
      continue;
    std::string keyid = sig["keyid"];
    if (!trusted.count(keyid) || valid.count(keyid) || !keys.is_object() || !keys.contains(keyid)) continue;
    Result<bundle::PublicKey> key = ParseKeyJson(keys[keyid], role_name + " key " + keyid);
    uint8_t raw[crypto_sign_BYTES];
    if (!key || !FromHex(sig["sig"].get<std::string>(), raw, sizeof raw)) continue;
    if (crypto_sign_verify_detached(raw, reinterpret_cast<const uint8_t*>(canonical->data()), canonical->size(),
                                    key->bytes.data()) == 0)
      valid.insert(keyid);
  }
  if (role.threshold < 1) return Error{role_name + ": malformed metadata: a threshold below 1"};
  if (static_cast<int>(valid.size()) < role.threshold)
    return Error{"arbitrary software attack: " + role_name + " has " + std::to_string(valid.size()) +
                 " valid signature(s) from its trusted keys, and its threshold is " + std::to_string(role.threshold)};
  return {};
}

}  // namespace ws::tuf
