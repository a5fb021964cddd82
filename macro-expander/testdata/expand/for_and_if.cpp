// Keyed and unkeyed lists, and if / else if / else.
#include <string>
#include <vector>
#include <wasmship/ui.hpp>

struct Item {
  int id;
  std::string name;
};

UI_COMPOSABLE ws::View Lists(ws::Signal<std::vector<Item>> items, ws::Signal<int> mode) {
  return compose(R"ui(
    Column(gap: 8) {
      for item in {items()} key {item.id} {
        Text(text: {item.name})
      }
      for name in {std::vector<std::string>{"a", "b"}} { Text(text: {name}) }
      if {mode() == 0} {
        Text(text: "zero")
      } else if {mode() == 1} {
        Text(text: "one")
      } else {
        Text(text: "many")
      }
    }
  )ui");
}
