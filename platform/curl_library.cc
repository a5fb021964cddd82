#include "platform/curl_library.h"

#include <dlfcn.h>

#include <type_traits>

namespace ws {
namespace {

CurlLibrary Load() {
  CurlLibrary c;
  void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    c.error = std::string("libcurl is not installed (") + dlerror() + "); install Debian's libcurl4";
    return c;
  }
  bool complete = true;
  auto bind = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    complete = complete && fn != nullptr;
  };
  bind(c.easy_init, "curl_easy_init");
  bind(c.easy_cleanup, "curl_easy_cleanup");
  bind(c.easy_setopt, "curl_easy_setopt");
  bind(c.easy_perform, "curl_easy_perform");
  bind(c.easy_getinfo, "curl_easy_getinfo");
  bind(c.easy_strerror, "curl_easy_strerror");
  bind(c.multi_init, "curl_multi_init");
  bind(c.multi_cleanup, "curl_multi_cleanup");
  bind(c.multi_setopt, "curl_multi_setopt");
  bind(c.multi_add_handle, "curl_multi_add_handle");
  bind(c.multi_remove_handle, "curl_multi_remove_handle");
  bind(c.multi_perform, "curl_multi_perform");
  bind(c.multi_poll, "curl_multi_poll");
  bind(c.multi_wakeup, "curl_multi_wakeup");
  bind(c.multi_info_read, "curl_multi_info_read");
  bind(c.slist_append, "curl_slist_append");
  bind(c.slist_free_all, "curl_slist_free_all");
  auto global_init = reinterpret_cast<decltype(&curl_global_init)>(dlsym(lib, "curl_global_init"));
  if (!complete || global_init == nullptr) {
    c.error = "libcurl.so.4 is older than wasmship needs (7.68 or newer)";
  } else if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    c.error = "libcurl could not be initialized";
  }
  return c;
}

}  // namespace

const CurlLibrary& Curl() {
  static const CurlLibrary library = Load();  // before any other thread uses libcurl
  return library;
}

}  // namespace ws
