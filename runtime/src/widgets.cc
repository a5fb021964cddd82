// Built-in widgets: each builder function creates an entity, stores its
// props, and splits them into components (ApplyProps). A bound prop change
// (Bind) re-applies the props; only a change of layout-relevant values
// triggers layout, and animatable values start a transition.
#include "src/animation.h"
#include "src/tree.h"
#include "src/widget_props.h"
#include "wasmship/builder.hpp"

namespace ws {
namespace {

using ui::ScrollState;
using ui::Style;
using ui::Widget;

uint32_t ResolveTextSize(const TextProps& p) {
  if (p.size > 0) return static_cast<uint32_t>(p.size);
  switch (p.style) {
    case TextStyle::Headline: return 48;
    case TextStyle::Title: return 32;
    case TextStyle::Caption: return 18;
    case TextStyle::Body: return 24;
  }
  return 24;
}

template <typename Props>
Style CommonStyle(const Props& p) {
  Style s;
  s.width = p.width;
  s.height = p.height;
  s.padding = p.padding;
  s.background = p.background.rgba;
  s.border_color = p.border_color.rgba;
  s.radius = p.radius;
  s.border_width = p.border_width;
  s.opacity = p.opacity;
  s.scale = p.scale;
  s.transition_ms = p.transition.ms;
  return s;
}

template <typename Props>
Style ContainerStyle(const Props& p) {
  Style s = CommonStyle(p);
  s.gap = p.gap;
  s.align = p.align;
  s.justify = p.justify;
  s.clip = p.clip;
  s.scroll = p.scroll;
  return s;
}

Style StyleOf(const RowProps& p) { return ContainerStyle(p); }
Style StyleOf(const ColumnProps& p) { return ContainerStyle(p); }
Style StyleOf(const StackProps& p) { return ContainerStyle(p); }
Style StyleOf(const BoxProps& p) { return ContainerStyle(p); }
Style StyleOf(const GridProps& p) {
  Style s = ContainerStyle(p);
  s.columns = p.columns < 1 ? 1 : p.columns;
  return s;
}
Style StyleOf(const TextProps& p) { return CommonStyle(p); }
Style StyleOf(const ImageProps& p) { return CommonStyle(p); }
Style StyleOf(const SpacerProps& p) {
  Style s = CommonStyle(p);
  s.grow = p.grow;
  return s;
}
Style StyleOf(const RailProps& p) {
  Style s = CommonStyle(p);
  s.gap = p.gap;
  s.clip = true;
  return s;
}

bool SameLayout(const Style& a, const Style& b) {
  return a.width == b.width && a.height == b.height && a.padding == b.padding && a.gap == b.gap &&
         a.align == b.align && a.justify == b.justify && a.columns == b.columns && a.grow == b.grow &&
         a.border_width == b.border_width && a.scroll == b.scroll;
}

template <typename Props>
void ApplyFocus(Entity e, const Props& p) {
  World& w = ui::Ui().world;
  bool any = p.focusable || p.on_select || p.on_focus || p.on_blur || p.on_back;
  if (!any) {
    w.Remove<ui::Focusable>(e);
    return;
  }
  ui::Focusable* existing = w.Get<ui::Focusable>(e);
  bool newly_autofocus = p.autofocus && p.focusable && (existing == nullptr || !existing->autofocus);
  ui::Focusable& f = existing != nullptr ? *existing : w.Add<ui::Focusable>(e);
  f.focusable = p.focusable;
  f.autofocus = p.autofocus;
  if (newly_autofocus) w.MarkDirty<ui::Focusable>(e);  // the focus system moves focus here
  f.on_select = p.on_select;
  f.on_focus = p.on_focus;
  f.on_blur = p.on_blur;
  f.on_back = p.on_back;
}

void ApplyContent(Entity, const RowProps&) {}
void ApplyContent(Entity, const ColumnProps&) {}
void ApplyContent(Entity, const StackProps&) {}
void ApplyContent(Entity, const BoxProps&) {}
void ApplyContent(Entity, const GridProps&) {}
void ApplyContent(Entity, const SpacerProps&) {}

void ApplyContent(Entity e, const TextProps& p) {
  World& w = ui::Ui().world;
  ui::TextContent* t = w.Get<ui::TextContent>(e);
  if (t == nullptr) t = &w.Add<ui::TextContent>(e);
  float size = static_cast<float>(ResolveTextSize(p));
  if (t->text != p.text || t->size != size) {
    t->text = p.text;
    t->size = size;
    t->measured = false;
    ui::MarkLayoutDirty(e);
  }
  if (t->color != p.color.rgba) {
    t->color = p.color.rgba;
    ui::MarkRenderDirty();
  }
}

void ApplyContent(Entity e, const ImageProps& p) {
  World& w = ui::Ui().world;
  ui::ImageContent* img = w.Get<ui::ImageContent>(e);
  if (img == nullptr) img = &w.Add<ui::ImageContent>(e);
  if (img->src != p.src) {
    img->src = p.src;
    img->state = ui::ImageContent::State::kIdle;
    img->image = 0;
    w.MarkDirty<ui::ImageContent>(e);  // the resources system requests it
  }
  img->placeholder = p.placeholder.rgba;
  ui::MarkRenderDirty();
}

void ApplyContent(Entity e, const RailProps& p) { ui::ConfigureRail(e, p); }

}  // namespace

namespace ui {

template <typename Props>
void ApplyProps(Entity e, const Props& p) {
  World& w = Ui().world;
  Style* style = w.Get<Style>(e);
  if (style == nullptr) return;
  Style next = StyleOf(p);
  bool layout_changed = !SameLayout(*style, next);
  StartTransitions(e, *style, next);
  *style = next;
  if (next.scroll && !w.Has<ScrollState>(e)) w.Add<ScrollState>(e);
  if (layout_changed) MarkLayoutDirty(e);
  MarkRenderDirty();
  ApplyFocus(e, p);
  ApplyContent(e, p);
}

template <typename Props>
Element Build(Widget widget, const Props& props, const Children& children) {
  Entity e = CreateNode(widget);
  World& w = Ui().world;
  w.Add<Props>(e, props);
  ApplyProps(e, props);
  if (children) WithParent(e, children);
  return Element(e);
}

}  // namespace ui

namespace detail {

template <typename Props>
Props* PropsOf(Element element) {
  return ui::Ui().world.Get<Props>(element.entity());
}

template <typename Props>
void PropsChanged(Element element) {
  if (Props* props = PropsOf<Props>(element)) ui::ApplyProps(element.entity(), *props);
}

#define WS_INSTANTIATE_PROPS(P)                   \
  template P* PropsOf<P>(Element);                \
  template void PropsChanged<P>(Element);
WS_INSTANTIATE_PROPS(RowProps)
WS_INSTANTIATE_PROPS(ColumnProps)
WS_INSTANTIATE_PROPS(StackProps)
WS_INSTANTIATE_PROPS(BoxProps)
WS_INSTANTIATE_PROPS(GridProps)
WS_INSTANTIATE_PROPS(TextProps)
WS_INSTANTIATE_PROPS(ImageProps)
WS_INSTANTIATE_PROPS(SpacerProps)
WS_INSTANTIATE_PROPS(RailProps)
#undef WS_INSTANTIATE_PROPS

}  // namespace detail

Element Row(const RowProps& p, const Children& c) { return ui::Build(Widget::kRow, p, c); }
Element Column(const ColumnProps& p, const Children& c) { return ui::Build(Widget::kColumn, p, c); }
Element Stack(const StackProps& p, const Children& c) { return ui::Build(Widget::kStack, p, c); }
Element Box(const BoxProps& p, const Children& c) { return ui::Build(Widget::kBox, p, c); }
Element Grid(const GridProps& p, const Children& c) { return ui::Build(Widget::kGrid, p, c); }
Element Text(const TextProps& p) { return ui::Build(Widget::kText, p, {}); }
Element Image(const ImageProps& p) { return ui::Build(Widget::kImage, p, {}); }
Element Spacer(const SpacerProps& p) { return ui::Build(Widget::kSpacer, p, {}); }
Element Rail(const RailProps& p) { return ui::Build(Widget::kRail, p, {}); }

}  // namespace ws
