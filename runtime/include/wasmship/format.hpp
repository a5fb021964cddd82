// Numbers as text without printf: printf's float formatting is about 8 KB of
// code in a module; this is about 1.5 KB. Whole numbers need nothing
// new: std::to_string of an integer does not use printf in libc++.
#ifndef WASMSHIP_FORMAT_HPP_
#define WASMSHIP_FORMAT_HPP_

#include <string>

namespace ws {

// `value` with exactly `decimals` digits after the point (0 to 20; others
// are clamped), the same text printf's "%.<decimals>f" writes: rounded to
// nearest from the exact binary value, ties to even, "-0.0" for negative
// zero, "inf", "-inf" and "nan".
std::string FormatFixed(double value, int decimals);

}  // namespace ws

#endif  // WASMSHIP_FORMAT_HPP_
