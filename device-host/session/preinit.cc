#include "device-host/preinit.h"

#include <bit>
#include <filesystem>
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
                             "a direct call cannot be deferred (only the profile's preinit_fetch assets are "
                             "answered at build time)"},
    {host_abi::kImportNowMs, "the clock must be the device's"},
    {host_abi::kWasiClockTimeGet, "the clock must be the device's"},
    {host_abi::kWasiRandomGet, "random numbers must differ on every device"},
    {host_abi::kImportSpawnWorker, "workers run on the device"},
    {host_abi::kImportSubmit, "drawing belongs to the device's first frame"},
    {host_abi::kImportLog, "the device's log must show it"},
    {host_abi::kWasiFdWrite, "the device's output must show it"},
    {host_abi::kWasiProcExit, "exiting ends the app on the device"},
    {host_abi::kImportMarkGood, "only the device's run can say that the app works"},
};

class Runner {
 public:
  using HostFunction = decltype(HostImport::fn);

  Runner(std::span<const uint8_t> wasm, const PreinitOptions& options) : wasm_(wasm), options_(options) {}

  Result<PreinitResult> Run() {
    Result<wasm::Module> module = wasm::ReadModule(wasm_);
    if (!module) return Error{"not a wasm module: " + module.error().message};
    names_ = module->function_names;
    imported_functions_ = module->imported_functions;
    Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
    if (!font) return Error{"pre-initialization needs the host's font: " + font.error().message};
    font_ = std::move(*font);
    HostConfig config;
    config.assets_dir = options_.assets_dir;
    services_ = std::make_unique<HostServices>(config, *font_);
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
    result.fetched = fetched_;
    return result;
  }

 private:
  // Runs one stage; on success the snapshot is the state after it.
  bool Stage(const std::string& name, std::span<const Value> args, PreinitResult& result) {
    stage_ = name;
    uint64_t before = instance_->InstructionsExecuted();
    CallOutcome outcome = instance_->Call(name, args);
    if (name == host_abi::kExportPreinit.name) {
      // Build-time fetches: deliver what was answered (never during the
      // fetch call, as on a device) and let ws_preinit run on, until none
      // is unfinished.
      result.rounds = 1;
      while (!outcome.trapped && !outcome.results.empty() && outcome.results[0].i32 == host_abi::kPreinitFetching) {
        if (result.rounds >= options_.max_rounds) {
          result.stopped = PreinitStop{name, "", "its build-time fetches kept starting new ones after " +
                                                     std::to_string(result.rounds) + " deliveries", {}};
          return false;
        }
        CallOutcome delivered = services_->DeliverFetches(*instance_);
        outcome = delivered.trapped ? delivered : instance_->Call(name, args);
        ++result.rounds;
      }
    }
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

  // The host's imports, with those of kRefused ending the run, but for
  // fetches of the build-time assets (Fetch).
  std::vector<HostImport> Imports() {
    std::vector<HostImport> imports = services_->Imports();
    for (HostImport& import : imports) {
      if (import.module == host_abi::kImportFetch.module && import.name == host_abi::kImportFetch.name) {
        import.fn = [this, answer = import.fn](Instance& instance, std::span<const Value> args,
                                               std::span<Value> results) {
          return Fetch(answer, instance, args, results);
        };
        continue;
      }
      for (const Refused& refused : kRefused) {
        if (import.module != refused.import.module || import.name != refused.import.name) continue;
        std::string name = import.module + "." + import.name;
        import.fn = [this, name, why = refused.why](Instance&, std::span<const Value>, std::span<Value>) {
          return Refuse(name, why);
        };
      }
    }
    return imports;
  }

  // ws_host.fetch at build time (host_abi.h, ws_preinit): a listed asset
  // is answered as the device host would (HostServices queues its bytes);
  // ws::fetch's other requests are deferred; anything else ends the run.
  HostOutcome Fetch(const HostFunction& answer, Instance& instance, std::span<const Value> args,
                    std::span<Value> results) {
    uint32_t length = static_cast<uint32_t>(args[1].i32);
    bool deferrable = (length & host_abi::kFetchPreinitDeferrable) != 0;
    length &= ~host_abi::kFetchPreinitDeferrable;
    std::optional<std::string> url = ReadUrl(instance, args[0].i32, length);
    bool preinit = stage_ == host_abi::kExportPreinit.name;
    if (url && preinit && options_.fetchable.count(*url) != 0) {
      if (!std::filesystem::is_regular_file(std::filesystem::path(options_.assets_dir) / *url)) {
        return Refuse("ws_host.fetch", "the build-time asset '" + *url + "' is gone from " + options_.assets_dir);
      }
      Value plain[2] = {args[0], Value::I32(static_cast<int32_t>(length))};
      HostOutcome answered = answer(instance, plain, results);
      if (!answered.trapped) fetched_.push_back(*url);
      return answered;
    }
    if (url && preinit && deferrable) {
      results[0] = Value::I32(host_abi::kFetchPreinitDeferred);
      return HostOutcome::Ok();
    }
    return Refuse("ws_host.fetch", kRefused[0].why);
  }

  static std::optional<std::string> ReadUrl(Instance& instance, int32_t ptr, uint32_t length) {
    std::span<uint8_t> memory = instance.Memory();
    uint64_t end = static_cast<uint64_t>(static_cast<uint32_t>(ptr)) + length;
    if (end > memory.size()) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(memory.data()) + static_cast<uint32_t>(ptr), length);
  }

  HostOutcome Refuse(const std::string& name, std::string why) {
    refused_import_ = name;
    refused_why_ = std::move(why);
    return HostOutcome::Fail(TrapKind::kHost, name + " cannot run at build time");
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
  std::string stage_;
  std::vector<std::string> fetched_;
  std::string refused_import_;
  std::string refused_why_;
};

}  // namespace

Result<PreinitResult> Preinitialize(std::span<const uint8_t> wasm, const PreinitOptions& options) {
  return Runner(wasm, options).Run();
}

}  // namespace ws::host
