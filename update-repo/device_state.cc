#include "update-repo/device_state.h"

#include <filesystem>

#include "platform/atomic_file.h"

namespace ws::tuf {
namespace {

namespace fs = std::filesystem;

Json AppJson(const InstalledApp& a) {
  return Json{{"app", a.app},         {"version", a.version},   {"variant", a.variant}, {"wasm_sha256", a.wasm_sha256},
              {"build_id", a.build_id}, {"channel", a.channel}, {"good", a.good}};
}

std::optional<InstalledApp> AppFrom(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  InstalledApp a;
  a.app = j.value("app", "");
  a.version = j.value("version", "");
  a.variant = j.value("variant", "");
  a.wasm_sha256 = j.value("wasm_sha256", "");
  a.build_id = j.value("build_id", "");
  a.channel = j.value("channel", "");
  a.good = j.value("good", false);
  return a;
}

}  // namespace

Result<DeviceState> LoadDeviceState(const std::string& dir) {
  DeviceState state;
  std::string path = (fs::path(dir) / "device.json").string();
  if (!fs::exists(path)) return state;
  Result<std::string> text = ReadFile(path, kStateFile);
  if (!text) return text.error();
  Result<Json> j = ParseJson(*text, path);
  if (!j || !j->is_object()) return Error{path + ": malformed device state; remove the state directory to start over"};
  state.device = j->value("device", "");
  state.device_id = j->value("device_id", "");
  if (j->contains("current")) state.current = AppFrom((*j)["current"]);
  if (j->contains("previous")) state.previous = AppFrom((*j)["previous"]);
  if (j->contains("crashed") && (*j)["crashed"].is_array()) {
    for (const Json& sha : (*j)["crashed"]) {
      if (sha.is_string()) state.crashed.push_back(sha);
    }
  }
  return state;
}

Status SaveDeviceState(const std::string& dir, const DeviceState& state) {
  Json j = {{"device", state.device}, {"device_id", state.device_id}};
  j["current"] = state.current ? AppJson(*state.current) : Json();
  j["previous"] = state.previous ? AppJson(*state.previous) : Json();
  j["crashed"] = state.crashed;
  return WriteFileAtomically((fs::path(dir) / "device.json").string(), j.dump(2) + "\n");
}

std::string ModulePath(const std::string& dir, const std::string& wasm_sha256) {
  return (fs::path(dir) / "modules" / (wasm_sha256 + ".wasm")).string();
}

Status InstallModule(const std::string& dir, std::string_view wasm, InstalledApp app, DeviceState& state) {
  if (Status s = WriteFileAtomically(ModulePath(dir, app.wasm_sha256), wasm); !s)
    return Error{"install failed, the installed app is unchanged: " + s.error().message};
  DeviceState next = state;
  if (state.current && state.current->good) next.previous = state.current;
  app.good = false;
  next.current = app;
  if (Status s = SaveDeviceState(dir, next); !s)
    return Error{"install failed, the installed app is unchanged: " + s.error().message};
  state = next;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "modules", ec)) {
    std::string name = entry.path().stem().string();
    bool keep = (state.current && state.current->wasm_sha256 == name) ||
                (state.previous && state.previous->wasm_sha256 == name);
    if (!keep) fs::remove(entry.path(), ec);
  }
  return {};
}

}  // namespace ws::tuf
