#include "src/json_number.h"

#include <cstdint>
#include <cstring>

namespace ws {
namespace {

// The number's parts as written: digits before and after the point, and the
// exponent (saturated: anything past it is infinity or zero anyway).
struct Written {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
  int exponent = 0;
  size_t length = 0;
};

constexpr int kExponentCap = 100000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t Digits(std::string_view text, size_t at) {
  size_t end = at;
  while (end < text.size() && IsDigit(text[end])) ++end;
  return end;
}

std::optional<Written> Scan(std::string_view text) {
  Written w;
  size_t at = 0;
  if (at < text.size() && text[at] == '-') w.negative = true, ++at;
  size_t end = Digits(text, at);
  if (end == at || (text[at] == '0' && end - at > 1)) return std::nullopt;  // none, or a leading zero
  w.integer = text.substr(at, end - at);
  at = end;
  if (at < text.size() && text[at] == '.') {
    end = Digits(text, at + 1);
    if (end == at + 1) return std::nullopt;
    w.fraction = text.substr(at + 1, end - at - 1);
    at = end;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    bool minus = at < text.size() && text[at] == '-';
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    end = Digits(text, at);
    if (end == at) return std::nullopt;
    for (; at < end; ++at) {
      if (w.exponent < kExponentCap) w.exponent = w.exponent * 10 + (text[at] - '0');
    }
    if (minus) w.exponent = -w.exponent;
  }
  w.length = at;
  return w;
}

// A decimal number 0.d[0]d[1]... × 10^point with up to kMaxDigits digits
// (past them only whether any was nonzero is kept), shifted by powers of two
// until the double's bits can be read off: the simple, exact algorithm
// (Go's strconv and Wuffs use it as their fallback too).
class Decimal {
 public:
  explicit Decimal(const Written& w) {
    for (std::string_view part : {w.integer, w.fraction}) {
      bool integer = part.data() == w.integer.data();
      for (char c : part) Add(c - '0', integer);
    }
    point_ += w.exponent;
    Trim();
  }

  double ToDouble() {
    if (count_ == 0 || point_ < -330) return 0;
    if (point_ > 310) return Infinity();
    int exponent = 0;
    while (point_ > 0) {
      int n = ShiftFor(point_);
      ShiftRight(n);
      exponent += n;
    }
    while (point_ < 0 || (point_ == 0 && digits_[0] < 5)) {
      int n = ShiftFor(-point_);
      ShiftLeft(n);
      exponent -= n;
    }
    // Now in [0.5, 1); a double's significand is in [1, 2).
    --exponent;
    if (exponent < kBias + 1) {
      int n = kBias + 1 - exponent;
      ShiftRight(n);
      exponent += n;
    }
    if (exponent - kBias >= 0x7FF) return Infinity();
    ShiftLeft(1 + kMantissaBits);
    uint64_t mantissa = RoundedInteger();
    if (mantissa == (uint64_t{2} << kMantissaBits)) {  // rounding carried into a new bit
      mantissa >>= 1;
      if (++exponent - kBias >= 0x7FF) return Infinity();
    }
    if ((mantissa & (uint64_t{1} << kMantissaBits)) == 0) exponent = kBias;  // subnormal
    uint64_t bits = (mantissa & ((uint64_t{1} << kMantissaBits) - 1)) |
                    (static_cast<uint64_t>(exponent - kBias) & 0x7FF) << kMantissaBits;
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

 private:
  static constexpr int kMaxDigits = 800;
  static constexpr int kMaxShift = 60;  // digit << shift + carry stays within 64 bits
  static constexpr int kBias = -1023;
  static constexpr int kMantissaBits = 52;

  static double Infinity() { return __builtin_inf(); }

  void Add(int digit, bool integer) {
    if (count_ == 0 && digit == 0) {
      if (!integer) --point_;  // a leading zero after the point
      return;
    }
    if (integer) ++point_;
    if (count_ < kMaxDigits) {
      digits_[count_++] = static_cast<uint8_t>(digit);
    } else if (digit != 0) {
      truncated_ = true;
    }
  }

  void Trim() {
    while (count_ > 0 && digits_[count_ - 1] == 0) --count_;
    if (count_ == 0) point_ = 0;
  }

  // Bits to shift by to move the point by about `places` digits.
  static int ShiftFor(int places) {
    static constexpr int kPowers[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
    return places < static_cast<int>(sizeof kPowers / sizeof kPowers[0]) ? kPowers[places] : 27;
  }

  // × 2^shift, from the last digit up; the new digits are written backwards.
  void ShiftLeft(int shift) {
    while (shift > kMaxShift) ShiftLeft(kMaxShift), shift -= kMaxShift;
    uint8_t reversed[kMaxDigits + 20];
    int written = 0;
    uint64_t carry = 0;
    for (int i = count_ - 1; i >= 0; --i) {
      uint64_t n = (static_cast<uint64_t>(digits_[i]) << shift) + carry;
      reversed[written++] = static_cast<uint8_t>(n % 10);
      carry = n / 10;
    }
    for (; carry > 0; carry /= 10) reversed[written++] = static_cast<uint8_t>(carry % 10);
    point_ += written - count_;
    // Keep the most significant kMaxDigits; dropped nonzero digits are sticky.
    int keep = written < kMaxDigits ? written : kMaxDigits;
    for (int i = 0; i < written - keep; ++i) truncated_ |= reversed[i] != 0;
    for (int i = 0; i < keep; ++i) digits_[i] = reversed[written - 1 - i];
    count_ = keep;
    Trim();
  }

  // ÷ 2^shift, from the first digit down.
  void ShiftRight(int shift) {
    while (shift > kMaxShift) ShiftRight(kMaxShift), shift -= kMaxShift;
    int read = 0, written = 0;
    uint64_t n = 0;
    for (; (n >> shift) == 0; ++read) {
      if (read >= count_) {
        if (n == 0) {
          count_ = 0;
          return;
        }
        while ((n >> shift) == 0) n *= 10, ++read;
        break;
      }
      n = n * 10 + digits_[read];
    }
    point_ -= read - 1;
    uint64_t mask = (uint64_t{1} << shift) - 1;
    for (; read < count_; ++read) {
      digits_[written++] = static_cast<uint8_t>(n >> shift);
      n = (n & mask) * 10 + digits_[read];
    }
    for (; n > 0; n = (n & mask) * 10) {
      if (written < kMaxDigits) {
        digits_[written++] = static_cast<uint8_t>(n >> shift);
      } else if ((n >> shift) > 0) {
        truncated_ = true;
      }
    }
    count_ = written;
    Trim();
  }

  // The integer part, rounded half to even (truncated digits break ties up).
  uint64_t RoundedInteger() const {
    uint64_t n = 0;
    int i = 0;
    for (; i < point_ && i < count_; ++i) n = n * 10 + digits_[i];
    for (; i < point_; ++i) n *= 10;
    if (point_ >= 0 && point_ < count_) {
      bool half = digits_[point_] == 5 && point_ + 1 == count_;
      bool up = half ? (truncated_ || (point_ > 0 && digits_[point_ - 1] % 2 == 1)) : digits_[point_] >= 5;
      n += up ? 1 : 0;
    }
    return n;
  }

  uint8_t digits_[kMaxDigits];
  int count_ = 0;
  int point_ = 0;
  bool truncated_ = false;
};

// Exact when both the significand and the power of ten are exact doubles:
// one correctly rounded operation (Clinger's fast path). Most JSON numbers.
std::optional<double> FastPath(const Written& w) {
  uint64_t significand = 0;
  int digits = 0;
  for (std::string_view part : {w.integer, w.fraction}) {
    for (char c : part) {
      if (significand == 0 && c == '0') continue;
      if (++digits > 15) return std::nullopt;
      significand = significand * 10 + (c - '0');
    }
  }
  int exponent = w.exponent - static_cast<int>(w.fraction.size());
  if (exponent < -22 || exponent > 22) return significand == 0 ? std::optional<double>(0) : std::nullopt;
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  double value = static_cast<double>(significand);
  return exponent >= 0 ? value * kPowers[exponent] : value / kPowers[-exponent];
}

}  // namespace

size_t ParseJsonNumber(std::string_view text, double& value) {
  std::optional<Written> written = Scan(text);
  if (!written) return 0;
  std::optional<double> fast = FastPath(*written);
  value = fast ? *fast : Decimal(*written).ToDouble();
  if (written->negative) value = -value;
  return written->length;
}

}  // namespace ws
