// Ed25519 keys (libsodium) and their PEM files. The files are the standard
// DER forms, PKCS#8 for the secret key and SubjectPublicKeyInfo for the public
// key, so `openssl pkey` and Node's crypto.createPrivateKey read them as they
// are. For Ed25519 both DER forms are a fixed prefix followed by 32 raw bytes,
// which is why no ASN.1 parser is needed: anything else is not our key.
#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {
namespace {

// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }
constexpr std::array<uint8_t, 16> kPkcs8Prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                                  0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
// SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits, 32 bytes) }
constexpr std::array<uint8_t, 12> kSpkiPrefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr size_t kRawKeyBytes = 32;
constexpr std::string_view kSecretLabel = "PRIVATE KEY";
constexpr std::string_view kPublicLabel = "PUBLIC KEY";

std::string Pem(std::string_view label, std::span<const uint8_t> der) {
  std::string b64(sodium_base64_ENCODED_LEN(der.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), der.data(), der.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

struct PemBlock {
  std::string label;
  std::vector<uint8_t> der;
};

// The first PEM block of `text`. Text before it is allowed (RFC 7468 calls
// it explanatory text), and so is anything after its END line.
Result<PemBlock> ReadPem(std::string_view text, std::string_view source) {
  const std::string where(source);
  size_t begin = text.find("-----BEGIN ");
  if (begin == std::string_view::npos)
    return Error{where + ": not a PEM key: no \"-----BEGIN ...-----\" line"};
  size_t label_start = begin + 11;
  size_t label_end = text.find("-----", label_start);
  size_t line_end = text.find('\n', label_start);
  if (label_end == std::string_view::npos || (line_end != std::string_view::npos && label_end > line_end))
    return Error{where + ": not a PEM key: the \"-----BEGIN\" line does not end in \"-----\""};
  PemBlock block;
  block.label = std::string(text.substr(label_start, label_end - label_start));
  std::string end_line = "-----END " + block.label + "-----";
  size_t body_start = label_end + 5;
  size_t body_end = text.find(end_line, body_start);
  if (body_end == std::string_view::npos)
    return Error{where + ": the PEM block has no \"" + end_line + "\" line"};
  std::string_view body = text.substr(body_start, body_end - body_start);
  // Base64 never decodes to more than 3/4 of its length.
  block.der.resize(body.size() / 4 * 3 + 3);
  size_t der_len = 0;
  const char* parsed_end = nullptr;
  if (sodium_base642bin(block.der.data(), block.der.size(), body.data(), body.size(), " \t\r\n", &der_len,
                        &parsed_end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      parsed_end != body.data() + body.size()) {
    sodium_memzero(block.der.data(), block.der.size());  // a secret key's partial decode
    return Error{where + ": the \"" + block.label + "\" PEM block is not valid base64"};
  }
  block.der.resize(der_len);
  return block;
}

// The raw 32 bytes behind a fixed DER prefix, or why `der` is not that form.
Result<std::array<uint8_t, kRawKeyBytes>> RawKey(const std::vector<uint8_t>& der,
                                                 std::span<const uint8_t> prefix, std::string_view form,
                                                 std::string_view kind, std::string_view source) {
  std::string what =
      std::string(source) + ": not an Ed25519 " + std::string(kind) + ": the " + std::string(form) + " DER";
  if (der.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), der.begin()))
    return Error{what + " does not start with " + internal::Hex(prefix) + " (Ed25519's)"};
  if (der.size() != prefix.size() + kRawKeyBytes)
    return Error{what + " is " + std::to_string(der.size()) + " bytes, an Ed25519 one is " +
                 std::to_string(prefix.size() + kRawKeyBytes)};
  std::array<uint8_t, kRawKeyBytes> raw{};
  std::copy(der.begin() + static_cast<long>(prefix.size()), der.end(), raw.begin());
  return raw;
}

Error NotAKey(std::string_view label, std::string_view source, bool secret_needed) {
  std::string where(source);
  if (label == "ENCRYPTED PRIVATE KEY")
    return Error{where +
                 ": encrypted keys are not supported; export the key without a passphrase "
                 "(PKCS#8, \"-----BEGIN PRIVATE KEY-----\")"};
  if (secret_needed && label == kPublicLabel)
    return Error{where +
                 ": this is a public key; signing needs the secret key "
                 "(\"-----BEGIN PRIVATE KEY-----\", as written by `wasmship keygen`)"};
  return Error{where + ": a \"" + std::string(label) + "\" PEM block is not an Ed25519 key; expected \"" +
               std::string(secret_needed ? kSecretLabel : "PUBLIC KEY\" or \"PRIVATE KEY") + "\""};
}

}  // namespace

namespace internal {

std::array<uint8_t, kKeyIdBytes> KeyIdOf(const std::array<uint8_t, 32>& public_key) {
  std::array<uint8_t, 32> digest = Sha256(public_key);
  std::array<uint8_t, kKeyIdBytes> id{};
  std::copy_n(digest.begin(), kKeyIdBytes, id.begin());
  return id;
}

SigningKey SigningKeyFromSeed(const std::array<uint8_t, 32>& seed) {
  SodiumReady();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key.bytes.data(), key.secret.data(), seed.data());
  key.public_key.id = KeyIdOf(key.public_key.bytes);
  return key;
}

}  // namespace internal

Result<SigningKey> GenerateSigningKey() {
  if (!internal::SodiumReady()) return Error{"libsodium could not start (no source of randomness?)"};
  std::array<uint8_t, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  SigningKey key = internal::SigningKeyFromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

std::string SecretKeyPem(const SigningKey& key) {
  std::vector<uint8_t> der(kPkcs8Prefix.begin(), kPkcs8Prefix.end());
  der.insert(der.end(), key.secret.begin(), key.secret.begin() + kRawKeyBytes);  // the seed
  std::string pem = Pem(kSecretLabel, der);
  sodium_memzero(der.data(), der.size());
  return pem;
}

std::string PublicKeyPem(const PublicKey& key) {
  std::vector<uint8_t> der(kSpkiPrefix.begin(), kSpkiPrefix.end());
  der.insert(der.end(), key.bytes.begin(), key.bytes.end());
  return Pem(kPublicLabel, der);
}

Result<SigningKey> ParseSigningKey(std::string_view pem, std::string_view source) {
  if (!internal::SodiumReady()) return Error{"libsodium could not start"};
  Result<PemBlock> block = ReadPem(pem, source);
  if (!block) return block.error();
  if (block->label != kSecretLabel) return NotAKey(block->label, source, true);
  Result<std::array<uint8_t, 32>> seed = RawKey(block->der, kPkcs8Prefix, "PKCS#8", "private key", source);
  sodium_memzero(block->der.data(), block->der.size());
  if (!seed) return seed.error();
  SigningKey key = internal::SigningKeyFromSeed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return key;
}

Result<PublicKey> ParsePublicKey(std::string_view pem, std::string_view source) {
  Result<PemBlock> block = ReadPem(pem, source);
  if (!block) return block.error();
  if (block->label == kSecretLabel) {
    Result<SigningKey> key = ParseSigningKey(pem, source);
    if (!key) return key.error();
    return key->public_key;
  }
  if (block->label != kPublicLabel) return NotAKey(block->label, source, false);
  Result<std::array<uint8_t, 32>> raw =
      RawKey(block->der, kSpkiPrefix, "SubjectPublicKeyInfo", "public key", source);
  if (!raw) return raw.error();
  PublicKey key;
  key.bytes = *raw;
  key.id = internal::KeyIdOf(key.bytes);
  return key;
}

std::string KeyIdHex(const std::array<uint8_t, kKeyIdBytes>& id) { return internal::Hex(id); }

}  // namespace ws::bundle
