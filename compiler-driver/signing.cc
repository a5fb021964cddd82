#include "compiler-driver/signing.h"

#include <cstdlib>
#include <filesystem>

#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

bool LooksLikePem(const std::string& text) { return text.find("-----BEGIN") != std::string::npos; }

// The environment variable's value: PEM text, or a path to a key file.
Result<bundle::SigningKey> KeyFromEnvironment() {
  const char* value = std::getenv(kSigningKeyEnv);
  std::string text = value != nullptr ? value : "";
  if (LooksLikePem(text)) return bundle::ParseSigningKey(text, kSigningKeyEnv);
  Result<std::string> file = ReadFile(text, kKeyFile);
  if (!file) return Error{std::string(kSigningKeyEnv) + " names '" + text + "', which cannot be read: " + file.error().message};
  return bundle::ParseSigningKey(*file, text);
}

Result<bundle::SigningKey> KeyFromFile(const std::string& path) {
  Result<std::string> file = ReadFile(path, kKeyFile);
  if (!file) return Error{"cannot read the signing key: " + file.error().message};
  return bundle::ParseSigningKey(*file, path);
}

}  // namespace

std::optional<SigningKeySource> ResolveSigningKey(const Manifest& manifest, bool required, DiagnosticSink& sink) {
  SigningKeySource source;
  const char* env = std::getenv(kSigningKeyEnv);
  Result<bundle::SigningKey> key = Error{""};
  if (env != nullptr && *env != '\0') {
    source.kind = SigningKeySource::kEnvironment;
    key = KeyFromEnvironment();
  } else if (!manifest.signing_key.empty()) {
    source.kind = SigningKeySource::kFile;
    source.file = fs::absolute(fs::path(manifest.root) / manifest.signing_key).lexically_normal().string();
    key = KeyFromFile(source.file);
  } else if (required) {
    sink.Error({manifest.path, 0, 0, 1}, "release bundles must be signed, and no signing key is configured",
               {"create a key with `mkdir -p keys && wasmship keygen -o keys/release.key`, then set `signing: { key: keys/release.key }` "
                "in wasmship.yaml or " + std::string(kSigningKeyEnv) + " (a key file's path or its PEM text)"});
    return std::nullopt;
  } else {
    return source;
  }
  if (!key) {
    sink.Error({source.kind == SigningKeySource::kFile ? manifest.path : std::string(), 0, 0, 1}, key.error().message,
               {"`wasmship keygen -o FILE` writes a valid key pair"});
    return std::nullopt;
  }
  source.key_id = bundle::KeyIdHex(key->public_key.id);
  return source;
}

Result<bundle::SigningKey> LoadSigningKey(const SigningKeySource& source) {
  if (source.kind == SigningKeySource::kEnvironment) return KeyFromEnvironment();
  if (source.kind == SigningKeySource::kFile) return KeyFromFile(source.file);
  return Error{"no signing key"};
}

Result<std::optional<bundle::PublicKey>> LoadVerifyingKey(const std::string& pubkey_file, const Manifest* manifest) {
  std::string path = pubkey_file;
  if (path.empty()) {
    // The same precedence as signing: the environment, then the manifest.
    const char* env = std::getenv(kSigningKeyEnv);
    if (env != nullptr && *env != '\0') {
      Result<bundle::SigningKey> key = KeyFromEnvironment();
      if (!key) return Error{key.error().message};
      return std::optional<bundle::PublicKey>(key->public_key);
    }
    if (manifest == nullptr || manifest->signing_key.empty()) return std::optional<bundle::PublicKey>();
    path = (fs::path(manifest->root) / manifest->signing_key).string();
  }
  Result<std::string> text = ReadFile(path, kKeyFile);
  if (!text) return Error{"cannot read the public key: " + text.error().message};
  Result<bundle::PublicKey> key = bundle::ParsePublicKey(*text, path);
  if (!key) return Error{key.error().message};
  return std::optional<bundle::PublicKey>(*key);
}

}  // namespace ws
