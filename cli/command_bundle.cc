// wasmship bundle inspect|verify|delta: look into a .wsb, check it as a
// device would (exit 5 on any problem), or make a delta bundle between two
// releases.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "compiler-driver/manifest.h"
#include "compiler-driver/signing.h"
#include "device-host/app_loader.h"
#include "ota-bundle/bundle_file.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

struct BundleFlags {
  std::string file;
  std::string pubkey;
  std::string base;
  std::string from;
  std::string to;
  std::string output;
  OutputFormat format = OutputFormat::kText;
};

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// The project around the current directory, if any: its signing key is the
// default for verifying and signing.
std::optional<Manifest> NearbyManifest() {
  std::optional<std::string> path = FindManifest(".");
  if (!path) return std::nullopt;
  DiagnosticSink ignored;
  return LoadManifest(*path, ignored);
}

Result<std::optional<bundle::PublicKey>> VerifyingKey(const std::string& pubkey) {
  std::optional<Manifest> manifest = pubkey.empty() ? NearbyManifest() : std::nullopt;
  return LoadVerifyingKey(pubkey, manifest ? &*manifest : nullptr);
}

// A delta's base (`bytes`, read from `path`): a .wsb (its module,
// verified) or a plain .wasm.
Result<std::vector<uint8_t>> BaseModule(const std::string& path, const std::string& bytes,
                                        const bundle::PublicKey* key) {
  if (bytes.rfind("WSB1", 0) != 0) return std::vector<uint8_t>(bytes.begin(), bytes.end());
  bundle::ReadOptions options;
  options.key = key;
  Result<bundle::Bundle> base = bundle::ReadBundle(Bytes(bytes), options);
  if (!base) return Error{path + ": " + base.error().message};
  return std::move(base->wasm);
}

std::string Describe(const bundle::Manifest& m, const bundle::BundleLayout& l) {
  std::string features;
  for (const std::string& f : m.features) features += (features.empty() ? "" : ", ") + f;
  std::string devices;
  for (const std::string& d : m.devices) devices += (devices.empty() ? "" : ", ") + d;
  std::string out;
  out += m.app + " " + m.version + ", variant " + m.variant + " (build " + m.build_id + ")\n";
  out += "  devices     " + devices + "\n";
  out += "  features    " + (features.empty() ? std::string("mvp") : features) + "\n";
  out += "  module      " + std::to_string(m.wasm_bytes) + " bytes, sha256 " + m.wasm_sha256 + "\n";
  out += "  payload     " + std::to_string(l.payload_bytes) + " bytes, " + m.codec + " level " +
         std::to_string(m.level) + (m.delta_base ? ", delta against module " + *m.delta_base : "") + "\n";
  out += "  manifest    " + std::to_string(l.manifest_bytes) + " bytes at " + std::to_string(l.manifest_offset) + "\n";
  out += "  signature   " + (l.is_signed ? "key " + bundle::KeyIdHex(l.key_id) : std::string("none (unsigned)")) + "\n";
  out += "  file        " + std::to_string(l.file_bytes) + " bytes; host ABI " + std::to_string(m.host_abi) +
         "; created " + std::to_string(m.created) + "; " + m.toolchain + "\n";
  return out;
}

int Inspect(const BundleFlags& flags, const GlobalOptions& global) {
  Result<std::string, host::LoadError> bytes = host::ReadBundleFile(flags.file);
  if (!bytes) return Fail(global, ExitCodeFor(bytes.error().kind), bytes.error().message, {}, flags.format);
  auto inspected = bundle::InspectBundle(Bytes(*bytes));
  if (!inspected) return Fail(global, kExitBundleInvalid, flags.file + ": " + inspected.error().message, {}, flags.format);
  const auto& [manifest, layout] = *inspected;
  if (flags.format == OutputFormat::kJson) {
    nlohmann::ordered_json out = nlohmann::ordered_json::parse(bundle::CanonicalJson(manifest));
    out = {{"manifest", out},
           {"layout",
            {{"file_bytes", layout.file_bytes}, {"manifest_offset", layout.manifest_offset},
             {"manifest_bytes", layout.manifest_bytes}, {"payload_offset", layout.payload_offset},
             {"payload_bytes", layout.payload_bytes}, {"signature_offset", layout.signature_offset},
             {"signature_bytes", layout.signature_bytes}, {"signed", layout.is_signed},
             {"key_id", layout.is_signed ? bundle::KeyIdHex(layout.key_id) : ""}}}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << Describe(manifest, layout);
  }
  return kExitOk;
}

int Verify(const BundleFlags& flags, const GlobalOptions& global) {
  Result<std::string, host::LoadError> bytes = host::ReadBundleFile(flags.file);
  if (!bytes) return Fail(global, ExitCodeFor(bytes.error().kind), bytes.error().message);
  Result<std::optional<bundle::PublicKey>> key = VerifyingKey(flags.pubkey);
  if (!key) return Fail(global, kExitUsage, key.error().message);
  if (!*key) {
    return Fail(global, kExitUsage, "no public key to verify " + flags.file + " with",
                {"pass --pubkey KEY.pub, or run inside a project that has a signing key"});
  }
  bundle::ReadOptions options;
  options.key = &**key;
  std::vector<uint8_t> base;
  if (!flags.base.empty()) {
    Result<std::string, host::LoadError> base_bytes = host::ReadBundleFile(flags.base);
    if (!base_bytes) return Fail(global, ExitCodeFor(base_bytes.error().kind), base_bytes.error().message);
    Result<std::vector<uint8_t>> module = BaseModule(flags.base, *base_bytes, options.key);
    if (!module) return Fail(global, kExitBundleInvalid, module.error().message);
    base = std::move(*module);
    options.delta_base = base;
  }
  Result<bundle::Bundle> read = bundle::ReadBundle(Bytes(*bytes), options);
  if (!read) return Fail(global, kExitBundleInvalid, flags.file + ": " + read.error().message);
  std::cout << flags.file << ": ok: " << read->manifest.app << " " << read->manifest.version << " "
            << read->manifest.variant << ", signed by key " << bundle::KeyIdHex(read->layout.key_id) << ", "
            << read->wasm.size() << " bytes of module, sha256 " << read->manifest.wasm_sha256 << "\n";
  return kExitOk;
}

int Delta(const BundleFlags& flags, const GlobalOptions& global) {
  Result<std::optional<bundle::PublicKey>> verifying = VerifyingKey(flags.pubkey);
  if (!verifying) return Fail(global, kExitUsage, verifying.error().message);
  const bundle::PublicKey* key = *verifying ? &**verifying : nullptr;
  // Inputs that cannot be read are usage errors here: there is nothing to verify yet.
  Result<std::string> to_bytes = ReadFile(flags.to, bundle::kBundleFile);
  if (!to_bytes) return Fail(global, kExitUsage, to_bytes.error().message);
  Result<std::string> from_bytes = ReadFile(flags.from, bundle::kBundleFile);
  if (!from_bytes) return Fail(global, kExitUsage, from_bytes.error().message);
  bundle::ReadOptions options;
  options.key = key;
  Result<bundle::Bundle> to = bundle::ReadBundle(Bytes(*to_bytes), options);
  if (!to) return Fail(global, kExitBundleInvalid, flags.to + ": " + to.error().message);
  if (to->manifest.delta_base) return Fail(global, kExitUsage, flags.to + " is itself a delta bundle", {"give the full bundle"});
  Result<std::vector<uint8_t>> base = BaseModule(flags.from, *from_bytes, key);
  if (!base) return Fail(global, kExitBundleInvalid, base.error().message);
  std::optional<Manifest> manifest = NearbyManifest();
  std::optional<bundle::SigningKey> signing;
  if (to->layout.is_signed) {
    DiagnosticSink sink;
    std::optional<SigningKeySource> source = ResolveSigningKey(manifest ? *manifest : Manifest{}, false, sink);
    Result<bundle::SigningKey> loaded = source ? LoadSigningKey(*source) : Result<bundle::SigningKey>(Error{""});
    if (!loaded) {
      return Fail(global, kExitUsage, flags.to + " is signed, and there is no signing key to sign the delta with",
                  {"set WASMSHIP_SIGNING_KEY, or run inside the project whose wasmship.yaml names the key"});
    }
    signing = *loaded;
  }
  bundle::BundleInputs inputs;
  inputs.manifest = to->manifest;
  inputs.wasm = to->wasm;
  inputs.delta_base = *base;
  inputs.compression = {to->manifest.level, true};
  inputs.key = signing ? &*signing : nullptr;
  Result<std::vector<uint8_t>> delta = bundle::WriteBundle(inputs);
  if (!delta) return Fail(global, kExitBuildError, delta.error().message);
  Status written = WriteFileAtomically(flags.output, std::string(delta->begin(), delta->end()));
  if (!written) return Fail(global, kExitUsage, written.error().message);
  std::cout << flags.output << ": " << delta->size() << " bytes (the full bundle is " << to_bytes->size()
            << "), applies to module " << bundle::Sha256Hex(*base) << "\n";
  return kExitOk;
}

}  // namespace

Command AddBundleCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<BundleFlags>();
  CLI::App* app = parent.add_subcommand("bundle", "Inspect, verify or diff .wsb bundles");
  app->require_subcommand(1);
  CLI::App* inspect = app->add_subcommand("inspect", "Print a bundle's manifest and layout");
  inspect->add_option("file", flags->file, "The .wsb file")->required();
  AddFormatOption(*inspect, flags->format, {OutputFormat::kText, OutputFormat::kJson}, "text or json");
  CLI::App* verify = app->add_subcommand("verify", "Check a bundle as a device would (exit 5 on any problem)");
  verify->add_option("file", flags->file, "The .wsb file")->required();
  verify->add_option("--pubkey", flags->pubkey, "Public key (default: the project's signing key)")
      ->option_text("KEY.pub");
  verify->add_option("--base", flags->base, "For a delta bundle: the bundle or module it applies to")
      ->option_text("FILE");
  CLI::App* delta = app->add_subcommand("delta", "Write a delta bundle that turns OLD's module into NEW's");
  delta->add_option("--from", flags->from, "The release the device has (.wsb or .wasm)")->required();
  delta->add_option("--to", flags->to, "The new full bundle")->required();
  delta->add_option("-o,--output", flags->output, "The delta bundle to write")->required();
  delta->add_option("--pubkey", flags->pubkey, "Public key to verify both with (default: the project's)")
      ->option_text("KEY.pub");
  return {app, [flags, inspect, verify, &global] {
            if (inspect->parsed()) return Inspect(*flags, global);
            if (verify->parsed()) return Verify(*flags, global);
            return Delta(*flags, global);
          }};
}

}  // namespace ws
