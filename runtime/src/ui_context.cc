#include "src/ui_context.h"

#include <memory>

namespace ws::ui {
namespace {

std::unique_ptr<UiContext>& Slot() {
  static std::unique_ptr<UiContext> context = std::make_unique<UiContext>();
  return context;
}

}  // namespace

UiContext& Ui() { return *Slot(); }

void ResetUi() { Slot() = std::make_unique<UiContext>(); }

}  // namespace ws::ui
