// libcurl, loaded with dlopen the first time something speaks HTTP (the
// remote cache, a device's update over HTTP) instead of linked: its
// dependencies (TLS, Kerberos, LDAP, ...) would add ~25 shared libraries and
// ~30 ms of dynamic linking to every wasmship process, and a build starts
// several. The same reasoning as device-host's SDL (window/sdl_library.h).
#pragma once

#include <curl/curl.h>

#include <string>

namespace ws {

struct CurlLibrary {
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_multi_init) multi_init = nullptr;
  decltype(&curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&curl_multi_setopt) multi_setopt = nullptr;
  decltype(&curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&curl_multi_perform) multi_perform = nullptr;
  decltype(&curl_multi_poll) multi_poll = nullptr;
  decltype(&curl_multi_wakeup) multi_wakeup = nullptr;
  decltype(&curl_multi_info_read) multi_info_read = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  std::string error;  // why it is not usable; empty when every function is bound
};

// Loads and globally initializes libcurl.so.4 once per process (thread-safe).
// Check error() before using the functions.
const CurlLibrary& Curl();

}  // namespace ws
