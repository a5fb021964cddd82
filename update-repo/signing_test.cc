#include "update-repo/signing.h"

#include <gtest/gtest.h>

#include "update-repo/metadata.h"

namespace ws::tuf {
namespace {

RoleKey NewKey() { return MakeRoleKey(*bundle::GenerateSigningKey()); }

Json KeysOf(std::initializer_list<const RoleKey*> keys) {
  Json out = Json::object();
  for (const RoleKey* k : keys) out[k->keyid] = KeyJson(k->key.public_key);
  return out;
}

TEST(TufSigning, KeyIdIsSha256OfTheCanonicalKey) {
  RoleKey key = NewKey();
  std::string hex = KeyJson(key.key.public_key)["keyval"]["public"];
  std::string canonical = R"({"keytype":"ed25519","keyval":{"public":")" + hex + R"("},"scheme":"ed25519"})";
  EXPECT_EQ(key.keyid, Sha256Hex(canonical));
  Result<bundle::PublicKey> back = ParseKeyJson(KeyJson(key.key.public_key), "k");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bytes, key.key.public_key.bytes);
}

TEST(TufSigning, SignatureCoversTheCanonicalSignedObject) {
  RoleKey key = NewKey();
  Json signed_part = NewSigned("timestamp", 3, 4102444800);
  Result<Json> envelope = SignMetadata(signed_part, {&key});
  ASSERT_TRUE(envelope.ok());
  RoleTrust trust{{key.keyid}, 1};
  EXPECT_TRUE(VerifyThreshold(*envelope, KeysOf({&key}), trust, "timestamp.json").ok());
  // The same values in another key order and with whitespace: still valid.
  Json reparsed = Json::parse((*envelope).dump(4));
  EXPECT_TRUE(VerifyThreshold(reparsed, KeysOf({&key}), trust, "timestamp.json").ok());
  (*envelope)["signed"]["version"] = 4;
  Status tampered = VerifyThreshold(*envelope, KeysOf({&key}), trust, "timestamp.json");
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().message.rfind("arbitrary software attack: timestamp.json has 0 valid", 0), 0u);
}

TEST(TufSigning, ThresholdCountsDistinctTrustedKeys) {
  RoleKey a = NewKey(), b = NewKey(), c = NewKey(), outsider = NewKey();
  Json keys = KeysOf({&a, &b, &c, &outsider});
  RoleTrust two_of_three{{a.keyid, b.keyid, c.keyid}, 2};
  Json signed_part = NewSigned("root", 1, 4102444800);
  EXPECT_TRUE(VerifyThreshold(*SignMetadata(signed_part, {&a, &c}), keys, two_of_three, "root").ok());
  EXPECT_FALSE(VerifyThreshold(*SignMetadata(signed_part, {&a}), keys, two_of_three, "root").ok());
  // The same key twice is one signature; a key outside the role counts for nothing.
  EXPECT_FALSE(VerifyThreshold(*SignMetadata(signed_part, {&a, &a}), keys, two_of_three, "root").ok());
  EXPECT_FALSE(VerifyThreshold(*SignMetadata(signed_part, {&a, &outsider}), keys, two_of_three, "root").ok());
}

TEST(TufSigning, MalformedSignaturesAreIgnoredNotFatal) {
  RoleKey a = NewKey();
  Json envelope = *SignMetadata(NewSigned("snapshot", 1, 4102444800), {&a});
  envelope["signatures"].push_back({{"keyid", a.keyid}, {"sig", "zz"}});
  envelope["signatures"].push_back(42);
  EXPECT_TRUE(VerifyThreshold(envelope, KeysOf({&a}), {{a.keyid}, 1}, "snapshot").ok());
}

TEST(TufMetadata, TimesRoundTripInUtc) {
  EXPECT_EQ(FormatTime(4102444800), "2100-01-01T00:00:00Z");
  EXPECT_EQ(ParseTime("2100-01-01T00:00:00Z"), 4102444800);
  EXPECT_FALSE(ParseTime("2100-01-01 00:00:00").has_value());
  EXPECT_EQ(HashedTargetPath("stable/app-1.wsb", "ab"), "stable/ab.app-1.wsb");
}

}  // namespace
}  // namespace ws::tuf
