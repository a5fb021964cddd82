#include "wasmship/json.hpp"

#include "src/json_number.h"

namespace ws {
namespace {

// Deeper nesting than this is refused rather than risking the wasm stack.
constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::optional<Json> Document(JsonError* error) {
    std::optional<Json> value = Value(0);
    SkipSpace();
    if (value && pos_ != text_.size()) Fail("unexpected text after the value");
    if (!message_.empty()) {
      if (error != nullptr) *error = {pos_, message_};
      return std::nullopt;
    }
    return value;
  }

 private:
  std::optional<Json> Fail(const char* message) {
    if (message_.empty()) message_ = message;
    return std::nullopt;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' ||
                                   text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<Json> Value(int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input");
    char c = text_[pos_];
    if (c == '{') return Object(depth);
    if (c == '[') return Array(depth);
    if (c == '"') {
      std::optional<std::string> s = String();
      return s ? std::optional<Json>(Json::MakeString(std::move(*s))) : std::nullopt;
    }
    if (Literal("true")) return Json::MakeBool(true);
    if (Literal("false")) return Json::MakeBool(false);
    if (Literal("null")) return Json();
    return Number();
  }

  std::optional<Json> Number() {
    double value = 0;
    size_t length = ParseJsonNumber(text_.substr(pos_), value);
    if (length == 0) return Fail("expected a value");
    pos_ += length;
    return Json::MakeNumber(value);
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool Hex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      out <<= 4;
      if (h >= '0' && h <= '9') out |= h - '0';
      else if (h >= 'a' && h <= 'f') out |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') out |= h - 'A' + 10;
      else return false;
    }
    return true;
  }

  std::optional<std::string> String() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return FailString("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return FailString("bad \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low = 0;
            if (!Hex4(low) || low < 0xDC00 || low > 0xDFFF) return FailString("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return FailString("bad escape");
      }
    }
    return FailString("unterminated string");
  }
  std::optional<std::string> FailString(const char* message) {
    Fail(message);
    return std::nullopt;
  }

  std::optional<Json> Array(int depth) {
    ++pos_;
    std::vector<Json> items;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Json::MakeArray(std::move(items));
    }
    while (true) {
      std::optional<Json> item = Value(depth + 1);
      if (!item) return std::nullopt;
      items.push_back(std::move(*item));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == ']') { ++pos_; return Json::MakeArray(std::move(items)); }
      return Fail("expected ',' or ']'");
    }
  }

  std::optional<Json> Object(int depth) {
    ++pos_;
    std::map<std::string, Json> members;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Json::MakeObject(std::move(members));
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      std::optional<std::string> key = String();
      if (!key) return std::nullopt;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      std::optional<Json> value = Value(depth + 1);
      if (!value) return std::nullopt;
      members[std::move(*key)] = std::move(*value);
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == '}') { ++pos_; return Json::MakeObject(std::move(members)); }
      return Fail("expected ',' or '}'");
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string message_;
};

const Json& NullJson() {
  static const Json null;
  return null;
}

}  // namespace

Json Json::MakeBool(bool v) {
  Json j;
  j.kind_ = Kind::Bool;
  j.bool_ = v;
  return j;
}
Json Json::MakeNumber(double v) {
  Json j;
  j.kind_ = Kind::Number;
  j.number_ = v;
  return j;
}
Json Json::MakeString(std::string v) {
  Json j;
  j.kind_ = Kind::String;
  j.string_ = std::move(v);
  return j;
}
Json Json::MakeArray(std::vector<Json> items) {
  Json j;
  j.kind_ = Kind::Array;
  j.array_ = std::make_shared<std::vector<Json>>(std::move(items));
  return j;
}
Json Json::MakeObject(std::map<std::string, Json> members) {
  Json j;
  j.kind_ = Kind::Object;
  j.object_ = std::make_shared<std::map<std::string, Json>>(std::move(members));
  return j;
}

bool Json::bool_or(bool fallback) const { return kind_ == Kind::Bool ? bool_ : fallback; }
double Json::number_or(double fallback) const { return kind_ == Kind::Number ? number_ : fallback; }
std::string Json::string_or(const std::string& fallback) const {
  return kind_ == Kind::String ? string_ : fallback;
}

const Json& Json::operator[](const std::string& key) const {
  if (kind_ != Kind::Object) return NullJson();
  auto it = object_->find(key);
  return it == object_->end() ? NullJson() : it->second;
}

const Json& Json::operator[](size_t index) const {
  if (kind_ != Kind::Array || index >= array_->size()) return NullJson();
  return (*array_)[index];
}

size_t Json::size() const {
  if (kind_ == Kind::Array) return array_->size();
  if (kind_ == Kind::Object) return object_->size();
  return 0;
}

const std::vector<Json>& Json::items() const {
  static const std::vector<Json> empty;
  return kind_ == Kind::Array ? *array_ : empty;
}

std::optional<Json> ParseJson(std::string_view text, JsonError* error) {
  return Parser(text).Document(error);
}

}  // namespace ws
