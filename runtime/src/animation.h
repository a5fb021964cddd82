// Transitions: when an animatable value of an entity with `transition`
// changes (scale, opacity, background, or its layout position and size),
// a tween carries its Display from the old value to the new one.
#pragma once

#include "src/components.h"

namespace ws::ui {

// Duration of the scroll that follows focus in rails and scrolling columns.
constexpr float kScrollMs = 220;

// Style values changed from `before` to `after`: tween or snap Display.
void StartTransitions(Entity e, const Style& before, const Style& after);
// Layout moved or resized `e` to its new LayoutBox: tween or snap Display.
void PlaceDisplay(Entity e, const LayoutBox& box);
// Starts a scroll of `state` to `target` at the current frame time.
void ScrollTo(ScrollState& state, float target);

// Advances every tween and scroll to `now_ms`. Returns true while any runs.
bool AnimationSystem(double now_ms);
// Every running tween and scroll starts over at now_ms (their first frame
// after a pre-initialization snapshot, which ran without a clock).
void RebaseAnimations(double now_ms);
// True while a tween or a scroll has not reached its end (also one started
// after this frame's animation phase).
bool AnimationsRunning();

float EaseOutCubic(float t);
uint32_t MixColor(uint32_t from, uint32_t to, float t);

}  // namespace ws::ui
