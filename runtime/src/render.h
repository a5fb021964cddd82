// Render: turns the tree's current Display state into a draw list and
// submits it to the host, only in frames where something changed.
#pragma once

namespace ws::ui {

void RenderSystem();

}  // namespace ws::ui
