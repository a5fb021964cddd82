// Hot reload (`wasmship dev`, WS_HOT_RELOAD builds only): how a signal's
// value becomes bytes that a later build of the app can read back. Saved:
// trivially copyable types (copied as bytes), std::string, and std::vector
// and std::optional of saveable types; anything else restarts from its
// initial value. Each type carries a hash of its name and size, so that a
// signal whose type changed is not fed the old bytes.
//
// A trivially copyable type holding a pointer (a struct with a `const char*`)
// is copied as bytes too, and its pointer means nothing in the new instance:
// signals should hold values, not addresses. std::string_view is refused.
#ifndef WASMSHIP_STATE_CODEC_HPP_
#define WASMSHIP_STATE_CODEC_HPP_

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ws::state {

constexpr uint64_t Fnv1a(std::string_view text, uint64_t hash = 0xcbf29ce484222325ull) {
  for (char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// The name of T as the compiler spells it in this function's signature
// (the same in every build made by the same compiler), plus sizeof(T).
template <typename T>
constexpr uint64_t TypeHashOf() {
  uint64_t hash = Fnv1a(__PRETTY_FUNCTION__);
  for (size_t size = sizeof(T), i = 0; i < 8; ++i, size >>= 8) {
    hash ^= size & 0xFF;
    hash *= 0x100000001b3ull;
  }
  return hash;
}
template <typename T>
inline constexpr uint64_t kTypeHash = TypeHashOf<T>();

template <typename T>
struct IsVector : std::false_type {};
template <typename E, typename A>
struct IsVector<std::vector<E, A>> : std::true_type {};
template <typename T>
struct IsOptional : std::false_type {};
template <typename E>
struct IsOptional<std::optional<E>> : std::true_type {};
template <typename T>
struct IsStringView : std::false_type {};
template <typename C, typename Tr>
struct IsStringView<std::basic_string_view<C, Tr>> : std::true_type {};

template <typename T>
constexpr bool Saveable() {
  if constexpr (std::is_same_v<T, std::string>) {
    return true;
  } else if constexpr (IsVector<T>::value || IsOptional<T>::value) {
    return Saveable<typename T::value_type>();
  } else {
    return std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T> && std::is_copy_assignable_v<T> &&
           !std::is_pointer_v<T> && !std::is_member_pointer_v<T> && !std::is_array_v<T> && !IsStringView<T>::value;
  }
}

inline void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Lengths and counts are little-endian u32; values of trivially copyable
// types are their bytes (wasm32 is little-endian).
template <typename T>
void Encode(const T& value, std::string& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    PutU32(out, static_cast<uint32_t>(value.size()));
    out.append(value);
  } else if constexpr (IsVector<T>::value) {
    using E = typename T::value_type;
    PutU32(out, static_cast<uint32_t>(value.size()));
    for (const auto& element : value) Encode<E>(static_cast<const E&>(element), out);
  } else if constexpr (IsOptional<T>::value) {
    out.push_back(value.has_value() ? 1 : 0);
    if (value) Encode(*value, out);
  } else {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
  }
}

// Reads what Encode wrote; every read is bounds-checked.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool Take(void* out, size_t n) {
    if (n > bytes_.size()) return false;
    if (n > 0) std::memcpy(out, bytes_.data(), n);
    bytes_.remove_prefix(n);
    return true;
  }
  bool U32(uint32_t& v) {
    uint8_t b[4];
    if (!Take(b, 4)) return false;
    v = static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 | static_cast<uint32_t>(b[2]) << 16 |
        static_cast<uint32_t>(b[3]) << 24;
    return true;
  }
  size_t remaining() const { return bytes_.size(); }
  bool AtEnd() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

template <typename T>
bool Decode(Reader& r, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    uint32_t size = 0;
    if (!r.U32(size) || size > r.remaining()) return false;
    out.resize(size);
    return r.Take(out.data(), size);
  } else if constexpr (IsVector<T>::value) {
    using E = typename T::value_type;
    uint32_t count = 0;
    // Every element takes at least one byte: a count beyond what is left is corrupt.
    if (!r.U32(count) || count > r.remaining()) return false;
    out.clear();
    out.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      E element{};
      if (!Decode(r, element)) return false;
      out.push_back(std::move(element));
    }
    return true;
  } else if constexpr (IsOptional<T>::value) {
    uint8_t present = 0;
    if (!r.Take(&present, 1) || present > 1) return false;
    if (present == 0) {
      out.reset();
      return true;
    }
    typename T::value_type value{};
    if (!Decode(r, value)) return false;
    out = std::move(value);
    return true;
  } else if constexpr (std::is_same_v<T, bool>) {
    uint8_t byte = 0;
    if (!r.Take(&byte, 1) || byte > 1) return false;  // any other byte is not a bool
    out = byte == 1;
    return true;
  } else {
    return r.Take(&out, sizeof(T));
  }
}

enum class LoadResult : uint8_t { kFailed, kUnchanged, kChanged };

}  // namespace ws::state

#endif  // WASMSHIP_STATE_CODEC_HPP_
