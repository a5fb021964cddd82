#include "remote-cache/remote_url.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace ws::remote {
namespace {

constexpr std::string_view kExample = "http://cache.example:8080/wasmship";

// The URL as an error message may show it: a password becomes "***" (the
// message may end up in a CI log).
std::string Redacted(std::string_view url) {
  size_t sep = url.find("://");
  size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  size_t at = url.substr(0, url.find('/', start)).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  size_t colon = url.substr(0, at).find(':', start);
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Error UrlError(std::string_view url, std::string_view what) {
  return Error{"remote cache URL '" + Redacted(url) + "': " + std::string(what) + " (for example " +
               std::string(kExample) + ")"};
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Characters a URL may carry unescaped in a path or userinfo (RFC 3986's
// unreserved and sub-delims, plus ':' and '@'); '%' is checked apart.
bool IsUrlChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

// Every '%' starts a two-digit escape and every other character is an
// IsUrlChar (or '/' where `slash_ok`); otherwise, what is wrong.
std::optional<std::string> BadChar(std::string_view text, bool slash_ok) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHexDigit(text[i + 1]) || !IsHexDigit(text[i + 2])) {
        return "a '%' without two hex digits after it";
      }
      i += 2;
    } else if (c == '/' && slash_ok) {
      continue;
    } else if (c == ' ' || c == '\t') {
      return "a space (write it as %20)";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "a control character";
    } else if (!IsUrlChar(c)) {
      return std::string("the character '") + c + "'";
    }
  }
  return std::nullopt;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr == text.data() + i + 3) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

Status ParseHostPort(std::string_view url, std::string_view hostport, RemoteUrl& out) {
  std::string_view port_text;
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return UrlError(url, "an IPv6 address has no closing ']'");
    std::string_view inside = hostport.substr(1, close - 1);
    if (inside.empty()) return UrlError(url, "the IPv6 address is empty");
    for (char c : inside) {
      if (!IsHexDigit(c) && c != ':' && c != '.')
        return UrlError(url, "the IPv6 address has a character other than hex digits, ':' and '.'");
    }
    out.host = Lower(hostport.substr(0, close + 1));
    std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return UrlError(url, "text follows the IPv6 address's ']'");
      port_text = rest.substr(1);
      if (port_text.empty()) return UrlError(url, "the ':' after the host has no port number");
    }
  } else {
    size_t colon = hostport.rfind(':');
    std::string_view host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = hostport.substr(colon + 1);
      if (port_text.empty()) return UrlError(url, "the ':' after the host has no port number");
    }
    if (host.empty()) return UrlError(url, "there is no host name");
    for (char c : host) {
      if (c == ' ') return UrlError(url, "the host name has a space");
      if (!IsHostChar(c)) return UrlError(url, std::string("the host name has the character '") + c + "'");
    }
    if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) {
      return UrlError(url, "the host name has an empty label ('.' at an end or '..')");
    }
    out.host = Lower(host);
  }
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return UrlError(url, "the port '" + std::string(port_text) + "' is not a number from 1 to 65535");
    }
    out.port = port;
  }
  return {};
}

Status ParsePrefix(std::string_view url, std::string_view path, RemoteUrl& out) {
  if (auto bad = BadChar(path, /*slash_ok=*/true)) return UrlError(url, "the path has " + *bad);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  // Servers normalize '//', '.' and '..' differently (bazel-remote cleans the
  // path, nginx maps it to files): refuse them rather than guess.
  size_t start = 1;
  while (start <= path.size() && !path.empty()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty()) return UrlError(url, "the path has an empty segment ('//')");
    if (segment == "." || segment == "..") return UrlError(url, "the path has a '.' or '..' segment");
    start = end + 1;
  }
  out.prefix = std::string(path);
  return {};
}

}  // namespace

std::string RemoteUrl::Base() const {
  std::string out = scheme + "://" + host;
  if (port != 0) out += ":" + std::to_string(port);
  return out + prefix;
}

std::string RemoteUrl::Display() const {
  std::string out = scheme + "://";
  if (!user.empty()) out += user + (password.empty() ? "@" : ":***@");
  out += host;
  if (port != 0) out += ":" + std::to_string(port);
  return out + prefix;
}

Result<RemoteUrl> ParseRemoteUrl(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::string_view url = text;
  if (url.empty()) return UrlError(url, "the URL is empty");

  RemoteUrl out;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return UrlError(url, "it does not start with http:// or https://");
  out.scheme = Lower(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https") {
    return UrlError(url, "the scheme '" + out.scheme + "' is not supported; use http:// or https://");
  }
  std::string_view rest = url.substr(sep + 3);
  if (rest.find('?') != std::string_view::npos) return UrlError(url, "a remote cache URL has no query ('?')");
  if (rest.find('#') != std::string_view::npos)
    return UrlError(url, "a remote cache URL has no fragment ('#')");

  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);

  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    if (auto bad = BadChar(userinfo, /*slash_ok=*/false))
      return UrlError(url, "the user:password part has " + *bad);
    size_t colon = userinfo.find(':');
    out.user = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) out.password = PercentDecode(userinfo.substr(colon + 1));
    if (out.user.empty()) return UrlError(url, "the user:password part has no user name");
    authority = authority.substr(at + 1);
  }
  if (Status s = ParseHostPort(url, authority, out); !s) return s.error();
  if (Status s = ParsePrefix(url, path, out); !s) return s.error();
  return out;
}

}  // namespace ws::remote
