// The props of the built-in widgets, declared once: app code fills these
// structs (directly or through the compose DSL), and the DSL expander reads
// the field names and types from here, through the C++ AST. Fields are
// plain (no base classes) so that designated initializers and the DSL's
// `name: value` pairs map one to one onto them.
//
// Enumerators are spelled as the DSL writes them (`style: Title`).
#ifndef WASMSHIP_PROPS_HPP_
#define WASMSHIP_PROPS_HPP_

#include <cstdint>
#include <string>

#include "wasmship/callback.hpp"

namespace ws {

using Handler = Callback<void()>;

// A size: pixels, a percentage of the parent's content box, or auto (fit
// the content).
struct Length {
  enum class Unit : uint8_t { Auto, Px, Percent };
  float value = 0;
  Unit unit = Unit::Auto;

  constexpr Length() = default;
  constexpr Length(int px) : value(static_cast<float>(px)), unit(Unit::Px) {}
  constexpr Length(float px) : value(px), unit(Unit::Px) {}
  constexpr Length(double px) : value(static_cast<float>(px)), unit(Unit::Px) {}
  static constexpr Length Px(float v) { return Length(v); }
  static constexpr Length Percent(float v) {
    Length l;
    l.value = v;
    l.unit = Unit::Percent;
    return l;
  }
  constexpr bool operator==(const Length&) const = default;
};

struct Duration {
  float ms = 0;
  constexpr Duration() = default;
  constexpr Duration(int milliseconds) : ms(static_cast<float>(milliseconds)) {}
  constexpr Duration(float milliseconds) : ms(milliseconds) {}
  constexpr Duration(double milliseconds) : ms(static_cast<float>(milliseconds)) {}
  constexpr bool operator==(const Duration&) const = default;
};

// 0xRRGGBBAA.
struct Color {
  uint32_t rgba = 0;
  constexpr Color() = default;
  constexpr Color(uint32_t value) : rgba(value) {}
  constexpr bool operator==(const Color&) const = default;
};

// Padding on each side, in pixels; one number sets all four.
struct Edges {
  float top = 0, right = 0, bottom = 0, left = 0;
  constexpr Edges() = default;
  constexpr Edges(int all) : Edges(static_cast<float>(all)) {}
  constexpr Edges(float all) : top(all), right(all), bottom(all), left(all) {}
  constexpr Edges(double all) : Edges(static_cast<float>(all)) {}
  constexpr Edges(float vertical, float horizontal)
      : top(vertical), right(horizontal), bottom(vertical), left(horizontal) {}
  constexpr bool operator==(const Edges&) const = default;
};

// Cross-axis placement of children.
enum class Align : uint8_t { Start, Center, End, Stretch };
// Main-axis distribution of children.
enum class Justify : uint8_t { Start, Center, End, SpaceBetween };
enum class TextStyle : uint8_t { Body, Title, Headline, Caption };

inline namespace literals {
constexpr Length operator""_px(unsigned long long v) { return Length(static_cast<float>(v)); }
constexpr Length operator""_px(long double v) { return Length(static_cast<float>(v)); }
constexpr Length operator""_pct(unsigned long long v) { return Length::Percent(static_cast<float>(v)); }
constexpr Length operator""_pct(long double v) { return Length::Percent(static_cast<float>(v)); }
constexpr Duration operator""_ms(unsigned long long v) { return Duration(static_cast<float>(v)); }
constexpr Duration operator""_s(unsigned long long v) { return Duration(static_cast<float>(v) * 1000); }
constexpr Duration operator""_s(long double v) { return Duration(static_cast<float>(v) * 1000); }
}  // namespace literals

// Props every widget has. `transition` animates changes of position, size,
// scale, opacity and color over that duration. Handlers run on the focused
// entity (select), on focus changes, and for `back` on the nearest entity
// up the tree that has one.
#define WS_COMMON_PROPS            \
  ::ws::Length width;              \
  ::ws::Length height;             \
  ::ws::Edges padding;             \
  ::ws::Color background;          \
  float radius = 0;                \
  ::ws::Color border_color;        \
  float border_width = 0;          \
  float opacity = 1;               \
  float scale = 1;                 \
  ::ws::Duration transition;       \
  bool focusable = false;          \
  bool autofocus = false;          \
  ::ws::Handler on_select;         \
  ::ws::Handler on_focus;          \
  ::ws::Handler on_blur;           \
  ::ws::Handler on_back;

// Props of widgets that lay out children. `clip` hides what overflows;
// `scroll` (Column) scrolls to keep the focused descendant visible.
#define WS_CONTAINER_PROPS                  \
  float gap = 0;                            \
  ::ws::Align align = ::ws::Align::Start;   \
  ::ws::Justify justify = ::ws::Justify::Start; \
  bool clip = false;                        \
  bool scroll = false;

// Children left to right.
struct RowProps {
  static constexpr bool kAcceptsChildren = true;
  WS_COMMON_PROPS
  WS_CONTAINER_PROPS
};

// Children top to bottom.
struct ColumnProps {
  static constexpr bool kAcceptsChildren = true;
  WS_COMMON_PROPS
  WS_CONTAINER_PROPS
};

// Children on top of each other, placed by align (vertical) and justify (horizontal).
struct StackProps {
  static constexpr bool kAcceptsChildren = true;
  WS_COMMON_PROPS
  WS_CONTAINER_PROPS
};

// A decorated container: like Stack, usually with one child.
struct BoxProps {
  static constexpr bool kAcceptsChildren = true;
  WS_COMMON_PROPS
  WS_CONTAINER_PROPS
};

// Children in rows of `columns` equal cells.
struct GridProps {
  static constexpr bool kAcceptsChildren = true;
  WS_COMMON_PROPS
  WS_CONTAINER_PROPS
  int columns = 2;
};

// One line of text. `size` 0 takes the size of `style`.
struct TextProps {
  static constexpr bool kAcceptsChildren = false;
  WS_COMMON_PROPS
  std::string text;
  float size = 0;
  ::ws::Color color = ::ws::Color(0xFFFFFFFFu);
  ::ws::TextStyle style = ::ws::TextStyle::Body;
};

// An image loaded from the app's assets; `placeholder` shows until it arrives
// (and stays if it cannot be loaded).
struct ImageProps {
  static constexpr bool kAcceptsChildren = false;
  WS_COMMON_PROPS
  std::string src;
  ::ws::Color placeholder = ::ws::Color(0x2A2A2AFFu);
};

// Takes a share (`grow`) of the free space of a Row or Column.
struct SpacerProps {
  static constexpr bool kAcceptsChildren = false;
  WS_COMMON_PROPS
  float grow = 1;
};

// A horizontal, virtualized list: only the items on screen (plus a small
// margin) exist; `item(i)` builds item i when it scrolls into view. The rail
// scrolls smoothly to keep the focused item visible. `initial_index` is the
// item brought into view first (focus restoration).
struct RailProps {
  static constexpr bool kAcceptsChildren = false;
  WS_COMMON_PROPS
  float gap = 0;
  int count = 0;
  float item_width = 0;
  float item_height = 0;
  int initial_index = 0;
  Callback<void(int)> item;
};

}  // namespace ws

#endif  // WASMSHIP_PROPS_HPP_
