// UTF-8 decoding shared by Font::Measure and the rasterizer, so that the
// width measured for a string and the glyphs drawn for it always agree.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ws::host {

inline constexpr uint32_t kReplacementChar = 0xFFFD;

// Decodes `utf8` into code points. Malformed input never fails: each invalid
// byte, overlong form, surrogate, out-of-range value or truncated sequence
// becomes one U+FFFD and decoding resumes at the next byte.
std::vector<uint32_t> DecodeUtf8(std::string_view utf8);

}  // namespace ws::host
