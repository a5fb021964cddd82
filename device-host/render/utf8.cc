#include "device-host/render/utf8.h"

namespace ws::host {
namespace {

// Length of the sequence a lead byte announces, 0 for a byte that cannot
// start one (continuation bytes, C0/C1 overlong leads, F5..FF).
int SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The smallest code point each length may encode; anything below is an
// overlong form.
uint32_t MinimumFor(int length) {
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  return kMinimum[length];
}

// Decodes one sequence at `pos`; returns U+FFFD and consumes one byte if it
// is malformed.
uint32_t DecodeOne(std::string_view s, size_t& pos) {
  uint8_t lead = static_cast<uint8_t>(s[pos]);
  int length = SequenceLength(lead);
  if (length == 1) {
    ++pos;
    return lead;
  }
  if (length == 0 || s.size() - pos < static_cast<size_t>(length)) {
    ++pos;
    return kReplacementChar;
  }
  uint32_t cp = lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    uint8_t byte = static_cast<uint8_t>(s[pos + i]);
    if ((byte & 0xC0) != 0x80) {
      ++pos;
      return kReplacementChar;
    }
    cp = (cp << 6) | (byte & 0x3F);
  }
  bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (cp < MinimumFor(length) || cp > 0x10FFFF || surrogate) {
    ++pos;
    return kReplacementChar;
  }
  pos += static_cast<size_t>(length);
  return cp;
}

}  // namespace

std::vector<uint32_t> DecodeUtf8(std::string_view utf8) {
  std::vector<uint32_t> out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) out.push_back(DecodeOne(utf8, pos));
  return out;
}

}  // namespace ws::host
