#include "device-host/render/png_codec.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

namespace ws::host {
namespace {

// Larger images are refused before any pixel memory is allocated: no asset
// on a TV screen needs more, and a forged header must not cost gigabytes.
constexpr png_uint_32 kMaxDimension = 16384;
constexpr uint64_t kMaxPixels = uint64_t{1} << 26;  // 256 MiB of RGBA
constexpr png_alloc_size_t kMaxChunkBytes = 8 << 20;
constexpr int kCompressionLevel = 6;

// What libpng's callbacks see. Plain data only: the callbacks longjmp out,
// so nothing here may need a destructor.
struct IoState {
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t offset = 0;
  std::vector<uint8_t>* out = nullptr;  // encoding only
  char error[200] = {};
};

IoState& StateOf(png_structp png) { return *static_cast<IoState*>(png_get_io_ptr(png)); }

// libpng must not return from an error callback; we record the message and
// jump back to the setjmp of the phase that is running.
[[noreturn]] void OnError(png_structp png, png_const_charp message) {
  IoState* state = static_cast<IoState*>(png_get_error_ptr(png));
  std::snprintf(state->error, sizeof(state->error), "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}

void ReadBytes(png_structp png, png_bytep dest, png_size_t length) {
  IoState& state = StateOf(png);
  if (length > state.size - state.offset) png_error(png, "truncated data");
  std::memcpy(dest, state.data + state.offset, length);
  state.offset += length;
}

// Owns the read structs; png_destroy_read_struct tolerates null pointers.
class PngReader {
 public:
  PngReader() {
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state_, OnError, OnWarning);
    if (!png_) return;
    info_ = png_create_info_struct(png_);
    png_set_read_fn(png_, &state_, ReadBytes);
  }
  ~PngReader() { png_destroy_read_struct(&png_, &info_, nullptr); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  png_structp png() const { return png_; }
  png_infop info() const { return info_; }
  IoState& state() { return state_; }

 private:
  IoState state_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

// Phase 1: header and transforms to 8-bit RGBA. Only trivially destructible
// locals live in this frame, so longjmp back into it is well defined.
bool ReadHeader(png_structp png, png_infop info, png_uint_32& width, png_uint_32& height) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_user_limits(png, kMaxDimension, kMaxDimension);
  png_set_chunk_malloc_max(png, kMaxChunkBytes);
  png_read_info(png, info);
  png_set_expand(png);          // palette, low-bit gray and tRNS to 8-bit + alpha
  png_set_scale_16(png);        // 16-bit samples to 8, rounding
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);  // opaque formats gain A=255
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  width = png_get_image_width(png, info);
  height = png_get_image_height(png, info);
  if (static_cast<uint64_t>(width) * height > kMaxPixels) png_error(png, "image has too many pixels");
  if (png_get_rowbytes(png, info) != static_cast<size_t>(width) * 4) {
    png_error(png, "unexpected row layout after conversion to RGBA");
  }
  return true;
}

// Phase 2: the pixels, into rows the caller allocated before the jump point.
bool ReadPixels(png_structp png, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

std::vector<png_bytep> RowPointers(uint8_t* base, int width, int height) {
  std::vector<png_bytep> rows(static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) rows[y] = base + static_cast<size_t>(y) * width * 4;
  return rows;
}

void WriteBytes(png_structp png, png_bytep data, png_size_t length) {
  std::vector<uint8_t>& out = *StateOf(png).out;
  out.insert(out.end(), data, data + length);
}

void FlushNothing(png_structp) {}

// Writes IHDR, the pixels and IEND, with no time or text chunk so the same
// canvas always gives the same bytes.
bool WritePng(png_structp png, png_infop info, int width, int height, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_compression_level(png, kCompressionLevel);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

class PngWriter {
 public:
  explicit PngWriter(std::vector<uint8_t>* out) {
    state_.out = out;
    png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state_, OnError, OnWarning);
    if (!png_) return;
    info_ = png_create_info_struct(png_);
    png_set_write_fn(png_, &state_, WriteBytes, FlushNothing);
  }
  ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  IoState state_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

}  // namespace

Result<Image> DecodePng(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8 || png_sig_cmp(bytes.data(), 0, 8) != 0) return Error{"png: not a PNG file"};
  PngReader reader;
  if (!reader.png() || !reader.info()) return Error{"png: out of memory"};
  reader.state().data = bytes.data();
  reader.state().size = bytes.size();
  png_uint_32 width = 0, height = 0;
  if (!ReadHeader(reader.png(), reader.info(), width, height)) {
    return Error{std::string("png: ") + reader.state().error};
  }
  Image image(static_cast<int>(width), static_cast<int>(height));
  std::vector<png_bytep> rows = RowPointers(image.rgba.data(), image.width, image.height);
  if (!ReadPixels(reader.png(), rows.data())) {
    return Error{std::string("png: ") + reader.state().error};
  }
  return image;
}

std::vector<uint8_t> EncodePng(const Canvas& canvas) {
  std::vector<uint8_t> out;
  size_t expected = static_cast<size_t>(canvas.width) * canvas.height * 4;
  if (canvas.width <= 0 || canvas.height <= 0 || canvas.rgba.size() != expected) return out;
  // libpng reads the rows through non-const pointers but does not modify them.
  auto* base = const_cast<uint8_t*>(canvas.rgba.data());
  std::vector<png_bytep> rows = RowPointers(base, canvas.width, canvas.height);
  PngWriter writer(&out);
  if (!writer.png() || !writer.info()) return {};
  if (!WritePng(writer.png(), writer.info(), canvas.width, canvas.height, rows.data())) return {};
  return out;
}

}  // namespace ws::host
