// wasmship keygen -o KEY: an Ed25519 key pair for signing bundles. The
// secret key goes to KEY (mode 0600), the public key to KEY.pub; both are
// PEM (PKCS#8 and SubjectPublicKeyInfo), readable by OpenSSL and Node.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

int RunKeygen(const std::string& output, bool force, const GlobalOptions& global) {
  std::string pub = output + ".pub";
  for (const std::string& path : {output, pub}) {
    if (fs::exists(path) && !force) {
      std::cerr << "wasmship: error: " << path << " exists; a new key would make every bundle signed with the old "
                << "one unverifiable\nnote: pick another name, or pass --force to replace it\n";
      return kExitUsage;
    }
  }
  Result<bundle::SigningKey> key = bundle::GenerateSigningKey();
  if (!key) {
    std::cerr << "wasmship: error: " << key.error().message << "\n";
    return kExitBuildError;
  }
  // The public key first: a secret key without its public half is the worse leftover.
  Status written = WriteFileAtomically(pub, bundle::PublicKeyPem(key->public_key));
  if (written) written = WriteFileAtomically(output, bundle::SecretKeyPem(*key), 0600);
  if (!written) {
    std::cerr << "wasmship: error: " << written.error().message << "\n";
    return kExitUsage;
  }
  if (!global.quiet) {
    std::cerr << "wrote the secret key to " << output << " (keep it out of version control) and the public key to "
              << pub << "\nkey id " << bundle::KeyIdHex(key->public_key.id) << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddKeygenCommand(CLI::App& parent, const GlobalOptions& global) {
  auto output = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand("keygen", "Create an Ed25519 key pair for signing bundles");
  app->add_option("-o,--output", *output, "Secret key file (the public key goes to FILE.pub)")
      ->required()
      ->option_text("FILE");
  app->add_flag("--force", *force, "Replace existing key files");
  return {app, [output, force, &global] { return RunKeygen(*output, *force, global); }};
}

}  // namespace ws
