// Colors and sizes shared by the pages.
#pragma once

#include <wasmship/props.hpp>

namespace theme {
constexpr ws::Color kBackground = ws::Color(0x0E1117FFu);
constexpr ws::Color kText = ws::Color(0xF2F2F2FFu);
constexpr ws::Color kMuted = ws::Color(0x9AA0A6FFu);
constexpr ws::Color kFocusRing = ws::Color(0xFFFFFFFFu);
constexpr ws::Color kNoRing = ws::Color(0xFFFFFF00u);
constexpr ws::Color kButton = ws::Color(0x2B2F36FFu);
constexpr ws::Color kKids = ws::Color(0xFFCC00FFu);
constexpr float kTileWidth = 240;
constexpr float kTileHeight = 135;
constexpr float kFocusScale = 1.08f;
constexpr int kFocusMs = 150;
}  // namespace theme
