#include "platform/step_timeout.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace ws {

std::optional<double> ParseDuration(std::string_view text) {
  std::string s(text);
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(s.c_str(), &end);
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1}, {"s", 1}, {"ms", 0.001}, {"m", 60}, {"min", 60}, {"h", 3600}};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    double seconds = value * scale;
    if (!std::isfinite(seconds) || seconds <= 0 || seconds > 7 * 24 * 3600) return std::nullopt;
    return seconds;
  }
  return std::nullopt;
}

Result<std::optional<double>> StepTimeoutFromEnvironment() {
  const char* text = std::getenv(kStepTimeoutVariable);
  if (text == nullptr || *text == '\0') return std::optional<double>();
  std::optional<double> seconds = ParseDuration(text);
  if (!seconds) {
    return Error{std::string(kStepTimeoutVariable) + " must be a duration such as 90s, 5m or 1h (at most a week), not '" +
                 text + "'"};
  }
  return seconds;
}

}  // namespace ws
