// dist/index.json: what an update server reads to tell each device which
// bundle (and, if it has the previous release, which delta) to fetch. The
// layout is DESIGN.md's; "delta" per device is optional and omitted when
// there is none, so readers of the plain layout are unaffected.
#include <nlohmann/json.hpp>

#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {

std::string IndexJson(const ReleaseIndex& index) {
  using nlohmann::json;
  json devices = json::object();
  for (const auto& [name, d] : index.devices) {
    json device = {{"bundle", d.bundle}, {"sha256", d.sha256}, {"bytes", d.bytes}, {"variant", d.variant}};
    if (d.delta) {
      device["delta"] = {{"bundle", d.delta->bundle},
                         {"sha256", d.delta->sha256},
                         {"bytes", d.delta->bytes},
                         {"base_sha256", d.delta->base_sha256}};
    }
    devices[name] = std::move(device);
  }
  json variants = json::object();
  for (const auto& [name, v] : index.variants)
    variants[name] = {{"features", v.features}, {"devices", v.devices}};
  json root = {{"app", index.app}, {"version", index.version}, {"devices", devices}, {"variants", variants}};
  // json's objects are std::maps (sorted keys), so the text is deterministic.
  // `replace` instead of throwing on a name that is not UTF-8.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ws::bundle
