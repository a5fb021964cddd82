// Input for headless runs: `--keys right,right,select` or a YAML script of
// steps (`- key: right`, `- wait: 200ms`, `- screenshot: a.png`). Scenarios
// of `wasmship test` are such scripts with `- expect: {...}` steps as well
// (docs/testing.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "host-abi/host_abi.h"

namespace ws::host {

// What an `expect:` step asserts at its point of the run; unset fields are
// not checked.
struct Expect {
  std::optional<std::string> focused_text;  // the focused element's stable name, exactly
  std::optional<std::string> text_visible;  // some TEXT command on screen contains it
  bool no_traps = false;                    // no trap since the run began
  std::string screenshot_matches;           // the golden as written: golden/home.png
  int64_t max_diff_pixels = 0;              // pixels that may differ from the golden
  std::optional<double> frame_ms_p99_below; // frames since the first step
  // Set by the caller before the run (wasmship test; see GoldenLayout):
  // where this screen size's golden is, where a mismatch writes the actual
  // and diff images, and whether to write the golden instead of comparing.
  std::string golden_path;
  std::string actual_path;
  std::string diff_path;
  bool update_golden = false;
};

struct Step {
  enum class Kind { kKey, kWait, kScreenshot, kExpect };
  Kind kind = Kind::kKey;
  int32_t key = 0;          // host_abi::Key, or a character's code point
  double wait_ms = 0;
  std::string path;         // screenshot file
  std::string text;         // as written, for messages
  Expect expect;            // kExpect
  int line = 0;             // in the script (1-based); 0 for --keys
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
