#include "cli/output_format.h"

#include <map>

namespace ws {

namespace {
constexpr OutputFormat kAllFormats[] = {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kMarkdown,
                                        OutputFormat::kHtml};
}  // namespace

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText: return "text";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kMarkdown: return "md";
    case OutputFormat::kHtml: return "html";
  }
  return "text";
}

size::Format SizeReportFormat(OutputFormat format) {
  switch (format) {
    case OutputFormat::kText: return size::Format::kText;
    case OutputFormat::kJson: return size::Format::kJson;
    case OutputFormat::kMarkdown: return size::Format::kMarkdown;
    case OutputFormat::kHtml: return size::Format::kHtml;
  }
  return size::Format::kText;
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (OutputFormat format : kAllFormats) {
    if (name == OutputFormatName(format)) return format;
  }
  return std::nullopt;
}

CLI::Option* AddFormatOption(CLI::App& app, OutputFormat& format, const std::vector<OutputFormat>& offered,
                             const std::string& description) {
  std::map<std::string, OutputFormat> names;
  std::string shown;
  for (OutputFormat f : offered) {
    names[OutputFormatName(f)] = f;
    shown += (shown.empty() ? "" : "|") + std::string(OutputFormatName(f));
  }
  return app.add_option("--format", format, description)
      ->transform(CLI::CheckedTransformer(names))
      ->option_text(shown);
}

}  // namespace ws
