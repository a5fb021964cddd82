#include "device-host/session/host_services.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>

#include "device-host/render/png_codec.h"
#include "host-abi/host_abi.h"
#include "platform/atomic_file.h"

namespace ws::host {
namespace {

constexpr int32_t kWasiOk = 0;
constexpr int32_t kWasiBadf = 8;
constexpr int32_t kWasiInval = 28;
constexpr int32_t kStatusOk = host_abi::kFetchOk;
constexpr int32_t kStatusNotFound = host_abi::kFetchNotFound;
constexpr int32_t kStatusUndecodable = host_abi::kFetchUndecodable;

// A range of linear memory the app passed us, or nullopt if it is out of bounds.
std::optional<std::span<uint8_t>> Slice(Instance& instance, int32_t ptr, int32_t len) {
  std::span<uint8_t> memory = instance.Memory();
  uint64_t start = static_cast<uint32_t>(ptr), size = static_cast<uint32_t>(len);
  if (start + size > memory.size()) return std::nullopt;
  return memory.subspan(start, size);
}

HostOutcome BadPointer(const char* function) {
  return HostOutcome::Fail(TrapKind::kHost, std::string("the app passed an out-of-bounds pointer to ") + function);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Assets only: no absolute paths, no way out of the assets directory.
bool SafeRelative(const std::string& url) {
  if (url.empty() || url[0] == '/') return false;
  for (const auto& part : std::filesystem::path(url)) {
    if (part == "..") return false;
  }
  return true;
}

const char* LevelName(int32_t level) {
  if (level < host_abi::kLogDebug || level > host_abi::kLogError) level = host_abi::kLogError;
  return host_abi::kLogLevelNames[level].data();  // the table's names are literals
}

std::vector<ValueType> HostTypes(const host_abi::ValTypes& types) {
  std::vector<ValueType> out;
  for (host_abi::ValType type : types) {
    switch (type) {
      case host_abi::ValType::kI32: out.push_back(ValueType::kI32); break;
      case host_abi::ValType::kI64: out.push_back(ValueType::kI64); break;
      case host_abi::ValType::kF32: out.push_back(ValueType::kF32); break;
      case host_abi::ValType::kF64: out.push_back(ValueType::kF64); break;
    }
  }
  return out;
}

// The import `abi` of the host ABI, implemented by `fn`.
HostImport Provide(const host_abi::Import& abi, decltype(HostImport::fn) fn) {
  return {std::string(abi.module), std::string(abi.name), HostTypes(abi.signature.params),
          HostTypes(abi.signature.results), std::move(fn)};
}

}  // namespace

HostServices::HostServices(HostConfig config, Font& font)
    : config_(std::move(config)), font_(font), random_state_(config_.random_seed) {}

void HostServices::Warn(std::string message) {
  if (config_.err != nullptr) *config_.err << "wasmship: warning: " << message << "\n";
  warnings_.push_back(std::move(message));
}

std::vector<HostImport> HostServices::Imports() {
  auto bind = [this](auto method) {
    return [this, method](Instance& i, std::span<const Value> a, std::span<Value> r) {
      return (this->*method)(i, a, r);
    };
  };
  auto no_results = [this](auto method) {
    return [this, method](Instance& i, std::span<const Value> a, std::span<Value>) { return (this->*method)(i, a); };
  };
  auto zero = [](Instance&, std::span<const Value>, std::span<Value> r) {
    r[0] = Value::I32(0);
    return HostOutcome::Ok();
  };
  auto sizes = [](Instance& i, std::span<const Value> a, std::span<Value> r) {
    // No arguments and no environment: both counts are zero.
    for (int k = 0; k < 2; ++k) {
      auto slot = Slice(i, a[k].i32, 4);
      if (!slot) return BadPointer("args/environ_sizes_get");
      std::memset(slot->data(), 0, 4);
    }
    r[0] = Value::I32(kWasiOk);
    return HostOutcome::Ok();
  };
  using namespace host_abi;  // the kImport* and kWasi* entries
  return {
      Provide(kImportSubmit, no_results(&HostServices::Submit)),
      Provide(kImportMeasureText, bind(&HostServices::MeasureText)),
      Provide(kImportFetch, bind(&HostServices::Fetch)),
      Provide(kImportLog, no_results(&HostServices::Log)),
      Provide(kImportNowMs,
       [this](Instance&, std::span<const Value>, std::span<Value> r) {
         r[0] = Value::F64(now_ms_);
         return HostOutcome::Ok();
       }),
      Provide(kImportSpawnWorker,
       [](Instance&, std::span<const Value>, std::span<Value> r) {
         r[0] = Value::I32(-1);  // workers are not available: the runtime runs inline
         return HostOutcome::Ok();
       }),
      Provide(kImportTrace,
       [this](Instance& i, std::span<const Value> a, std::span<Value>) {
         if (tracer_ != nullptr) tracer_->OnModuleEvent(a[0].i32, a[1].i32, i.Memory());
         return HostOutcome::Ok();
       }),
      Provide(kImportMarkGood,
       [this](Instance&, std::span<const Value>, std::span<Value>) {
         marked_good_ = true;
         return HostOutcome::Ok();
       }),
      Provide(kWasiFdWrite, bind(&HostServices::FdWrite)),
      Provide(kWasiClockTimeGet, bind(&HostServices::ClockTimeGet)),
      Provide(kWasiRandomGet, bind(&HostServices::RandomGet)),
      Provide(kWasiProcExit,
       [](Instance&, std::span<const Value> a, std::span<Value>) {
         return HostOutcome::Fail(TrapKind::kExit, "the app called proc_exit(" + std::to_string(a[0].i32) + ")",
                                  a[0].i32);
       }),
      Provide(kWasiArgsSizesGet, sizes),
      Provide(kWasiEnvironSizesGet, sizes),
      Provide(kWasiArgsGet, zero),
      Provide(kWasiEnvironGet, zero),
  };
}

HostOutcome HostServices::Submit(Instance& instance, std::span<const Value> args) {
  TraceScope slice(tracer_, "submit", "host");
  auto bytes = Slice(instance, args[0].i32, args[1].i32);
  if (!bytes) return BadPointer("submit");
  Result<DrawList> list = ParseDrawList(*bytes);
  if (!list) {
    Warn("the app submitted a draw list that does not parse (" + list.error().message +
         "); keeping the previous frame");
    return HostOutcome::Ok();
  }
  last_frame_ = std::make_unique<DrawList>(std::move(*list));
  ++submissions_;
  return HostOutcome::Ok();
}

HostOutcome HostServices::MeasureText(Instance& instance, std::span<const Value> args, std::span<Value> results) {
  TraceScope slice(tracer_, "measure_text", "host");
  auto text = Slice(instance, args[0].i32, args[1].i32);
  if (!text) return BadPointer("measure_text");
  float size = std::isfinite(args[2].f32) ? args[2].f32 : 0;
  TextSize measured = font_.Measure(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()), size);
  results[0] = Value::I64((static_cast<int64_t>(measured.width) << 32) | measured.height);
  return HostOutcome::Ok();
}

HostServices::Completion HostServices::Load(int32_t request, const std::string& url) {
  Completion done{request, kStatusNotFound, {}};
  if (config_.assets_dir.empty()) {
    Warn("fetch of '" + url + "' refused: the app has no assets directory (set `assets:` in wasmship.yaml)");
    return done;
  }
  if (!SafeRelative(url)) {
    Warn("fetch of '" + url + "' refused: only files under the app's assets directory can be fetched");
    return done;
  }
  std::string path = config_.assets_dir + "/" + url;
  Result<std::string> bytes = ReadFile(path, kImageFile);
  if (!bytes) {
    Warn("fetch of '" + url + "': " + bytes.error().message);
    return done;
  }
  if (EndsWith(url, ".png")) {
    auto data = std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    Result<Image> image = DecodePng(data);
    if (!image) {
      Warn("image '" + url + "' cannot be decoded (" + image.error().message + "); the app shows its placeholder");
      done.status = kStatusUndecodable;
      return done;
    }
    images_[request] = std::move(*image);  // the host keeps images; the app gets no body
    image_urls_[request] = url;
    done.status = kStatusOk;
    return done;
  }
  done.status = kStatusOk;
  done.body.assign(bytes->begin(), bytes->end());
  return done;
}

Result<bool> HostServices::ReloadImage(const std::string& url) {
  std::vector<int32_t> ids;
  for (const auto& [id, loaded_from] : image_urls_) {
    if (loaded_from == url) ids.push_back(id);
  }
  if (ids.empty()) return false;
  Result<std::string> bytes = ReadFile(config_.assets_dir + "/" + url, kImageFile);
  if (!bytes) return Error{"image '" + url + "' cannot be read: " + bytes.error().message};
  Result<Image> image = DecodePng(std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()));
  if (!image) return Error{"image '" + url + "' cannot be decoded: " + image.error().message};
  for (int32_t id : ids) images_[id] = *image;
  return true;
}

HostOutcome HostServices::Fetch(Instance& instance, std::span<const Value> args, std::span<Value> results) {
  TraceScope slice(tracer_, "fetch", "host");
  auto url = Slice(instance, args[0].i32, args[1].i32);
  if (!url) return BadPointer("fetch");
  int32_t request = next_request_++;
  if (tracer_ != nullptr) slice.event().texts["url"] = std::string(url->begin(), url->end());
  // Loaded now, delivered on a later frame: the app must not rely on timing.
  pending_.push_back(Load(request, std::string(url->begin(), url->end())));
  results[0] = Value::I32(request);
  return HostOutcome::Ok();
}

HostOutcome HostServices::Log(Instance& instance, std::span<const Value> args) {
  auto text = Slice(instance, args[1].i32, args[2].i32);
  if (!text) return BadPointer("log");
  if (config_.err != nullptr) {
    *config_.err << "[app " << LevelName(args[0].i32) << "] " << std::string(text->begin(), text->end()) << "\n";
  }
  return HostOutcome::Ok();
}

HostOutcome HostServices::FdWrite(Instance& instance, std::span<const Value> args, std::span<Value> results) {
  int32_t fd = args[0].i32;
  if (fd != 1 && fd != 2) {
    results[0] = Value::I32(kWasiBadf);
    return HostOutcome::Ok();
  }
  auto iovs = Slice(instance, args[1].i32, args[2].i32 * 8);
  if (!iovs) return BadPointer("fd_write");
  uint32_t total = 0;
  std::ostream* out = fd == 1 ? config_.out : config_.err;
  for (int32_t i = 0; i < args[2].i32; ++i) {
    int32_t ptr, len;
    std::memcpy(&ptr, iovs->data() + i * 8, 4);
    std::memcpy(&len, iovs->data() + i * 8 + 4, 4);
    auto chunk = Slice(instance, ptr, len);
    if (!chunk) return BadPointer("fd_write");
    if (out != nullptr) out->write(reinterpret_cast<const char*>(chunk->data()), static_cast<std::streamsize>(len));
    total += static_cast<uint32_t>(len);
  }
  if (out != nullptr) out->flush();
  auto written = Slice(instance, args[3].i32, 4);
  if (!written) return BadPointer("fd_write");
  std::memcpy(written->data(), &total, 4);
  results[0] = Value::I32(kWasiOk);
  return HostOutcome::Ok();
}

HostOutcome HostServices::ClockTimeGet(Instance& instance, std::span<const Value> args, std::span<Value> results) {
  auto out = Slice(instance, args[2].i32, 8);
  if (!out) return BadPointer("clock_time_get");
  // Every clock is the virtual clock: runs are deterministic.
  uint64_t ns = static_cast<uint64_t>(now_ms_ * 1e6);
  std::memcpy(out->data(), &ns, 8);
  results[0] = Value::I32(args[0].i32 >= 0 && args[0].i32 <= 3 ? kWasiOk : kWasiInval);
  return HostOutcome::Ok();
}

HostOutcome HostServices::RandomGet(Instance& instance, std::span<const Value> args, std::span<Value> results) {
  auto buffer = Slice(instance, args[0].i32, args[1].i32);
  if (!buffer) return BadPointer("random_get");
  for (uint8_t& byte : *buffer) {
    random_state_ = random_state_ * 6364136223846793005ull + 1442695040888963407ull;
    byte = static_cast<uint8_t>(random_state_ >> 56);
  }
  results[0] = Value::I32(kWasiOk);
  return HostOutcome::Ok();
}

CallOutcome HostServices::DeliverFetches(Instance& instance) {
  if (pending_.empty()) return {};
  TraceScope slice(tracer_, "fetch delivery", "host");
  std::deque<Completion> due = std::move(pending_);
  pending_.clear();
  for (Completion& done : due) {
    int32_t ptr = 0;
    if (!done.body.empty()) {
      Value size = Value::I32(static_cast<int32_t>(done.body.size()));
      CallOutcome alloc = instance.Call(std::string(host_abi::kExportAlloc.name), std::span(&size, 1));
      if (alloc.trapped) return alloc;
      ptr = alloc.results.empty() ? 0 : alloc.results[0].i32;
      auto target = Slice(instance, ptr, static_cast<int32_t>(done.body.size()));
      if (ptr == 0 || !target) {
        Warn("the app could not allocate " + std::to_string(done.body.size()) + " bytes for a fetch result");
        done.status = host_abi::kFetchNoRoom;
        ptr = 0;
        done.body.clear();
      } else {
        std::memcpy(target->data(), done.body.data(), done.body.size());
      }
    }
    Value args[4] = {Value::I32(done.request), Value::I32(done.status), Value::I32(ptr),
                     Value::I32(static_cast<int32_t>(done.body.size()))};
    CallOutcome delivered = instance.Call(std::string(host_abi::kExportFetchDone.name), args);
    if (delivered.trapped) return delivered;
  }
  return {};
}

}  // namespace ws::host
