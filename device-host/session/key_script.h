// Input for headless runs: `--keys right,right,select` or a YAML script of
// steps (`- key: right`, `- wait: 200ms`, `- screenshot: a.png`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "host-abi/host_abi.h"

namespace ws::host {

struct Step {
  enum class Kind { kKey, kWait, kScreenshot };
  Kind kind = Kind::kKey;
  int32_t key = 0;          // host_abi::Key, or a character's code point
  double wait_ms = 0;
  std::string path;         // screenshot file
  std::string text;         // as written, for messages
};

// The ABI code of a key name (up, down, left, right, select, back, or one
// printable character); nullopt for anything else.
std::optional<int32_t> KeyCode(const std::string& name);
const std::vector<std::string>& KeyNames();

// "right,right,select" → key steps. Errors name the bad key and its position.
std::optional<std::vector<Step>> ParseKeyList(const std::string& list, DiagnosticSink& sink);

// A YAML script; every problem is reported with line:col.
std::optional<std::vector<Step>> LoadKeyScript(const std::string& path, DiagnosticSink& sink);

}  // namespace ws::host
