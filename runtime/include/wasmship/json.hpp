// A small JSON reader for app data fetched at run time (catalogs, config).
// Malformed input is a value (nullopt + message), never a crash.
#ifndef WASMSHIP_JSON_HPP_
#define WASMSHIP_JSON_HPP_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ws {

class Json {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json MakeBool(bool v);
  static Json MakeNumber(double v);
  static Json MakeString(std::string v);
  static Json MakeArray(std::vector<Json> items);
  static Json MakeObject(std::map<std::string, Json> members);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  // Typed reads with a fallback for a missing or differently typed value.
  bool bool_or(bool fallback) const;
  double number_or(double fallback) const;
  std::string string_or(const std::string& fallback) const;
  // Members and elements; a missing one is a null Json.
  const Json& operator[](const std::string& key) const;
  const Json& operator[](size_t index) const;
  size_t size() const;  // elements of an array, members of an object
  const std::vector<Json>& items() const;

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::shared_ptr<std::vector<Json>> array_;
  std::shared_ptr<std::map<std::string, Json>> object_;
};

struct JsonError {
  size_t offset = 0;
  std::string message;
};

// Parses a complete JSON document; on failure returns nullopt and fills `error`.
std::optional<Json> ParseJson(std::string_view text, JsonError* error = nullptr);

}  // namespace ws

#endif  // WASMSHIP_JSON_HPP_
