// wasmship cache stats|gc|clear: the action cache (docs/cache.md). Inside a
// project its `cache:` settings apply; elsewhere the environment's and the
// user default.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "action-cache/cache_maintenance.h"
#include "action-cache/cache_settings.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "compiler-driver/manifest.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// The settings of the project around -C DIR (or the current directory),
// if there is one; nullopt after reporting a bad manifest or environment.
std::optional<CacheSettings> FindSettings(const GlobalOptions& global, int& exit_code) {
  std::error_code ec;
  std::string start = global.directory.empty() ? fs::current_path(ec).string() : global.directory;
  CacheConfig config;
  if (std::optional<std::string> manifest_path = FindManifest(start)) {
    DiagnosticSink sink;
    std::optional<Manifest> manifest = LoadManifest(*manifest_path, sink);
    if (!manifest) {
      exit_code = Fail(global, kExitUsage, sink);
      return std::nullopt;
    }
    config = manifest->cache;
  }
  Result<CacheSettings> settings = ResolveCacheSettings(config);
  if (!settings) {
    exit_code = Fail(global, kExitUsage, settings.error().message);
    return std::nullopt;
  }
  return *settings;
}

nlohmann::ordered_json StatsJson(const CacheSettings& s) {
  CacheUsage usage = MeasureCache(s.dir);
  CacheCounters c = ReadCacheStats(s.dir);
  nlohmann::ordered_json steps = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kStepKinds; ++i) {
    steps[std::string(StepKindName(static_cast<StepKind>(i)))] = {{"hits", c.hits[i]}, {"misses", c.misses[i]}};
  }
  return {{"dir", s.dir},       {"dir_from", s.dir_origin},  {"max_size", s.max_size},
          {"bytes", usage.bytes}, {"entries", usage.entries}, {"blobs", usage.blobs},
          {"steps", steps},     {"stored_bytes", c.stored_bytes}, {"evictions", c.evictions},
          {"corrupt", c.corrupt}, {"remote", s.remote},      {"remote_read_only", s.remote_read_only}};
}

void PrintStats(const nlohmann::ordered_json& j) {
  std::cout << "cache " << j["dir"].get<std::string>() << " (" << j["dir_from"].get<std::string>() << ")\n"
            << "  " << DescribeBytes(j["bytes"]) << " of " << DescribeBytes(j["max_size"]) << " in "
            << j["entries"].get<uint64_t>() << " entries and " << j["blobs"].get<uint64_t>() << " blobs\n";
  std::printf("  %-10s %10s %10s\n", "step", "hits", "misses");
  std::cout.flush();
  for (const auto& [name, step] : j["steps"].items()) {
    std::printf("  %-10s %10llu %10llu\n", name.c_str(), static_cast<unsigned long long>(step["hits"].get<uint64_t>()),
                static_cast<unsigned long long>(step["misses"].get<uint64_t>()));
  }
  std::fflush(stdout);
  std::cout << "  stored " << DescribeBytes(j["stored_bytes"]) << "; " << j["evictions"].get<uint64_t>()
            << " files evicted; " << j["corrupt"].get<uint64_t>() << " damaged files removed\n";
  if (!j["remote"].get<std::string>().empty()) {
    std::cout << "  remote " << j["remote"].get<std::string>() << (j["remote_read_only"].get<bool>() ? " (read-only)" : "")
              << "\n";
  }
}

int RunStats(const GlobalOptions& global, OutputFormat format) {
  int exit_code = kExitOk;
  std::optional<CacheSettings> settings = FindSettings(global, exit_code);
  if (!settings) return exit_code;
  nlohmann::ordered_json stats = StatsJson(*settings);
  if (format == OutputFormat::kJson) {
    std::cout << stats.dump(2) << "\n";
  } else {
    PrintStats(stats);
  }
  return kExitOk;
}

int RunGc(const GlobalOptions& global, const std::string& max_size) {
  int exit_code = kExitOk;
  std::optional<CacheSettings> settings = FindSettings(global, exit_code);
  if (!settings) return exit_code;
  uint64_t cap = settings->max_size;
  if (!max_size.empty()) {
    Result<uint64_t> parsed = ParseByteSize(max_size);
    if (!parsed) return Fail(global, kExitUsage, "--max-size: " + parsed.error().message);
    cap = *parsed;
  }
  uint64_t before = MeasureCache(settings->dir).bytes;
  Result<uint64_t> evicted = EvictToSize(settings->dir, cap);
  if (!evicted) return Fail(global, kExitBuildError, evicted.error().message);
  CacheCounters counters;
  counters.evictions = *evicted;
  if (*evicted > 0) (void)AddCacheStats(settings->dir, counters);
  uint64_t after = MeasureCache(settings->dir).bytes;
  if (!global.quiet) {
    std::cout << "evicted " << *evicted << " files (" << DescribeBytes(before - after) << "); the cache holds "
              << DescribeBytes(after) << " of " << DescribeBytes(cap) << "\n";
  }
  return kExitOk;
}

int RunClear(const GlobalOptions& global) {
  int exit_code = kExitOk;
  std::optional<CacheSettings> settings = FindSettings(global, exit_code);
  if (!settings) return exit_code;
  uint64_t before = MeasureCache(settings->dir).bytes;
  if (Status cleared = ClearCache(settings->dir); !cleared) return Fail(global, kExitBuildError, cleared.error().message);
  if (!global.quiet) std::cout << "removed " << DescribeBytes(before) << " from " << settings->dir << "\n";
  return kExitOk;
}

}  // namespace

Command AddCacheCommand(CLI::App& parent, const GlobalOptions& global) {
  CLI::App* app = parent.add_subcommand("cache", "Show, trim or empty the build cache (docs/cache.md)");
  app->require_subcommand(1);
  auto format = std::make_shared<OutputFormat>(OutputFormat::kText);
  auto max_size = std::make_shared<std::string>();
  auto which = std::make_shared<std::string>();
  CLI::App* stats = app->add_subcommand("stats", "Hits and misses per step, size, evictions");
  AddFormatOption(*stats, *format, {OutputFormat::kText, OutputFormat::kJson}, "Output format");
  stats->callback([which] { *which = "stats"; });
  CLI::App* gc = app->add_subcommand("gc", "Evict least recently used entries down to the size cap");
  gc->add_option("--max-size", *max_size, "Cap to trim to (default: cache.max_size, 5GiB)")->option_text("SIZE");
  gc->callback([which] { *which = "gc"; });
  CLI::App* clear = app->add_subcommand("clear", "Remove every cached entry");
  clear->callback([which] { *which = "clear"; });
  return {app, [which, format, max_size, &global] {
            if (*which == "gc") return RunGc(global, *max_size);
            if (*which == "clear") return RunClear(global);
            return RunStats(global, *format);
          }};
}

}  // namespace ws
