// The catalog as the app sees it, read from assets/catalog.json.
#pragma once

#include <string>
#include <vector>
#include <wasmship/json.hpp>

struct Profile {
  std::string name;
  std::string avatar;
  bool kids = false;
};

struct Title {
  std::string id;
  std::string name;
  std::string image;
  int year = 0;
  double rating = 0;
  int minutes = 0;
};

struct Shelf {
  std::string name;
  std::vector<Title> titles;
};

struct Catalog {
  std::vector<Profile> profiles;
  std::vector<Shelf> shelves;
};

// Reads catalog.json; an empty catalog when the document has another shape.
Catalog ReadCatalog(const ws::Json& json);
