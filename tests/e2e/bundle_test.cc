// Signed bundles end to end: keygen, release builds that refuse to go
// unsigned, the release index, verification as a device does it (every
// tampering is exit 5), delta bundles, and interoperability with the stock
// zstd CLI and Node's Ed25519.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kBundle = "dist/bundles/hello-0.1.0-base-128m-release.wsb";

// hello, signed, built for release once per test.
void BuildSignedRelease(ProjectSandbox& project) {
  project.CopyExample("hello");
  project.AddSigningKey();
  RunResult build = project.Wasmship({"build", "-p", "release"}, {"SOURCE_DATE_EPOCH=1700000000"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
}

json Inspect(const ProjectSandbox& project, const std::string& bundle) {
  RunResult inspect = project.Wasmship({"bundle", "inspect", bundle, "--format", "json"});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  return json::parse(inspect.out);
}

// Writes a copy of `from` with the byte at `offset` inverted.
void FlipByte(ProjectSandbox& project, const std::string& from, const std::string& to, size_t offset) {
  std::string bytes = project.Read(from);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(~bytes[offset]);
  project.Write(to, bytes);
}

TEST(BundleTest, KeygenWritesAPemPairAndKeepsTheSecretPrivate) {
  ProjectSandbox project;
  fs::create_directories(project.Path("k"));
  RunResult keygen = project.Wasmship({"keygen", "-o", "k/release.key"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  ExpectContains(project.Read("k/release.key"), "-----BEGIN PRIVATE KEY-----");
  ExpectContains(project.Read("k/release.key.pub"), "-----BEGIN PUBLIC KEY-----");
  struct stat st {};
  ASSERT_EQ(::stat(project.Path("k/release.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string secret = project.Read("k/release.key");
  RunResult again = project.Wasmship({"keygen", "-o", "k/release.key"});
  EXPECT_EQ(again.exit_code, 2);
  ExpectContains(again.err, "k/release.key exists");
  EXPECT_EQ(project.Read("k/release.key"), secret);  // nothing lost
}

TEST(BundleTest, ReleaseRefusesToShipUnsignedAndDebugWarns) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult release = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(release.exit_code, 2);
  ExpectContains(release.err, "release bundles must be signed");
  ExpectContains(release.err, "wasmship keygen");
  EXPECT_FALSE(project.Exists("dist/bundles"));
  RunResult debug = project.Wasmship({"build"});
  ASSERT_EQ(debug.exit_code, 0) << debug.err;
  ExpectContains(debug.err, "bundles are not signed");
  EXPECT_FALSE(Inspect(project, "dist/debug/bundles/hello-0.1.0-base-128m-debug.wsb")["layout"]["signed"].get<bool>());
}

TEST(BundleTest, MalformedOrMissingSigningKeyIsAConfigurationError) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") + "signing: { key: keys/none.key }\n");
  RunResult missing = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectContains(missing.err, "cannot read the signing key");
  project.Write("keys/none.key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
  RunResult malformed = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(malformed.exit_code, 2);
  ExpectContains(malformed.err, "keys/none.key");
  RunResult env = project.Wasmship({"build", "-p", "release"}, {"WASMSHIP_SIGNING_KEY=garbage-that-is-no-file"});
  EXPECT_EQ(env.exit_code, 2);
  ExpectContains(env.err, "WASMSHIP_SIGNING_KEY");
}

TEST(BundleTest, ReleaseWritesSignedBundleIndexReportsAndSymbols) {
  ProjectSandbox project;
  BuildSignedRelease(project);
  json index = json::parse(project.Read("dist/index.json"));
  EXPECT_EQ(index["app"], "hello");
  // optimize: auto (release): tv-2019 (interp) gets the speed pipeline,
  // tv-2020 (aot) the size one, so the two TVs build two variants.
  for (const auto& [device, variant] : {std::pair{"tv-2019", "base-128m-release"}, {"tv-2020", "base-128m-size-release"}}) {
    const json& entry = index["devices"][device];
    EXPECT_EQ(entry["bundle"], "bundles/hello-0.1.0-" + std::string(variant) + ".wsb");
    EXPECT_EQ(entry["variant"], variant);
    EXPECT_EQ(entry["bytes"].get<size_t>(), project.Read(entry["bundle"].get<std::string>().insert(0, "dist/")).size());
    EXPECT_EQ(entry["sha256"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(index["variants"]["base-128m-release"]["devices"], json({"tv-2019"}));
  EXPECT_EQ(index["variants"]["base-128m-size-release"]["devices"], json({"tv-2020"}));
  json report = json::parse(project.Read("dist/report.json"));
  ASSERT_EQ(report["variants"].size(), 2u);
  EXPECT_EQ(report["variants"][0]["name"], "base-128m-release");
  EXPECT_EQ(report["variants"][0]["pipeline"], "speed");
  EXPECT_EQ(report["variants"][1]["pipeline"], "size");
  // What the optimizer ran, in its own record too: -O3's round, not -Oz's.
  std::string optimizer = project.Read(".wasmship/build/base-128m-release/optimizer.json");
  ExpectContains(optimizer, "\"pipeline\": \"speed\"");
  ExpectContains(optimizer, "binaryen-o3");
  json manifest = Inspect(project, kBundle)["manifest"];
  EXPECT_EQ(manifest["created"], 1700000000);
  EXPECT_EQ(manifest["level"], 19);
  EXPECT_EQ(manifest["delta_base"], nullptr);
  RunResult verify = project.Wasmship({"bundle", "verify", kBundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  ExpectContains(verify.out, ": ok: hello 0.1.0 base-128m-release, signed by key");
  for (const char* file : {"dist/report.json", "dist/report.md", "dist/report.html", "dist/report.junit.xml",
                           "dist/symbols/base-128m-release.map.json"}) {
    EXPECT_TRUE(project.Exists(file)) << file;
  }
  json symbols = json::parse(project.Read("dist/symbols/base-128m-release.map.json"));
  bool runtime = false;
  for (const auto& [index_text, entry] : symbols["functions"].items()) runtime |= entry.value("component", "") == "runtime";
  EXPECT_TRUE(runtime);
  // The bundle runs as the device would load it, and a trap-free run exits 0.
  RunResult run = project.Wasmship({"run", "-p", "release", "--frames", "3"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, "Hello, living room!");
}

TEST(BundleTest, StockZstdAndNodeCryptoReadTheBundle) {
  ProjectSandbox project;
  BuildSignedRelease(project);
  json layout = Inspect(project, kBundle)["layout"];
  std::string bytes = project.Read(kBundle);
  size_t payload = layout["payload_offset"], payload_bytes = layout["payload_bytes"];
  project.Write("payload.zst", bytes.substr(payload, payload_bytes));
  RunResult unzstd = RunCommand({"zstd", "-d", "-q", "payload.zst", "-o", "payload.wasm"}, project.dir());
  ASSERT_EQ(unzstd.exit_code, 0) << unzstd.err;
  EXPECT_EQ(project.Read("payload.wasm"), project.Read("dist/hello-base-128m-release.wasm"));
  // The signature covers every byte before it (key id included).
  size_t signature = layout["signature_offset"].get<size_t>() + 8;
  std::string script =
      "const fs = require('fs'), crypto = require('crypto');"
      "const b = fs.readFileSync(process.argv[1]);"
      "const key = crypto.createPublicKey(fs.readFileSync(process.argv[2]));"
      "const n = Number(process.argv[3]);"
      "const ok = crypto.verify(null, b.subarray(0, n), key, b.subarray(n, n + 64));"
      "const bad = Buffer.from(b); bad[10] ^= 1;"
      "const tampered = crypto.verify(null, bad.subarray(0, n), key, bad.subarray(n, n + 64));"
      "console.log(ok && !tampered ? 'verified' : 'failed'); process.exit(ok && !tampered ? 0 : 1);";
  RunResult node = RunCommand({"node", "-e", script, project.Path(kBundle), project.Path("keys/release.key.pub"),
                               std::to_string(signature)},
                              project.dir());
  EXPECT_EQ(node.exit_code, 0) << node.err << node.out;
  ExpectContains(node.out, "verified");
}

TEST(BundleTest, EveryTamperingIsRefusedWithExitFive) {
  ProjectSandbox project;
  BuildSignedRelease(project);
  json layout = Inspect(project, kBundle)["layout"];
  size_t manifest = layout["manifest_offset"], payload = layout["payload_offset"];
  size_t signature = layout["signature_offset"];
  FlipByte(project, kBundle, "manifest.wsb", manifest + 20);
  FlipByte(project, kBundle, "payload.wsb", payload + layout["payload_bytes"].get<size_t>() / 2);
  FlipByte(project, kBundle, "signature.wsb", signature + 8 + 10);
  FlipByte(project, kBundle, "magic.wsb", 1);
  project.Write("truncated.wsb", project.Read(kBundle).substr(0, payload + 5));
  project.Write("notjson.wsb", "WSB1" + std::string("\x05\x00\x00\x00", 4) + "hello");
  struct Case {
    const char* file;
    const char* message;
  };
  for (const Case& c : {Case{"manifest.wsb", "manifest"}, Case{"payload.wsb", "signature does not match"},
                        Case{"signature.wsb", "signature does not match"}, Case{"magic.wsb", "WSB1"},
                        Case{"truncated.wsb", "truncated"}, Case{"notjson.wsb", "manifest"}}) {
    RunResult verify = project.Wasmship({"bundle", "verify", c.file});
    EXPECT_EQ(verify.exit_code, 5) << c.file << ": " << verify.err;
    ExpectContains(verify.err, c.message);
    RunResult run = project.Wasmship({"run", "--bundle", c.file, "--frames", "1"});
    EXPECT_EQ(run.exit_code, 5) << c.file << ": " << run.err;
    EXPECT_EQ(run.out.find("Hello"), std::string::npos) << c.file << " ran";
  }
  // Another project's key.
  RunResult keygen = project.Wasmship({"keygen", "-o", "other.key"});
  ASSERT_EQ(keygen.exit_code, 0);
  RunResult wrong = project.Wasmship({"bundle", "verify", kBundle, "--pubkey", "other.key.pub"});
  EXPECT_EQ(wrong.exit_code, 5);
  ExpectContains(wrong.err, "but the public key given is");
}

TEST(BundleTest, DeltaBundlesApplyOnlyOntoTheirBase) {
  ProjectSandbox project;
  BuildSignedRelease(project);
  fs::create_directories(project.Path("v1"));
  fs::copy(project.Path("dist"), project.Path("v1"), fs::copy_options::recursive);
  project.Write("src/greeting.cpp", project.Read("src/greeting.cpp") + "\n// v2\n");
  project.Write("src/greeting.h", "#pragma once\n#include <string>\n"
                                  "inline std::string Greeting(const std::string& who) { return \"Hi again, \" + who; }\n");
  project.Write("src/greeting.cpp", "#include \"greeting.h\"\n");
  RunResult build = project.Wasmship({"build", "-p", "release", "--baseline-bundle-dir", "v1"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json report = json::parse(project.Read("dist/report.json"));
  const json& variant = report["variants"][0];
  ASSERT_TRUE(variant.contains("delta")) << variant.dump(1);
  std::string delta = "dist/" + variant["delta"]["file"].get<std::string>();
  EXPECT_LT(variant["delta"]["bytes"].get<size_t>(), variant["bundle"]["bytes"].get<size_t>());
  EXPECT_TRUE(json::parse(project.Read("dist/index.json"))["devices"]["tv-2019"].contains("delta"));
  std::string base = "v1/bundles/hello-0.1.0-base-128m-release.wsb";
  RunResult verify = project.Wasmship({"bundle", "verify", delta, "--base", base});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  RunResult run = project.Wasmship({"run", "-p", "release", "--bundle", delta, "--base", base, "--frames", "2"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, "Hi again, living room");
  // Onto the new module itself (the wrong base): refused.
  RunResult wrong = project.Wasmship({"run", "--bundle", delta, "--base", kBundle, "--frames", "1"});
  EXPECT_EQ(wrong.exit_code, 5);
  ExpectContains(wrong.err, "this delta applies to module");
  RunResult none = project.Wasmship({"bundle", "verify", delta});
  EXPECT_EQ(none.exit_code, 5);
  // `bundle delta` makes the same delta from the two full bundles.
  RunResult made = project.Wasmship({"bundle", "delta", "--from", base, "--to", kBundle, "-o", "manual.wsb"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(project.Read("manual.wsb"), project.Read(delta));
}

}  // namespace
}  // namespace ws::e2e
