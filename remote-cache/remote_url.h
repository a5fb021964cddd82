// The remote cache's URL: http[s]://[user[:password]@]host[:port][/prefix].
//
// Parsed strictly, so that a typo in wasmship.yaml or WASMSHIP_REMOTE_CACHE is
// an error at start-up rather than a stream of failed requests: the scheme is
// http or https, the host is present, the port (if any) is a number in
// 1..65535, and nothing contains a space, a control character, a query or a
// fragment. The prefix keeps its percent-escapes as written and loses its
// trailing slashes, so `http://h/p/` and `http://h/p` name the same store.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics/result.h"

namespace ws::remote {

struct RemoteUrl {
  std::string scheme;    // "http" or "https" (lowercase)
  std::string host;      // a name, an IPv4 address or a bracketed IPv6 address
  int port = 0;          // 0: the scheme's default
  std::string prefix;    // "" or "/a/b" (no trailing slash)
  std::string user;      // percent-decoded; empty: no authentication
  std::string password;  // percent-decoded

  // scheme://host[:port]prefix: the base of every request's URL.
  std::string Base() const;
  // The URL as shown in messages: the user is kept, the password never is.
  std::string Display() const;
};

// `text` is the URL as the user wrote it (surrounding blanks are trimmed).
// The error message says what is wrong and shows a valid example; the caller
// adds where the URL came from (wasmship.yaml's line or the variable's name).
Result<RemoteUrl> ParseRemoteUrl(std::string_view text);

}  // namespace ws::remote
