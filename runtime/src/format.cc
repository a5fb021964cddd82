#include "wasmship/format.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace ws {
namespace {

constexpr int kMaxDecimals = 20;

// An unsigned integer of up to 36 * 32 bits (a double's 53 bits moved by up
// to 1074 places, times 10), little-endian words. Exact, so the digits and
// the rounding are printf's.
struct Big {
  static constexpr int kWords = 36;
  uint32_t word[kWords] = {};

  explicit Big(uint64_t v) {
    word[0] = static_cast<uint32_t>(v);
    word[1] = static_cast<uint32_t>(v >> 32);
  }
  bool Bit(int i) const { return (word[i / 32] >> (i % 32)) & 1; }
  void ShiftLeft(int bits) {
    for (int i = kWords - 1; i >= 0; --i) {
      int from = i - bits / 32;
      uint32_t high = from >= 0 ? word[from] << (bits % 32) : 0;
      uint32_t low = from >= 1 && bits % 32 != 0 ? word[from - 1] >> (32 - bits % 32) : 0;
      word[i] = high | low;
    }
  }
  void MultiplyBy10() {
    uint64_t carry = 0;
    for (uint32_t& w : word) {
      uint64_t v = uint64_t{w} * 10 + carry;
      w = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  // Divides by 10^9; returns the remainder.
  uint32_t DivideByBillion() {
    uint64_t rest = 0;
    for (int i = kWords - 1; i >= 0; --i) {
      uint64_t v = (rest << 32) | word[i];
      word[i] = static_cast<uint32_t>(v / 1000000000u);
      rest = v % 1000000000u;
    }
    return static_cast<uint32_t>(rest);
  }
  bool IsZero() const {
    for (uint32_t w : word) {
      if (w != 0) return false;
    }
    return true;
  }
};

void AppendUnsigned(std::string& out, uint64_t v) {
  char digits[20];
  char* end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

// m * 2^shift, a whole number too large for 64 bits, in decimal.
void AppendLarge(std::string& out, uint64_t m, int shift) {
  Big big(m);
  big.ShiftLeft(shift);
  char digits[Big::kWords * 10];
  int count = 0;  // least significant first
  do {
    uint32_t part = big.DivideByBillion();
    bool last = big.IsZero();
    for (int i = 0; i < 9 && (!last || part != 0 || i == 0); ++i) {
      digits[count++] = static_cast<char>('0' + part % 10);
      part /= 10;
    }
  } while (!big.IsZero());
  while (count > 0) out += digits[--count];
}

// Adds one unit in the last place of the digits from `first` on (a rounding up).
void RoundUp(std::string& out, size_t first) {
  for (size_t i = out.size(); i-- > first;) {
    if (out[i] == '.') continue;
    if (out[i] != '9') {
      ++out[i];
      return;
    }
    out[i] = '0';
  }
  out.insert(out.begin() + static_cast<long>(first), '1');
}

}  // namespace

std::string FormatFixed(double value, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > kMaxDecimals) decimals = kMaxDecimals;
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  std::string out = (bits >> 63) != 0 ? "-" : "";
  int exponent_bits = static_cast<int>((bits >> 52) & 0x7FF);
  uint64_t mantissa = bits & ((uint64_t{1} << 52) - 1);
  if (exponent_bits == 0x7FF) return out + (mantissa != 0 ? "nan" : "inf");
  // value = m * 2^e exactly.
  uint64_t m = exponent_bits == 0 ? mantissa : mantissa | (uint64_t{1} << 52);
  int e = (exponent_bits == 0 ? 1 : exponent_bits) - 1075;
  size_t first_digit = out.size();
  if (e >= 0) {  // a whole number: no fraction, nothing to round
    if (e <= 11) {
      AppendUnsigned(out, m << e);
    } else {
      AppendLarge(out, m, e);
    }
    if (decimals > 0) out += "." + std::string(static_cast<size_t>(decimals), '0');
    return out;
  }
  int k = -e;  // value = m / 2^k: the whole part is m >> k, the fraction the low k bits
  AppendUnsigned(out, k < 64 ? m >> k : 0);
  Big fraction(k < 64 ? m & ((uint64_t{1} << k) - 1) : m);
  if (decimals > 0) out += '.';
  for (int i = 0; i < decimals; ++i) {
    fraction.MultiplyBy10();
    int digit = 0;  // the bits from k up
    for (int b = 3; b >= 0; --b) digit = digit * 2 + (fraction.Bit(k + b) ? 1 : 0);
    for (int b = 0; b < 4; ++b) fraction.word[(k + b) / 32] &= ~(uint32_t{1} << ((k + b) % 32));
    out += static_cast<char>('0' + digit);
  }
  // What is left, against one half of the last place: above rounds up, a
  // tie rounds to the even digit.
  if (fraction.Bit(k - 1)) {
    fraction.word[(k - 1) / 32] &= ~(uint32_t{1} << ((k - 1) % 32));
    bool above = !fraction.IsZero();
    char last = out.back();
    if (above || (last - '0') % 2 == 1) RoundUp(out, first_digit);
  }
  return out;
}

}  // namespace ws
