// Where a build's signing key comes from: WASMSHIP_SIGNING_KEY (a key file's
// path, or the PEM text itself, as CI secrets usually are) or the
// manifest's signing.key. Release bundles must be signed; debug bundles are
// signed when a key is configured, and otherwise go out unsigned with a
// warning.
#pragma once

#include <optional>
#include <string>

#include "compiler-driver/manifest.h"
#include "diagnostics/diagnostic.h"
#include "diagnostics/result.h"
#include "ota-bundle/ota_bundle.h"

namespace ws {

constexpr const char* kSigningKeyEnv = "WASMSHIP_SIGNING_KEY";

struct SigningKeySource {
  enum Kind { kNone, kFile, kEnvironment };
  Kind kind = kNone;
  std::string file;  // kFile: an absolute path
  std::string key_id;  // hex; part of the bundle step's cache key
};

// Resolves and loads the key (so that a bad key fails before anything is
// compiled); diagnostics for a missing or malformed key. `required`:
// the profile ships (release).
std::optional<SigningKeySource> ResolveSigningKey(const Manifest& manifest, bool required, DiagnosticSink& sink);

// Loads the key a source names (in `wasmship __package`, which inherits the
// environment).
Result<bundle::SigningKey> LoadSigningKey(const SigningKeySource& source);

// A public key for verifying: --pubkey FILE, else the project's signing
// key's public half; nullopt when neither exists.
Result<std::optional<bundle::PublicKey>> LoadVerifyingKey(const std::string& pubkey_file, const Manifest* manifest);

}  // namespace ws
