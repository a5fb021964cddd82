#include "cli/output_format.h"

#include <map>

namespace ws {

CLI::Option* AddFormatOption(CLI::App& app, OutputFormat& format, const std::vector<OutputFormat>& offered,
                             const std::string& description) {
  std::map<std::string, OutputFormat> names;
  std::string shown;
  for (OutputFormat f : offered) {
    names[size::FormatName(f)] = f;
    shown += (shown.empty() ? "" : "|") + std::string(size::FormatName(f));
  }
  return app.add_option("--format", format, description)
      ->transform(CLI::CheckedTransformer(names))
      ->option_text(shown);
}

}  // namespace ws
