// The `expect:` step of a scenario (docs/testing.md): its fields read from
// YAML with every problem reported at its line:column, and where a golden
// screenshot lives for a screen size.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config-yaml/yaml_file.h"
#include "device-host/session/key_script.h"

namespace ws::host {

// The fields an expect step may have, in the order docs/testing.md lists them.
const std::vector<std::string>& ExpectFields();

// Reads the value of `expect:`; nullopt (with diagnostics) when it is not a
// mapping, names an unknown field, has a value of the wrong type, or names
// no check at all.
std::optional<Expect> ReadExpect(YamlReader& r, const YAML::Node& node);

// Where the golden `written` (as the scenario names it, relative to the
// scenario's directory) is kept for a width x height screen: the size is a
// directory of its own just above the file, so "golden/home.png" of
// tests/nav.yaml at 1280x720 is tests/golden/1280x720/home.png.
std::string GoldenPathFor(const std::string& scenario_dir, const std::string& written, int width, int height);

}  // namespace ws::host
