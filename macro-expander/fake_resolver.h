// An ElementResolver with a fixed table, for tests of the checker and the
// generator that do not need clang.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "macro-expander/element_info.h"

namespace ws::dsl::testing {

class FakeResolver : public ElementResolver {
 public:
  FakeResolver() {
    ElementInfo column{ElementInfo::Kind::kWidget, "Column", "::ws::ColumnProps", "::ws::Column", {}, true, false};
    column.props = {{"width", PropType::kLength, "::ws::Length", {}, false, ""},
                    {"gap", PropType::kNumber, "float", {}, false, ""},
                    {"focusable", PropType::kBool, "bool", {}, false, ""},
                    {"align", PropType::kEnum, "::ws::Align", {"Start", "Center", "End", "Stretch"}, false, ""},
                    {"background", PropType::kColor, "::ws::Color", {}, false, ""},
                    {"transition", PropType::kDuration, "::ws::Duration", {}, false, ""},
                    {"on_select", PropType::kHandler, "::ws::Handler", {}, false, ""}};
    elements_["Column"] = column;
    ElementInfo text{ElementInfo::Kind::kWidget, "Text", "::ws::TextProps", "::ws::Text", {}, false, false};
    text.props = {{"text", PropType::kString, "::std::string", {}, false, ""},
                  {"size", PropType::kNumber, "float", {}, false, ""}};
    elements_["Text"] = text;
    ElementInfo tile{ElementInfo::Kind::kComposable, "Tile", "", "::Tile", {}, false, false};
    tile.props = {{"title", PropType::kString, "::std::string", {}, true, ""},
                  {"wide", PropType::kBool, "bool", {}, false, "false"},
                  {"on_pick", PropType::kHandler, "::ws::Handler", {}, false, "{}"}};
    elements_["Tile"] = tile;
  }

  const ElementInfo* Resolve(const std::string& name) override {
    auto it = elements_.find(name);
    return it == elements_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> KnownNames() override {
    std::vector<std::string> names;
    for (const auto& [name, info] : elements_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, ElementInfo> elements_;
};

}  // namespace ws::dsl::testing
