// TUF keys and signatures over wasmship's Ed25519 key files (the PEM keys
// `wasmship keygen` writes and bundles are signed with). A key's TUF form is
// {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": HEX}} and
// its keyid the sha256 (hex) of that object's canonical JSON. A metadata
// file is {"signed": {...}, "signatures": [{"keyid", "sig"}]}; each sig is
// the hex Ed25519 signature of the canonical JSON of "signed".
#pragma once

#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "ota-bundle/ota_bundle.h"
#include "update-repo/canonical_json.h"

namespace ws::tuf {

Json KeyJson(const bundle::PublicKey& key);
std::string KeyId(const bundle::PublicKey& key);
// The public key of a TUF key object (ed25519 only); `where` names it in errors.
Result<bundle::PublicKey> ParseKeyJson(const Json& key, const std::string& where);

// A loaded secret key and its TUF keyid.
struct RoleKey {
  bundle::SigningKey key;
  std::string keyid;
};
RoleKey MakeRoleKey(const bundle::SigningKey& key);
// Loads a PEM secret key file (`wasmship keygen`'s).
Result<RoleKey> LoadRoleKey(const std::string& path);

// {"signed": signed_part, "signatures": [...]} signed by every key given.
Result<Json> SignMetadata(const Json& signed_part, const std::vector<const RoleKey*>& keys);

// A role's trust: the keys it may be signed with and how many must sign.
struct RoleTrust {
  std::vector<std::string> keyids;
  int threshold = 1;
};

// Counts the valid signatures of distinct keys of `role` (keys: keyid → key
// object, as in root's "keys" or a delegation's); an error, naming
// `role_name`, unless at least the threshold are valid.
Status VerifyThreshold(const Json& envelope, const Json& keys, const RoleTrust& role, const std::string& role_name);

}  // namespace ws::tuf
