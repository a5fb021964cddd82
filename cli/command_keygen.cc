// wasmship keygen -o KEY: an Ed25519 key pair for signing bundles. The
// secret key goes to KEY (mode 0600), the public key to KEY.pub; both are
// PEM (PKCS#8 and SubjectPublicKeyInfo), readable by OpenSSL and Node.
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// Key files are only ever written into an existing directory, over nothing
// or over a regular file: never over a device, FIFO or directory (the
// rename would replace /dev/null itself), never into directories made up
// on the way (a typo would hide the key somewhere unexpected).
std::optional<int> RefuseTarget(const std::string& output, const std::string& pub, const GlobalOptions& global) {
  auto refuse = [&](std::string message, std::string note) {
    return Fail(global, kExitUsage, std::move(message), {std::move(note)});
  };
  if (output.empty()) return refuse("the key file name is empty", "give a path such as keys/release.key");
  std::error_code ec;
  fs::path parent = fs::path(output).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return refuse("the directory " + parent.string() + " of " + output + " does not exist",
                "create it first (mkdir -p " + parent.string() + "), or pick a path in an existing directory");
  }
  for (const std::string& path : {output, pub}) {
    fs::file_status status = fs::status(path, ec);
    if (fs::exists(status) && !fs::is_regular_file(status)) {
      return refuse(path + " exists and is not a regular file (" +
                      (fs::is_directory(status) ? "a directory" : "a device, FIFO or socket") + "); keygen writes keys only to files",
                  "pick a path for the key file, such as keys/release.key");
    }
  }
  return std::nullopt;
}

int RunKeygen(const std::string& output, bool force, const GlobalOptions& global) {
  std::string pub = output + ".pub";
  if (std::optional<int> refused = RefuseTarget(output, pub, global)) return *refused;
  for (const std::string& path : {output, pub}) {
    if (fs::exists(path) && !force) {
      return Fail(global, kExitUsage, path + " exists; a new key would make every bundle signed with the old one unverifiable",
                  {"pick another name, or pass --force to replace it"});
    }
  }
  Result<bundle::SigningKey> key = bundle::GenerateSigningKey();
  if (!key) return Fail(global, kExitBuildError, key.error().message);
  // The public key first: a secret key without its public half is the worse leftover.
  Status written = WriteFileAtomically(pub, bundle::PublicKeyPem(key->public_key));
  if (written) written = WriteFileAtomically(output, bundle::SecretKeyPem(*key), 0600);
  if (!written) return Fail(global, kExitUsage, written.error().message);
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
