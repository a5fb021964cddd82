// Helpers for size-reports' tests: test data, temporary directories,
// external tools (wat2wasm, clang++-19) run at test time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "size-reports/size_reports.h"

namespace ws::size::testing {

std::string TestDataPath(const std::string& name);
std::string ReadText(const std::string& path);
std::vector<uint8_t> ReadBytes(const std::string& path);
void WriteText(const std::string& path, const std::string& text);
// testdata/<name> parsed.
Json LoadReport(const std::string& name);
// Whether `tool` is on PATH.
bool HaveTool(const std::string& tool);
// Runs a shell command; its exit status.
int Run(const std::string& command);
// A fresh, empty directory for one test (per process).
std::string FreshDir(const std::string& name);
// WAT text → wasm bytes with wabt's wat2wasm (with a name section);
// empty on failure.
std::vector<uint8_t> Wat2Wasm(const std::string& wat, const std::string& flags = "--debug-names");
// `text` with every run of spaces collapsed to one (table alignment aside).
std::string Squeeze(const std::string& text);
// Occurrences of `needle` in `haystack`.
size_t Count(const std::string& haystack, const std::string& needle);

}  // namespace ws::size::testing
