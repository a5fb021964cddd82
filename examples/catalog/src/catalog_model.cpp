#include "catalog_model.h"

Catalog ReadCatalog(const ws::Json& json) {
  Catalog catalog;
  for (const ws::Json& p : json["profiles"].items()) {
    catalog.profiles.push_back({p["name"].string_or("?"), p["avatar"].string_or(""), p["kids"].bool_or(false)});
  }
  for (const ws::Json& rail : json["rails"].items()) {
    Shelf shelf{rail["title"].string_or(""), {}};
    for (const ws::Json& t : rail["tiles"].items()) {
      shelf.titles.push_back({t["id"].string_or(""), t["title"].string_or(""), t["image"].string_or(""),
                              static_cast<int>(t["year"].number_or(0)), t["rating"].number_or(0),
                              static_cast<int>(t["minutes"].number_or(0))});
    }
    catalog.shelves.push_back(std::move(shelf));
  }
  return catalog;
}
