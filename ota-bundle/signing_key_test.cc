#include <gtest/gtest.h>
#include <sodium.h>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"

namespace ws::bundle {
namespace {

std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string PemOf(std::string_view label, const std::vector<uint8_t>& der) {
  std::string b64(sodium_base64_ENCODED_LEN(der.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), der.data(), der.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);
  return "-----BEGIN " + std::string(label) + "-----\n" + b64 + "\n-----END " + std::string(label) +
         "-----\n";
}

// The DER inside a PEM text, decoded independently of the code under test.
std::vector<uint8_t> DerOf(const std::string& pem) {
  size_t start = pem.find('\n') + 1;
  size_t end = pem.find("-----END");
  std::string body = pem.substr(start, end - start);
  std::vector<uint8_t> der(body.size());
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(der.data(), der.size(), body.data(), body.size(), "\n", &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL),
            0);
  der.resize(len);
  return der;
}

constexpr std::string_view kPkcs8Prefix = "302e020100300506032b657004220420";
constexpr std::string_view kSpkiPrefix = "302a300506032b6570032100";

TEST(SigningKeyTest, PemRoundTripsAndUsesTheStandardDerPrefixes) {
  Result<SigningKey> key = GenerateSigningKey();
  ASSERT_TRUE(key) << key.error().message;
  std::string secret_pem = SecretKeyPem(*key);
  std::string public_pem = PublicKeyPem(key->public_key);
  EXPECT_TRUE(secret_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  EXPECT_TRUE(secret_pem.ends_with("\n-----END PRIVATE KEY-----\n"));
  EXPECT_TRUE(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_TRUE(public_pem.ends_with("\n-----END PUBLIC KEY-----\n"));

  std::vector<uint8_t> der = DerOf(secret_pem);
  ASSERT_EQ(der.size(), 48u);
  EXPECT_EQ(internal::Hex(std::span(der).first(16)), kPkcs8Prefix);
  EXPECT_TRUE(std::equal(der.begin() + 16, der.end(), key->secret.begin()));  // the seed
  der = DerOf(public_pem);
  ASSERT_EQ(der.size(), 44u);
  EXPECT_EQ(internal::Hex(std::span(der).first(12)), kSpkiPrefix);
  EXPECT_TRUE(std::equal(der.begin() + 12, der.end(), key->public_key.bytes.begin()));

  Result<SigningKey> back = ParseSigningKey(secret_pem, "k.pem");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->secret, key->secret);
  EXPECT_EQ(back->public_key.bytes, key->public_key.bytes);
  EXPECT_EQ(back->public_key.id, key->public_key.id);
  Result<PublicKey> pub = ParsePublicKey(public_pem, "k.pem.pub");
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(pub->bytes, key->public_key.bytes);
  EXPECT_EQ(pub->id, key->public_key.id);
}

TEST(SigningKeyTest, KnownSeedGivesKnownKeyAndId) {
  // RFC 8032, test 1: this seed's public key.
  std::vector<uint8_t> seed = FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  std::vector<uint8_t> der = FromHex(kPkcs8Prefix);
  der.insert(der.end(), seed.begin(), seed.end());
  Result<SigningKey> key = ParseSigningKey(PemOf("PRIVATE KEY", der), "k.pem");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(internal::Hex(key->public_key.bytes),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(KeyIdHex(key->public_key.id), Sha256Hex(key->public_key.bytes).substr(0, 16));
  EXPECT_EQ(KeyIdHex(key->public_key.id).size(), 16u);
}

TEST(SigningKeyTest, PublicKeyFromASecretKeyIsItsPublicHalf) {
  SigningKey key = testing::TestKey(3);
  Result<PublicKey> pub = ParsePublicKey("explanatory text first\n" + SecretKeyPem(key), "k.pem");
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(pub->bytes, key.public_key.bytes);
  EXPECT_EQ(pub->id, key.public_key.id);
}

TEST(SigningKeyTest, GeneratedKeysDiffer) {
  Result<SigningKey> a = GenerateSigningKey();
  Result<SigningKey> b = GenerateSigningKey();
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->public_key.bytes, b->public_key.bytes);
}

std::string ErrorOf(const Result<SigningKey>& r) { return r ? "(ok)" : r.error().message; }
std::string ErrorOf(const Result<PublicKey>& r) { return r ? "(ok)" : r.error().message; }

TEST(SigningKeyTest, MalformedPemsSayWhatIsWrong) {
  EXPECT_EQ(ErrorOf(ParseSigningKey("", "k.pem")), "k.pem: not a PEM key: no \"-----BEGIN ...-----\" line");
  EXPECT_EQ(ErrorOf(ParseSigningKey("-----BEGIN PRIVATE KEY\nMC4=\n", "k.pem")),
            "k.pem: not a PEM key: the \"-----BEGIN\" line does not end in \"-----\"");
  EXPECT_EQ(ErrorOf(ParseSigningKey("-----BEGIN PRIVATE KEY-----\nMC4=\n", "k.pem")),
            "k.pem: the PEM block has no \"-----END PRIVATE KEY-----\" line");
  EXPECT_EQ(ErrorOf(ParseSigningKey(
                "-----BEGIN PRIVATE KEY-----\nMC4C*AEwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n",
                "WASMSHIP_SIGNING_KEY")),
            "WASMSHIP_SIGNING_KEY: the \"PRIVATE KEY\" PEM block is not valid base64");
  EXPECT_EQ(
      ErrorOf(ParseSigningKey("-----BEGIN PRIVATE KEY-----\nMC4=AAAA\n-----END PRIVATE KEY-----\n", "k.pem")),
      "k.pem: the \"PRIVATE KEY\" PEM block is not valid base64");

  // X25519 (OID 1.3.101.110) has the same shape but is not a signing key.
  std::vector<uint8_t> x25519 = FromHex("302e020100300506032b656e04220420");
  x25519.resize(48, 7);
  EXPECT_EQ(ErrorOf(ParseSigningKey(PemOf("PRIVATE KEY", x25519), "k.pem")),
            "k.pem: not an Ed25519 private key: the PKCS#8 DER does not start with "
            "302e020100300506032b657004220420 (Ed25519's)");
  std::vector<uint8_t> short_key = FromHex(kPkcs8Prefix);
  short_key.resize(47, 7);
  EXPECT_EQ(ErrorOf(ParseSigningKey(PemOf("PRIVATE KEY", short_key), "k.pem")),
            "k.pem: not an Ed25519 private key: the PKCS#8 DER is 47 bytes, an Ed25519 one is 48");
  std::vector<uint8_t> tiny = {0x30, 0x2e};
  EXPECT_EQ(ErrorOf(ParseSigningKey(PemOf("PRIVATE KEY", tiny), "k.pem")),
            "k.pem: not an Ed25519 private key: the PKCS#8 DER does not start with "
            "302e020100300506032b657004220420 (Ed25519's)");
  std::vector<uint8_t> long_pub = FromHex(kSpkiPrefix);
  long_pub.resize(45, 7);
  EXPECT_EQ(
      ErrorOf(ParsePublicKey(PemOf("PUBLIC KEY", long_pub), "k.pub")),
      "k.pub: not an Ed25519 public key: the SubjectPublicKeyInfo DER is 45 bytes, an Ed25519 one is 44");

  SigningKey key = testing::TestKey();
  EXPECT_EQ(ErrorOf(ParseSigningKey(PublicKeyPem(key.public_key), "k.pub")),
            "k.pub: this is a public key; signing needs the secret key (\"-----BEGIN PRIVATE KEY-----\", as "
            "written by `wasmship keygen`)");
  EXPECT_EQ(ErrorOf(ParseSigningKey(PemOf("ENCRYPTED PRIVATE KEY", tiny), "k.pem")),
            "k.pem: encrypted keys are not supported; export the key without a passphrase (PKCS#8, "
            "\"-----BEGIN PRIVATE KEY-----\")");
  EXPECT_EQ(ErrorOf(ParseSigningKey(PemOf("RSA PRIVATE KEY", tiny), "k.pem")),
            "k.pem: a \"RSA PRIVATE KEY\" PEM block is not an Ed25519 key; expected \"PRIVATE KEY\"");
  EXPECT_EQ(
      ErrorOf(ParsePublicKey(PemOf("CERTIFICATE", tiny), "k.pub")),
      "k.pub: a \"CERTIFICATE\" PEM block is not an Ed25519 key; expected \"PUBLIC KEY\" or \"PRIVATE KEY\"");
}

TEST(SigningKeyTest, AcceptsCrlfLineEndings) {
  std::string pem = SecretKeyPem(testing::TestKey());
  std::string crlf;
  for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  Result<SigningKey> key = ParseSigningKey(crlf, "k.pem");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->secret, testing::TestKey().secret);
}

}  // namespace
}  // namespace ws::bundle
