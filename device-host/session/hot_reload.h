// The host side of the hot reload extension (host-abi/host_abi.h): asking
// an instance whether it speaks it, saving its state as bytes, restoring
// them into a fresh instance, and reading its state info. Each call into the
// app may trap; the trap comes back for the session to decide.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "device-host/engine/engine.h"

namespace ws::host {

// Why `instance` cannot keep state across a reload (no extension, another
// version of it), or nullopt when it can.
std::optional<std::string> NoHotReload(Instance& instance);

struct SavedState {
  std::optional<std::vector<uint8_t>> bytes;  // nullopt: nothing saved (see problem or trap)
  std::optional<Trap> trap;
  std::string problem;
};
// ws_state_save, its bytes copied out of the instance's memory.
SavedState SaveState(Instance& instance);

struct RestoredState {
  bool ok = false;
  std::optional<Trap> trap;
  const char* during = nullptr;  // the export that trapped
  std::string problem;           // why the state was not restored, without a trap
};
// ws_alloc, the bytes copied in, ws_state_restore, ws_free.
RestoredState RestoreState(Instance& instance, std::span<const uint8_t> bytes);

struct StateInfo {
  int signals = 0;
  int kept = 0;
  int reset = 0;
  std::string focus;
};
struct StateInfoOutcome {
  std::optional<StateInfo> info;  // nullopt: no ws_state_info, or what it returned does not parse
  std::optional<Trap> trap;
};
// ws_state_info, parsed.
StateInfoOutcome ReadStateInfo(Instance& instance);

// Parses ws_state_info's JSON; missing fields stay zero.
std::optional<StateInfo> ParseStateInfo(std::string_view json);

}  // namespace ws::host
