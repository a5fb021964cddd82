#include "device-host/session/hot_reload.h"

#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

std::string Name(const host_abi::Export& e) { return std::string(e.name); }

// The i32 an export returned, or nullopt when it returned something else.
std::optional<int32_t> I32Result(const CallOutcome& outcome) {
  if (outcome.results.size() != 1 || outcome.results[0].type != ValueType::kI32) return std::nullopt;
  return outcome.results[0].i32;
}

// A u32 length and that many bytes at `ptr`, or nullopt when any of it is
// outside the instance's memory.
std::optional<std::vector<uint8_t>> ReadBlob(Instance& instance, int32_t ptr) {
  std::span<uint8_t> memory = instance.Memory();
  uint64_t start = static_cast<uint32_t>(ptr);
  if (start + 4 > memory.size()) return std::nullopt;
  uint32_t length = 0;
  std::memcpy(&length, memory.data() + start, 4);
  if (start + 4 + length > memory.size()) return std::nullopt;
  return std::vector<uint8_t>(memory.begin() + static_cast<ptrdiff_t>(start + 4),
                              memory.begin() + static_cast<ptrdiff_t>(start + 4 + length));
}

int IntField(const nlohmann::json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_number_integer()) return 0;
  int64_t value = it->get<int64_t>();
  if (value < 0 || value > std::numeric_limits<int>::max()) return 0;
  return static_cast<int>(value);
}

}  // namespace

std::optional<std::string> NoHotReload(Instance& instance) {
  using namespace host_abi;
  if (!instance.HasExport(Name(kExportHotReloadVersion))) {
    return "the app has no hot reload support (a release build, or built by an older wasmship)";
  }
  for (const Export& e : {kExportStateSave, kExportStateRestore, kExportStateInfo}) {
    if (!instance.HasExport(Name(e))) return "the app exports ws_hot_reload_version but not " + Name(e);
  }
  CallOutcome version = instance.Call(Name(kExportHotReloadVersion), {});
  std::optional<int32_t> found = version.trapped ? std::nullopt : I32Result(version);
  if (!found) return "the app's ws_hot_reload_version failed";
  if (*found != kHotReloadVersion) {
    return "the app speaks hot reload version " + std::to_string(*found) + ", this host speaks " +
           std::to_string(kHotReloadVersion);
  }
  return std::nullopt;
}

SavedState SaveState(Instance& instance) {
  SavedState saved;
  CallOutcome outcome = instance.Call(Name(host_abi::kExportStateSave), {});
  if (outcome.trapped) {
    saved.trap = std::move(outcome.trap);
    return saved;
  }
  std::optional<int32_t> ptr = I32Result(outcome);
  if (!ptr || *ptr == 0) {
    saved.problem = "the app saved no state";
    return saved;
  }
  saved.bytes = ReadBlob(instance, *ptr);
  if (!saved.bytes) saved.problem = "the app's saved state lies outside its memory";
  return saved;
}

namespace {
RestoredState Trapped(Trap trap, const host_abi::Export& during) {
  RestoredState restored;
  restored.trap = std::move(trap);
  restored.during = during.name.data();
  return restored;
}
}  // namespace

RestoredState RestoreState(Instance& instance, std::span<const uint8_t> bytes) {
  RestoredState restored;
  auto length = static_cast<int32_t>(bytes.size());
  Value size = Value::I32(length);
  CallOutcome alloc = instance.Call(Name(host_abi::kExportAlloc), std::span(&size, 1));
  if (alloc.trapped) return Trapped(std::move(alloc.trap), host_abi::kExportAlloc);
  std::optional<int32_t> ptr = I32Result(alloc);
  std::span<uint8_t> memory = instance.Memory();
  if (!ptr || *ptr == 0 || static_cast<uint64_t>(static_cast<uint32_t>(*ptr)) + bytes.size() > memory.size()) {
    restored.problem = "the new build could not allocate " + std::to_string(bytes.size()) + " bytes for the state";
    return restored;
  }
  if (!bytes.empty()) std::memcpy(memory.data() + static_cast<uint32_t>(*ptr), bytes.data(), bytes.size());
  Value args[2] = {Value::I32(*ptr), Value::I32(length)};
  CallOutcome restore = instance.Call(Name(host_abi::kExportStateRestore), args);
  if (restore.trapped) return Trapped(std::move(restore.trap), host_abi::kExportStateRestore);
  // The bytes stay the host's: freed once the runtime has read them.
  Value bytes_ptr = Value::I32(*ptr);
  CallOutcome freed = instance.Call(Name(host_abi::kExportFree), std::span(&bytes_ptr, 1));
  if (freed.trapped) return Trapped(std::move(freed.trap), host_abi::kExportFree);
  std::optional<int32_t> status = I32Result(restore);
  if (!status || *status != 0) {
    restored.problem = "the new build could not read the saved state (ws_state_restore returned " +
                       (status ? std::to_string(*status) : std::string("nothing")) + ")";
    return restored;
  }
  restored.ok = true;
  return restored;
}

std::optional<StateInfo> ParseStateInfo(std::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  StateInfo info;
  info.signals = IntField(json, "signals");
  info.kept = IntField(json, "kept");
  info.reset = IntField(json, "reset");
  if (auto focus = json.find("focus"); focus != json.end() && focus->is_string()) {
    info.focus = focus->get<std::string>();
  }
  return info;
}

StateInfoOutcome ReadStateInfo(Instance& instance) {
  StateInfoOutcome result;
  if (!instance.HasExport(Name(host_abi::kExportStateInfo))) return result;
  CallOutcome outcome = instance.Call(Name(host_abi::kExportStateInfo), {});
  if (outcome.trapped) {
    result.trap = std::move(outcome.trap);
    return result;
  }
  std::optional<int32_t> ptr = I32Result(outcome);
  if (!ptr || *ptr == 0) return result;
  std::optional<std::vector<uint8_t>> bytes = ReadBlob(instance, *ptr);
  if (!bytes) return result;
  result.info = ParseStateInfo(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  return result;
}

}  // namespace ws::host
