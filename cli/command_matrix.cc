// wasmship matrix [--explain D]: the devices, the variants they reduce to,
// and why a device gets its variant.
#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <array>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/failure.h"
#include "cli/exit_code.h"
#include "cli/project_root.h"
#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"

namespace ws {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "mvp" : out;
}

std::string Memory(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%llu MiB", static_cast<unsigned long long>(bytes >> 20));
  return text;
}

void PrintTable(const DeviceMatrix& matrix, const std::vector<Variant>& variants, const std::string& profile) {
  std::vector<std::array<std::string, 5>> rows = {{"device", "features", "memory", "engine", "variant"}};
  std::unordered_map<std::string_view, std::string_view> variant_of;  // linear in the devices
  for (const Variant& v : variants) {
    for (const std::string& d : v.devices) variant_of[d] = v.name;
  }
  for (const Device& device : matrix.devices) {
    auto found = variant_of.find(device.name);
    std::string variant = found == variant_of.end() ? "" : std::string(found->second);
    rows.push_back({device.name, Join(device.features.Names()), Memory(device.memory), device.engine, variant});
  }
  std::array<size_t, 5> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i] + (i + 1 < row.size() ? std::string(width[i] - row[i].size() + 2, ' ') : "");
    }
    std::cout << line << "\n";
  }
  std::cout << "\n" << matrix.devices.size() << " devices, " << variants.size() << " variants (profile " << profile
            << "): one build per variant\n";
}

int RunMatrix(const std::string& explain, const std::string& profile_name, const GlobalOptions& global) {
  std::optional<ProjectRoot> project = EnterProjectRoot(global);
  if (!project) return kExitUsage;
  DiagnosticSink sink;
  auto fail = [&] { return Fail(global, kExitUsage, sink); };
  std::optional<Manifest> manifest = LoadManifest(project->manifest, sink);
  if (!manifest) return fail();
  const Profile* profile = FindProfile(*manifest, profile_name, sink);
  if (profile == nullptr) return fail();
  if (manifest->devices_file.empty()) {
    sink.Error({manifest->path, 0, 0, 1}, "wasmship.yaml names no devices file", {"add `devices: devices.yaml`"});
    return fail();
  }
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(manifest->devices_file, sink);
  if (!matrix) return fail();
  PipelinePolicy policy{profile->optimize, profile->aot_speed};
  std::vector<Variant> variants = PlanVariants(*matrix, matrix->Names(), profile->name, policy);
  if (explain.empty()) {
    PrintTable(*matrix, variants, profile->name);
    return kExitOk;
  }
  const Device* device = FindDevice(*matrix, explain, sink);
  if (device == nullptr) return fail();
  for (const Variant& v : variants) {
    if (std::find(v.devices.begin(), v.devices.end(), explain) == v.devices.end()) continue;
    std::cout << explain << " gets variant " << v.name << "\n";
    for (const std::string& line : Explain(*device, v, policy)) std::cout << "  " << line << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddMatrixCommand(CLI::App& parent, const GlobalOptions& global) {
  auto explain = std::make_shared<std::string>();
  auto profile = std::make_shared<std::string>("debug");
  CLI::App* app = parent.add_subcommand("matrix", "List devices and the variants they build into");
  app->add_option("--explain", *explain, "Say why DEVICE gets its variant and who shares it")->option_text("DEVICE");
  app->add_option("-p,--profile", *profile, "Profile (default debug)")->option_text("PROFILE");
  return {app, [explain, profile, &global] { return RunMatrix(*explain, *profile, global); }};
}

}  // namespace ws
