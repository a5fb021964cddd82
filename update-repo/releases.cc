#include "update-repo/releases.h"

#include <algorithm>
#include <cstdlib>

namespace ws::tuf {
namespace {

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Lists(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const Json& v) { return v.is_string() && v == value; });
}

Rollout ReadRollout(const Json& custom) {
  Rollout rollout;
  if (!custom.contains("rollout") || !custom["rollout"].is_object()) return rollout;
  const Json& r = custom["rollout"];
  if (r.contains("basis_points") && r["basis_points"].is_number_integer()) rollout.basis_points = r["basis_points"];
  if (r.contains("salt") && r["salt"].is_string()) rollout.salt = r["salt"];
  if (r.contains("halted") && r["halted"].is_boolean()) rollout.halted = r["halted"];
  if (r.contains("devices") && r["devices"].is_array()) {
    for (const Json& d : r["devices"]) {
      if (d.is_string()) rollout.devices.push_back(d);
    }
  }
  return rollout;
}

}  // namespace

int CompareVersions(const std::string& a, const std::string& b) {
  std::vector<std::string> x = Split(a, '.'), y = Split(b, '.');
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    std::string p = i < x.size() ? x[i] : "0", q = i < y.size() ? y[i] : "0";
    if (AllDigits(p) && AllDigits(q)) {
      unsigned long long m = std::strtoull(p.c_str(), nullptr, 10), n = std::strtoull(q.c_str(), nullptr, 10);
      if (m != n) return m < n ? -1 : 1;
    } else if (p != q) {
      return p < q ? -1 : 1;
    }
  }
  return 0;
}

int RolloutBucket(const std::string& device_id, const std::string& salt) {
  std::string digest = Sha256Hex(device_id + salt);
  uint64_t value = std::strtoull(digest.substr(0, 15).c_str(), nullptr, 16);  // 60 bits
  return static_cast<int>(value % 10000);
}

bool InRollout(const Rollout& rollout, const std::string& device_id) {
  if (std::find(rollout.devices.begin(), rollout.devices.end(), device_id) != rollout.devices.end()) return true;
  return RolloutBucket(device_id, rollout.salt) < rollout.basis_points;
}

Json RolloutJson(const Rollout& rollout) {
  return Json{{"basis_points", rollout.basis_points},
              {"salt", rollout.salt},
              {"halted", rollout.halted},
              {"devices", rollout.devices}};
}

std::vector<Release> ReleasesOf(const std::map<std::string, TargetFile>& targets) {
  std::map<std::string, Release> by_version;
  for (const auto& [path, target] : targets) {
    const Json& c = target.custom;
    if (!c.is_object() || !c.contains("version") || !c["version"].is_string()) continue;
    Release& release = by_version[c["version"]];
    release.version = c["version"];
    release.app = c.value("app", "");
    if (c.value("kind", "full") == "delta") {
      release.deltas.push_back(&target);
    } else {
      release.full.push_back(&target);
      release.rollout = ReadRollout(c);
      if (c.contains("withdrawn") && c["withdrawn"].is_boolean()) release.withdrawn = c["withdrawn"];
    }
  }
  std::vector<Release> out;
  for (auto& [version, release] : by_version) {
    if (!release.full.empty()) out.push_back(std::move(release));
  }
  std::sort(out.begin(), out.end(),
            [](const Release& a, const Release& b) { return CompareVersions(a.version, b.version) > 0; });
  return out;
}

Result<std::optional<Choice>> ChooseTarget(const std::vector<Release>& releases, const std::string& device,
                                           const std::string& device_id, const std::string& installed_version,
                                           const std::string& installed_wasm,
                                           const std::vector<std::string>& crashed) {
  const Release* installed = nullptr;
  for (const Release& r : releases) {
    if (r.version == installed_version) installed = &r;
  }
  for (const Release& release : releases) {
    const TargetFile* full = nullptr;
    for (const TargetFile* t : release.full) {
      if (Lists(t->custom["devices"], device)) full = t;
    }
    if (full == nullptr || release.withdrawn) continue;
    if (std::find(crashed.begin(), crashed.end(), full->custom.value("wasm_sha256", "")) != crashed.end()) continue;
    bool current = release.version == installed_version;
    if (!current && (release.rollout.halted || !InRollout(release.rollout, device_id))) continue;
    if (current) return std::optional<Choice>();
    Choice choice{&release, full, false};
    if (!installed_version.empty() && CompareVersions(release.version, installed_version) < 0) {
      if (installed == nullptr || !installed->withdrawn)
        return Error{"rollback attack: the repository offers " + release.app + " " + release.version +
                     ", older than the installed " + installed_version + ", which it has not withdrawn"};
      choice.downgrade = true;
    }
    for (const TargetFile* d : release.deltas) {
      if (d->custom.value("variant", "") == full->custom.value("variant", "") && !installed_wasm.empty() &&
          d->custom.contains("delta_base") && d->custom["delta_base"] == installed_wasm)
        choice.target = d;
    }
    return std::optional<Choice>(choice);
  }
  return std::optional<Choice>();
}

}  // namespace ws::tuf
