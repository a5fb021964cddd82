// Metric choices, shared by Measure, Ascent and the rasterizer:
//   * line height = (hhea ascender - hhea descender) * size / units_per_EM,
//     computed from the font's design units rather than FreeType's rounded
//     size metrics, so it scales linearly (a 2x transform gives exactly twice
//     the line box) and does not depend on hinting;
//   * Ascent(size) = hhea ascender * size / units_per_EM, unrounded;
//   * width = sum of the hinted advances of the glyphs (no kerning), which
//     is exactly how far the rasterizer moves its pen.
// Sizes are quantized to 1/64 px (FreeType's 26.6 fixed point) everywhere,
// so measuring and drawing always use the same glyphs.
#include "device-host/render/font.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_DRIVER_H
#include FT_MODULE_H

#include <algorithm>
#include <cmath>

#include "device-host/render/utf8.h"

namespace ws::host {
namespace {

// Bigger text would mean bitmaps of many megabytes per glyph; nothing on a
// TV needs it, so larger sizes behave as this one.
constexpr float kMaxSizePx = 1024.0f;
// The cache holds at most this many glyphs; an app animating a text scale
// would otherwise grow it without bound.
constexpr size_t kMaxCachedGlyphs = 16384;
// Hinted, anti-aliased, no embedded bitmaps: the same coverage every run for
// a given FreeType version.
constexpr FT_Int32 kLoadFlags = FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_NORMAL;

// Size in 26.6 fixed point; 0 for sizes that draw nothing (zero, negative).
FT_F26Dot6 SizeKey(float size_px) {
  if (!(size_px > 0)) return 0;
  return static_cast<FT_F26Dot6>(std::lround(std::fmin(size_px, kMaxSizePx) * 64.0f));
}

struct LibraryDeleter {
  void operator()(FT_Library library) const { FT_Done_FreeType(library); }
};
struct FaceDeleter {
  void operator()(FT_Face face) const { FT_Done_Face(face); }
};
using LibraryPtr = std::unique_ptr<FT_LibraryRec_, LibraryDeleter>;
using FacePtr = std::unique_ptr<FT_FaceRec_, FaceDeleter>;

std::string FtError(const char* what, FT_Error error) {
  const char* text = FT_Error_String(error);
  return std::string("font: ") + what + ": " + (text ? text : "FreeType error " + std::to_string(error));
}

// FREETYPE_PROPERTIES in the environment could switch the TrueType
// interpreter and change every glyph; pin the default explicitly.
void PinInterpreter(FT_Library library) {
  FT_UInt version = TT_INTERPRETER_VERSION_40;
  FT_Property_Set(library, "truetype", "interpreter-version", &version);
}

// Copies the rendered bitmap; its rows may run bottom-up (negative pitch).
void CopyBitmap(const FT_Bitmap& bitmap, Font::Glyph& glyph) {
  glyph.width = static_cast<int>(bitmap.width);
  glyph.height = static_cast<int>(bitmap.rows);
  glyph.coverage.assign(static_cast<size_t>(glyph.width) * glyph.height, 0);
  for (int y = 0; y < glyph.height; ++y) {
    const uint8_t* row = bitmap.buffer + static_cast<ptrdiff_t>(y) * bitmap.pitch;
    std::copy(row, row + glyph.width, glyph.coverage.begin() + static_cast<ptrdiff_t>(y) * glyph.width);
  }
}

}  // namespace

struct Font::Impl {
  LibraryPtr library_;
  FacePtr face_;
  FT_F26Dot6 current_size_ = -1;
  std::map<uint64_t, Glyph> cache_;

  bool SetSize(FT_F26Dot6 size) {
    if (size == current_size_) return true;
    if (FT_Set_Char_Size(face_.get(), 0, size, 72, 72) != 0) return false;
    current_size_ = size;
    return true;
  }

  // Renders one glyph; a glyph FreeType cannot load stays empty (nothing
  // drawn, no advance) rather than failing the whole text.
  Glyph Render(uint32_t codepoint, FT_F26Dot6 size) {
    Glyph glyph;
    if (size == 0 || !SetSize(size)) return glyph;
    FT_Face face = face_.get();
    FT_UInt index = FT_Get_Char_Index(face, codepoint);
    if (index == 0) index = FT_Get_Char_Index(face, kReplacementChar);
    if (FT_Load_Glyph(face, index, kLoadFlags) != 0) return glyph;
    FT_GlyphSlot slot = face->glyph;
    glyph.advance = static_cast<float>(slot->advance.x) / 64.0f;
    if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0) return glyph;
    if (slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY) return glyph;
    glyph.left = slot->bitmap_left;
    glyph.top = slot->bitmap_top;
    CopyBitmap(slot->bitmap, glyph);
    return glyph;
  }

  // Design units to pixels at a (quantized) size.
  float Scale(float size_px) const {
    return static_cast<float>(SizeKey(size_px)) / 64.0f / static_cast<float>(face_->units_per_EM);
  }
};

const char* Font::DefaultPath() { return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"; }

Result<std::unique_ptr<Font>> Font::Load(const std::string& path) {
  FT_Library raw_library = nullptr;
  if (FT_Error error = FT_Init_FreeType(&raw_library)) return Error{FtError("cannot start FreeType", error)};
  LibraryPtr library(raw_library);
  PinInterpreter(library.get());
  FT_Face raw_face = nullptr;
  if (FT_Error error = FT_New_Face(library.get(), path.c_str(), 0, &raw_face)) {
    return Error{FtError(("cannot open " + path).c_str(), error)};
  }
  FacePtr face(raw_face);
  if (!FT_IS_SCALABLE(face.get()) || face->units_per_EM == 0) {
    return Error{"font: " + path + " is not a scalable font"};
  }
  std::unique_ptr<Font> font(new Font());
  font->impl_ = std::make_unique<Impl>();
  // The face must go before the library that owns it: declaration order in
  // Impl (library_ first) destroys face_ first.
  font->impl_->library_ = std::move(library);
  font->impl_->face_ = std::move(face);
  return font;
}

Font::~Font() = default;

TextSize Font::Measure(std::string_view utf8, float size_px) {
  FT_Face face = impl_->face_.get();
  float line = static_cast<float>(face->ascender - face->descender) * impl_->Scale(size_px);
  float width = 0;
  for (uint32_t codepoint : DecodeUtf8(utf8)) width += GlyphFor(codepoint, size_px).advance;
  return {static_cast<uint32_t>(std::ceil(width)), static_cast<uint32_t>(std::ceil(line))};
}

float Font::Ascent(float size_px) {
  return static_cast<float>(impl_->face_->ascender) * impl_->Scale(size_px);
}

// The returned reference stays valid until the next GlyphFor call (the cache
// may be emptied when it is full).
const Font::Glyph& Font::GlyphFor(uint32_t codepoint, float size_px) {
  FT_F26Dot6 size = SizeKey(size_px);
  uint64_t key = (static_cast<uint64_t>(size) << 32) | codepoint;
  auto found = impl_->cache_.find(key);
  if (found != impl_->cache_.end()) return found->second;
  if (impl_->cache_.size() >= kMaxCachedGlyphs) impl_->cache_.clear();
  return impl_->cache_.emplace(key, impl_->Render(codepoint, size)).first->second;
}

}  // namespace ws::host
