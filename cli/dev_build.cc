#include "cli/dev_build.h"

#include <algorithm>
#include <chrono>
#include <regex>

#include "cli/app_target.h"
#include "cli/remote_cache_opener.h"
#include "device-host/app_loader.h"

namespace ws {
namespace {

using Clock = std::chrono::steady_clock;

double MsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Total length of the union of [start, end) intervals.
double UnionLength(std::vector<std::pair<double, double>> intervals) {
  std::sort(intervals.begin(), intervals.end());
  double total = 0, start = 0, end = -1;
  for (const auto& [a, b] : intervals) {
    if (a > end) {
      if (end > start) total += end - start;
      start = a;
      end = b;
    } else {
      end = std::max(end, b);
    }
  }
  if (end > start) total += end - start;
  return total;
}

// Times each step by the first word of its description ("compile
// src/a.cpp") and keeps what the tools printed. The job pool calls it on
// the thread that runs Build(), so it needs no lock.
class StepTimer : public BuildObserver {
 public:
  StepTimer(Clock::time_point start, BuildObserver* forward) : start_(start), forward_(forward) {}

  void StepStarted(const std::string& description, const std::vector<std::string>& argv, size_t index,
                   size_t total) override {
    started_[description] = MsBetween(start_, Clock::now());
    if (forward_ != nullptr) forward_->StepStarted(description, argv, index, total);
  }
  void StepFinished(const std::string& description, const std::string& output, bool ok) override {
    if (forward_ != nullptr) forward_->StepFinished(description, output, ok);
    auto it = started_.find(description);
    if (it != started_.end()) {
      intervals_[description.substr(0, description.find(' '))].emplace_back(it->second,
                                                                            MsBetween(start_, Clock::now()));
      started_.erase(it);
    }
    if (output.empty()) return;
    output_ += output;
    if (output.back() != '\n') output_ += "\n";
  }
  void Message(const std::string& text) override {
    if (forward_ != nullptr) forward_->Message(text);
    messages_.push_back(text);
  }

  StepTimes Times() const {
    auto stage = [&](const char* name) {
      auto it = intervals_.find(name);
      return it == intervals_.end() ? 0.0 : UnionLength(it->second);
    };
    return {stage("expand"), stage("compile"), stage("link"), stage("optimize")};
  }
  const std::string& output() const { return output_; }
  std::vector<std::string>& messages() { return messages_; }

 private:
  Clock::time_point start_;
  BuildObserver* forward_;
  std::map<std::string, double> started_;
  std::map<std::string, std::vector<std::pair<double, double>>> intervals_;
  std::string output_;
  std::vector<std::string> messages_;
};

std::string StripColors(const std::string& text) {
  static const std::regex kEscape("\x1b\\[[0-9;]*[A-Za-z]");
  return std::regex_replace(text, kEscape, "");
}

void Load(const DevBuildRequest& request, const BuildOutcome& built, DevBuildResult& result) {
  const Device* device = request.device ? &*request.device : nullptr;
  // Our own fresh bundle: the device's checks apply, its signature needs none.
  Result<host::LoadedApp, host::LoadError> app = host::LoadApp({built.bundle_path, "", "", device, nullptr});
  if (!app) {
    Diagnostic d{Level::kError, "cannot load the new build: " + app.error().message, {}, app.error().notes};
    result.errors.push_back(d);
    result.diagnostics.push_back(d);
    return;
  }
  result.wasm = std::move(app->wasm);
  result.symbols = ReadSymbolMap(!built.symbols_path.empty() ? built.symbols_path : app->symbols_path);
  result.loaded = true;
}

}  // namespace

std::vector<Diagnostic> ParseToolErrors(const std::string& output) {
  // file:line:col: error: message (also "fatal error"); the file has no ": ".
  static const std::regex kLine(R"(^([^:\s][^:]*):(\d+):(\d+): (?:fatal )?error: (.*)$)");
  // A tool's error about no line ("wasm-ld-19: error: a.o: undefined symbol: Foo()").
  static const std::regex kToolLine(R"(^([^:\s]+): (?:fatal )?error: (.*)$)");
  std::vector<Diagnostic> errors;
  std::string text = StripColors(output);
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, end - begin);
    std::smatch m;
    if (std::regex_match(line, m, kLine)) {
      Diagnostic d;
      d.message = m[4].str();
      d.span.file = m[1].str();
      d.span.line = static_cast<uint32_t>(std::stoul(m[2].str()));
      d.span.column = static_cast<uint32_t>(std::stoul(m[3].str()));
      errors.push_back(std::move(d));
    } else if (std::regex_match(line, m, kToolLine)) {
      errors.push_back({Level::kError, m[1].str() + ": " + m[2].str(), {}, {}});
    }
    begin = end + 1;
  }
  return errors;
}

DevBuildResult DevBuild(const DevBuildRequest& request) {
  Clock::time_point start = Clock::now();
  DevBuildResult result;
  StepTimer timer(start, request.forward);
  DiagnosticSink sink;
  BuildOptions options;
  options.manifest_path = request.manifest_path;
  options.profile = request.profile;
  if (request.device) options.devices = {request.device->name};
  options.color = request.color;
  options.self = request.self;
  options.open_remote_cache = OpenBuildRemoteCache;
  options.tool_version = request.tool_version;
  options.check_budgets = false;  // a dev build is not shipped
  BuildOutcome built = Build(options, timer, sink);
  result.status = built.status;
  result.steps = timer.Times();
  result.tool_output = timer.output();
  result.messages = std::move(timer.messages());
  result.diagnostics = sink.diagnostics();
  result.errors = ParseToolErrors(result.tool_output);
  for (const Diagnostic& d : result.diagnostics) {
    if (d.level == Level::kError) result.errors.push_back(d);
  }
  if (built.status == BuildStatus::kOk) {
    result.bundle_path = built.bundle_path;
    Load(request, built, result);
  }
  result.ms = MsBetween(start, Clock::now());
  return result;
}

}  // namespace ws
