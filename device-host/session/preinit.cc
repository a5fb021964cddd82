#include "device-host/preinit.h"

#include <bit>
#include <memory>

#include "device-host/engine/engine.h"
#include "device-host/session/host_services.h"
#include "host-abi/host_abi.h"
#include "wasm-binary/module_reader.h"
#include "wasm-binary/symbol_names.h"

namespace ws::host {
namespace {

// The imports whose answer or effect belongs to the device, and why.
struct Refused {
  const host_abi::Import& import;
  const char* why;
};
const Refused kRefused[] = {
    {host_abi::kImportFetch, "a fetch must reach the device's network; ws::fetch defers its request itself, "
                             "a direct call cannot be deferred"},
    {host_abi::kImportNowMs, "the clock must be the device's"},
    {host_abi::kWasiClockTimeGet, "the clock must be the device's"},
    {host_abi::kWasiRandomGet, "random numbers must differ on every device"},
    {host_abi::kImportSpawnWorker, "workers run on the device"},
    {host_abi::kImportSubmit, "drawing belongs to the device's first frame"},
    {host_abi::kImportLog, "the device's log must show it"},
    {host_abi::kWasiFdWrite, "the device's output must show it"},
    {host_abi::kWasiProcExit, "exiting ends the app on the device"},
};

class Runner {
 public:
  Runner(std::span<const uint8_t> wasm, const PreinitOptions& options) : wasm_(wasm), options_(options) {}

  Result<PreinitResult> Run() {
    Result<wasm::Module> module = wasm::ReadModule(wasm_);
    if (!module) return Error{"not a wasm module: " + module.error().message};
    names_ = module->function_names;
    imported_functions_ = module->imported_functions;
    Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
    if (!font) return Error{"pre-initialization needs the host's font: " + font.error().message};
    font_ = std::move(*font);
    services_ = std::make_unique<HostServices>(HostConfig{}, *font_);
    EngineOptions engine_options;
    engine_options.watchdog_ms = options_.watchdog_ms;
    std::unique_ptr<Engine> engine = MakeInterpEngine();
    Result<std::unique_ptr<Instance>> made = engine->Instantiate(wasm_, Imports(), engine_options);
    if (!made) return Error{"cannot instantiate the module for pre-initialization: " + made.error().message};
    instance_ = std::move(*made);

    PreinitResult result;
    if (!Stage(std::string(host_abi::kExportInitialize.name), {}, result)) return result;
    if (!instance_->HasExport(std::string(host_abi::kExportPreinit.name))) {
      result.stopped = PreinitStop{std::string(host_abi::kExportPreinit.name), "",
                                   "the module does not export it (built without `preinit: true`)", {}};
      return result;
    }
    Value size[2] = {Value::I32(options_.width), Value::I32(options_.height)};
    Stage(std::string(host_abi::kExportPreinit.name), size, result);
    return result;
  }

 private:
  // Runs one stage; on success the snapshot is the state after it.
  bool Stage(const std::string& name, std::span<const Value> args, PreinitResult& result) {
    uint64_t before = instance_->InstructionsExecuted();
    CallOutcome outcome = instance_->Call(name, args);
    if (outcome.trapped) {
      PreinitStop stop{name, refused_import_, refused_why_, {}};
      if (stop.import.empty()) stop.why = "the app trapped: " + outcome.trap.message;
      for (uint32_t index : outcome.trap.stack) {
        if (index >= imported_functions_) stop.stack.push_back(Label(index));  // the import is named already
      }
      result.stopped = std::move(stop);
      return false;
    }
    if (!outcome.results.empty() && outcome.results[0].i32 != 0) {
      result.stopped = PreinitStop{name, "", "it returned " + std::to_string(outcome.results[0].i32), {}};
      return false;
    }
    result.instructions += instance_->InstructionsExecuted() - before;
    result.snapshot = Take();
    result.snapshot_after = name;
    return true;
  }

  wasm::Snapshot Take() const {
    wasm::Snapshot snapshot;
    std::span<uint8_t> memory = instance_->Memory();
    snapshot.memory.assign(memory.begin(), memory.end());
    std::vector<Value> globals = instance_->Globals();
    for (uint32_t i = 0; i < globals.size(); ++i) {
      const Value& v = globals[i];
      switch (v.type) {
        case ValueType::kI32: snapshot.globals.push_back({i, 0x7F, static_cast<uint32_t>(v.i32)}); break;
        case ValueType::kI64: snapshot.globals.push_back({i, 0x7E, static_cast<uint64_t>(v.i64)}); break;
        case ValueType::kF32: snapshot.globals.push_back({i, 0x7D, std::bit_cast<uint32_t>(v.f32)}); break;
        case ValueType::kF64: snapshot.globals.push_back({i, 0x7C, std::bit_cast<uint64_t>(v.f64)}); break;
      }
    }
    return snapshot;
  }

  // The host's imports, with those of kRefused ending the run.
  std::vector<HostImport> Imports() {
    std::vector<HostImport> imports = services_->Imports();
    for (HostImport& import : imports) {
      for (const Refused& refused : kRefused) {
        if (import.module != refused.import.module || import.name != refused.import.name) continue;
        std::string name = import.module + "." + import.name;
        import.fn = [this, name, why = refused.why](Instance&, std::span<const Value>, std::span<Value>) {
          refused_import_ = name;
          refused_why_ = why;
          return HostOutcome::Fail(TrapKind::kHost, name + " cannot run at build time");
        };
      }
    }
    return imports;
  }

  std::string Label(uint32_t index) const {
    if (auto name = names_.find(index); name != names_.end()) return wasm::Demangle(name->second);
    if (auto name = options_.symbols.find(index); name != options_.symbols.end()) return name->second;
    return "func[" + std::to_string(index) + "]";
  }

  std::span<const uint8_t> wasm_;
  const PreinitOptions& options_;
  std::map<uint32_t, std::string> names_;
  uint32_t imported_functions_ = 0;
  std::unique_ptr<Font> font_;
  std::unique_ptr<HostServices> services_;
  std::unique_ptr<Instance> instance_;
  std::string refused_import_;
  std::string refused_why_;
};

}  // namespace

Result<PreinitResult> Preinitialize(std::span<const uint8_t> wasm, const PreinitOptions& options) {
  return Runner(wasm, options).Run();
}

}  // namespace ws::host
