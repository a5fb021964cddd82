#include "cli/device_run.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "cli/exit_code.h"
#include "cli/failure.h"
#include "device-host/device_host.h"
#include "platform/atomic_file.h"
#include "update-repo/device_state.h"
#include "wasm-binary/symbol_map.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using tuf::Json;

// The function index of a stack entry: "func[12]" (no names) or "name (func 12)".
int64_t FunctionIndex(const std::string& label) {
  static const std::regex kIndex(R"(func[\[ ](\d+)\]?\)?$)");
  std::smatch m;
  return std::regex_search(label, m, kIndex) ? std::stoll(m[1]) : -1;
}

// The module's build id: its identity as symbol maps record it (function
// count and code hash), which stripping names does not change.
std::string BuildIdOf(const std::string& wasm) {
  Result<wasm::ModuleIdentity> id =
      wasm::IdentifyModule(std::span(reinterpret_cast<const uint8_t*>(wasm.data()), wasm.size()));
  return id ? std::to_string(id->functions) + ":" + id->code_hash : "";
}

struct Boot {
  bool started = false;       // no trap, no failed start before the mark-good point
  bool marked_by_app = false;  // the app called ws::mark_good()
  host::RunResult result;
  std::string wasm;
};

Result<Boot> BootApp(const DeviceRunFlags& f, const tuf::InstalledApp& app) {
  Boot boot;
  Result<std::string> wasm = ReadFile(tuf::ModulePath(f.state_dir, app.wasm_sha256), kModuleFile);
  if (!wasm) return Error{"the installed module is gone: " + wasm.error().message};
  boot.wasm = std::move(*wasm);
  host::RunOptions options;
  options.wasm.assign(boot.wasm.begin(), boot.wasm.end());
  options.engine = f.engine;
  options.frames = std::max(f.frames, app.good ? 0 : f.good_after);
  options.max_restarts = 0;  // a device reboots into the last good app instead
  std::ostringstream app_out;
  boot.result = host::RunApp(options, app_out, std::cerr);
  // Good from the frame the app called ws::mark_good(), else after good_after frames.
  int good_at = boot.result.report.marked_good_frame >= 0 ? boot.result.report.marked_good_frame : f.good_after;
  boot.marked_by_app = boot.result.report.marked_good_frame >= 0;
  boot.started = boot.result.ok;
  for (const host::TrapRecord& t : boot.result.report.traps) boot.started = boot.started && t.frame >= good_at;
  return boot;
}

Json ReportOf(const tuf::DeviceState& state, const tuf::InstalledApp& app, const Boot& boot, bool rolled_back) {
  Json trap = {{"kind", "start-failed"}, {"message", boot.result.error.message}, {"during", "ws_init"}, {"frame", 0},
               {"stack", Json::array()}};
  if (!boot.result.report.traps.empty()) {
    const host::TrapRecord& t = boot.result.report.traps.front();
    trap = {{"kind", t.kind}, {"message", t.message}, {"during", t.during}, {"frame", t.frame}, {"stack", Json::array()}};
    for (const std::string& label : t.stack) trap["stack"].push_back(FunctionIndex(label));
  }
  return Json{{"device", state.device},   {"device_id", state.device_id}, {"app", app.app},
              {"version", app.version},   {"variant", app.variant},       {"wasm_sha256", app.wasm_sha256},
              {"build_id", BuildIdOf(boot.wasm)}, {"trap", trap},        {"rolled_back", rolled_back},
              {"rolled_back_to", rolled_back && state.previous ? state.previous->version : ""}};
}

Status SaveReport(const std::string& dir, const Json& report) {
  int n = 1;
  while (fs::exists(fs::path(dir) / "reports" / (std::to_string(n) + ".json"))) ++n;
  return WriteFileAtomically((fs::path(dir) / "reports" / (std::to_string(n) + ".json")).string(), report.dump(2) + "\n");
}

}  // namespace

int RunDevice(const DeviceRunFlags& f, const GlobalOptions& global) {
  Result<tuf::DeviceState> state = tuf::LoadDeviceState(f.state_dir);
  if (!state) return Fail(global, kExitUsage, state.error().message);
  if (!state->current)
    return Fail(global, kExitUsage, f.state_dir + " has no installed app", {"run `wasmship device update` first"});
  tuf::InstalledApp app = *state->current;
  Result<Boot> boot = BootApp(f, app);
  if (!boot) return Fail(global, kExitUsage, boot.error().message);
  if (boot->started) {
    if (!app.good) {
      state->current->good = true;  // survived its probation: from now on the rollback target
      if (Status s = tuf::SaveDeviceState(f.state_dir, *state); !s) return Fail(global, kExitBuildError, s.error().message);
      if (!global.quiet)
        std::cout << app.app << " " << app.version << " marked good "
                  << (boot->marked_by_app ? "by the app at frame " + std::to_string(boot->result.report.marked_good_frame)
                                          : "after " + std::to_string(f.good_after) + " frames")
                  << "\n";
    }
    if (!global.quiet) std::cout << app.app << " " << app.version << ": ran " << boot->result.report.frames << " frames\n";
    if (boot->result.report.traps.empty()) return kExitOk;
    // A good app that traps later is reported, and stays: it worked before.
    Json late = ReportOf(*state, app, *boot, false);
    if (Status s = SaveReport(f.state_dir, late); !s) return Fail(global, kExitBuildError, s.error().message);
    return Fail(global, kExitAppTrapped,
                app.app + " " + app.version + " trapped (" + late["trap"]["kind"].get<std::string>() + ") at frame " +
                    std::to_string(late["trap"]["frame"].get<int>()) + ", after it was marked good; it stays installed");
  }
  bool rollback = !app.good && state->previous.has_value();
  Json report = ReportOf(*state, app, *boot, rollback);
  if (Status s = SaveReport(f.state_dir, report); !s) return Fail(global, kExitBuildError, s.error().message);
  if (!rollback) {
    return Fail(global, kExitAppTrapped,
                app.app + " " + app.version + " trapped (" + report["trap"]["kind"].get<std::string>() + ")" +
                    (app.good ? "" : "; there is no earlier good app to roll back to"));
  }
  tuf::InstalledApp previous = *state->previous;
  state->current = previous;
  state->crashed.push_back(app.wasm_sha256);
  if (Status s = tuf::SaveDeviceState(f.state_dir, *state); !s) return Fail(global, kExitBuildError, s.error().message);
  std::cerr << "wasmship: " << app.app << " " << app.version << " trapped before it was marked good ("
            << report["trap"]["kind"].get<std::string>() << "); rolled back to " << previous.version << "\n";
  Result<Boot> again = BootApp(f, previous);
  if (!again) return Fail(global, kExitUsage, again.error().message);
  if (!global.quiet)
    std::cout << previous.app << " " << previous.version << ": ran " << again->result.report.frames << " frames"
              << (again->started ? "" : " (it trapped too)") << "\n";
  return kExitAppTrapped;
}

int ReportDevice(const DeviceRunFlags& f, const GlobalOptions& global) {
  Json reports = Json::array();
  for (const std::string& dir : f.report_dirs) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(dir) / "reports", ec)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
      return std::atoi(a.stem().c_str()) < std::atoi(b.stem().c_str());
    });
    for (const fs::path& file : files) {
      Result<std::string> text = ReadFile(file.string(), kReportFile);
      if (!text) return Fail(global, kExitUsage, text.error().message);
      Json j = Json::parse(*text, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("trap") || !j["trap"].is_object())
        return Fail(global, kExitUsage, file.string() + ": not a crash report");
      j["file"] = file.string();
      reports.push_back(j);
    }
  }
  if (f.format == "json") {
    std::cout << reports.dump(2) << "\n";
    return kExitOk;
  }
  if (reports.empty()) std::cout << "no crash reports\n";
  std::map<std::string, std::pair<int, int>> sums;  // release, build, trap → reports, rolled back
  for (const Json& r : reports) {
    std::string release = r.value("app", "") + " " + r.value("version", "") + " (" + r.value("variant", "") +
                          ", build " + r.value("build_id", "") + ") " + r["trap"].value("kind", "") + " in " +
                          r["trap"].value("during", "");
    sums[release].first++;
    sums[release].second += r.value("rolled_back", false);
    if (f.report_dirs.size() > 1) continue;
    std::cout << r["file"].get<std::string>() << ": " << release << " at frame " << r["trap"].value("frame", 0)
              << (r.value("rolled_back", false) ? ", rolled back to " + r.value("rolled_back_to", "") : "") << "\n";
    int i = 0;
    for (const Json& index : r["trap"]["stack"]) std::cout << "    #" << i++ << " func[" << index.get<int64_t>() << "]\n";
  }
  if (f.report_dirs.size() > 1) {
    std::cout << f.report_dirs.size() << " devices, " << reports.size() << " crash reports\n";
    for (const auto& [release, n] : sums)
      std::cout << "  " << n.first << " x " << release << " (" << n.second << " rolled back)\n";
  }
  return kExitOk;
}

}  // namespace ws
