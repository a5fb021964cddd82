#include "size-reports/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ws::size::testing {

std::string TestDataPath(const std::string& name) {
  return std::string(WASMSHIP_SOURCE_DIR) + "/size-reports/testdata/" + name;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::string text = ReadText(path);
  return std::vector<uint8_t>(text.begin(), text.end());
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

Json LoadReport(const std::string& name) { return Json::parse(ReadText(TestDataPath(name))); }

bool HaveTool(const std::string& tool) { return Run("command -v " + tool + " >/dev/null 2>&1") == 0; }

int Run(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string FreshDir(const std::string& name) {
  // The process id: ctest runs the tests of one binary in parallel processes.
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("ws_size_" + name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<uint8_t> Wat2Wasm(const std::string& wat, const std::string& flags) {
  static int counter = 0;
  std::string dir = FreshDir("wat" + std::to_string(counter++));
  WriteText(dir + "/m.wat", wat);
  if (Run("wat2wasm " + flags + " " + dir + "/m.wat -o " + dir + "/m.wasm") != 0) return {};
  return ReadBytes(dir + "/m.wasm");
}

std::string Squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

}  // namespace ws::size::testing
