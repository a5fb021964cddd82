// libc++'s and libc++abi's last words, without printf. Their own versions
// format a message with vfprintf/fprintf(stderr, ...), and since every app
// can reach them (operator new's failure path, a pure virtual call), they
// pulled the whole printf family with float formatting (~8 KB of code)
// into every module. These send the message's text, unformatted, to the
// host's log at error level and trap. Both are meant to be replaced: libc++
// declares __libcpp_verbose_abort overridable, and a definition here keeps
// libc++abi's abort_message.cpp.o (which defines nothing else) out of the link.
#ifdef __wasm__

#include <__verbose_abort>
#include <cstdint>

#include "host-abi/host_abi.h"
#include "src/host_api.h"

namespace {

// The format string as it is: its conversions stay unexpanded ("%s"), which
// still names the failure; formatting them is what this file avoids.
[[noreturn]] void LogAndTrap(const char* message) {
  uint32_t len = 0;
  while (message[len] != '\0') ++len;
  ws::host_api::Log(ws::host_abi::kLogError, message, len);
  __builtin_trap();
}

}  // namespace

extern "C" [[noreturn]] void abort_message(const char* format, ...) { LogAndTrap(format); }

// Qualified, so that it defines the declaration in libc++'s inline namespace (std::__2).
[[noreturn]] void std::__libcpp_verbose_abort(const char* format, ...) { LogAndTrap(format); }

#endif  // __wasm__
