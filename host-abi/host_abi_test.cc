#include "host-abi/host_abi.h"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace ws::host_abi {
namespace {

std::string TypeName(ValType type) {
  switch (type) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
  }
  return "?";
}

// "(i32, i32) -> i32", the docs' spelling without parameter names.
std::string Text(const Signature& sig) {
  std::string out = "(";
  for (size_t i = 0; i < sig.params.size(); ++i) out += (i ? ", " : "") + TypeName(sig.params[i]);
  out += ") -> ";
  if (sig.results.empty()) return out + "()";
  return out + TypeName(sig.results[0]);
}

// The `name` → "(types) -> result" rows of a table in docs/host-abi.md,
// with parameter names dropped ("(width: i32)" → "(i32)").
std::map<std::string, std::string> DocumentedSignatures(const std::string& heading) {
  std::ifstream in(std::string(WASMSHIP_SOURCE_DIR) + "/docs/host-abi.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  size_t start = doc.find(heading);
  EXPECT_NE(start, std::string::npos) << heading;
  size_t end = doc.find("\n## ", start + 1);
  std::string section = doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::map<std::string, std::string> rows;
  static const std::regex kRow(R"(^\| `([a-z_]+)` \| `(\([^`]*\) -> [^`]*)` \|)");
  static const std::regex kParamName(R"([a-z_]+: )");
  std::istringstream lines(section);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kRow)) rows[m[1]] = std::regex_replace(m[2].str(), kParamName, "");
  }
  return rows;
}

TEST(HostAbiTest, ExportsAreTheDocumented) {
  std::map<std::string, std::string> documented = DocumentedSignatures("## Exports");
  std::map<std::string, std::string> table;
  for (const Export& e : kExports) table[std::string(e.name)] = Text(e.signature);
  EXPECT_EQ(table, documented);
}

TEST(HostAbiTest, HostImportsAreTheDocumented) {
  std::map<std::string, std::string> documented = DocumentedSignatures("## Imports");
  std::map<std::string, std::string> table;
  for (const Import& i : kImports) {
    if (i.module == kHostModule) table[std::string(i.name)] = Text(i.signature);
  }
  EXPECT_EQ(table, documented);
}

TEST(HostAbiTest, WasiImportsAreTheDocumented) {
  std::ifstream in(std::string(WASMSHIP_SOURCE_DIR) + "/docs/host-abi.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  size_t allowed = doc.find("Allowed: ");
  ASSERT_NE(allowed, std::string::npos);
  std::string sentence = doc.substr(allowed, doc.find('.', allowed) - allowed);
  size_t wasi = 0;
  for (const Import& i : kImports) {
    if (i.module != kWasiModule) continue;
    ++wasi;
    EXPECT_NE(sentence.find("`" + std::string(i.name) + "`"), std::string::npos) << i.name;
  }
  EXPECT_EQ(wasi, 8u);
}

TEST(HostAbiTest, LookupsFindOnlyTheTables) {
  EXPECT_EQ(FindExport("ws_frame"), &kExports[3]);
  EXPECT_EQ(FindExport("ws_teleport"), nullptr);
  EXPECT_EQ(FindImport("ws_host", "log")->signature, kImportLog.signature);
  EXPECT_EQ(FindImport("env", "log"), nullptr);
  EXPECT_EQ(FindImport("wasi_snapshot_preview1", "path_open"), nullptr);
  EXPECT_EQ(FindExport("ws_worker_main")->need, Need::kThreadsVariant);
}

using MeasureLike = int64_t(const char*, uint32_t, float);
using SubmitLike = void(const uint8_t*, uint32_t);
using FrameLike = double(double);

TEST(HostAbiTest, SignatureOfMapsCTypesAsWasm32Does) {
  static_assert(SignatureOf<MeasureLike>() == kImportMeasureText.signature);
  static_assert(SignatureOf<SubmitLike>() == kImportSubmit.signature);
  static_assert(SignatureOf<FrameLike>() != kExportFrame.signature);  // f64 result, not i32
  SUCCEED();
}

TEST(HostAbiTest, DrawOpsAndKeys) {
  EXPECT_EQ(Info(DrawOp::kPushTransform).name, "PUSH_TRANSFORM");
  EXPECT_EQ(Info(DrawOp::kText).fixed_bytes, 20u);
  EXPECT_EQ(static_cast<int>(kLastDrawOp), 9);
  // "WSDL" as its bytes appear in memory.
  const char magic[] = {static_cast<char>(kDrawListMagic & 0xFF), static_cast<char>((kDrawListMagic >> 8) & 0xFF),
                        static_cast<char>((kDrawListMagic >> 16) & 0xFF), static_cast<char>(kDrawListMagic >> 24)};
  EXPECT_EQ(std::string(magic, 4), "WSDL");
  int32_t code = 1;
  for (const NamedKey& k : kNamedKeys) EXPECT_EQ(k.key, code++) << k.name;
  EXPECT_LT(code, kFirstCharacterKey);
}

}  // namespace
}  // namespace ws::host_abi
