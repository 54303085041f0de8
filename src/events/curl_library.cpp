#include "events/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>

namespace usersctl::events {

namespace {

template <typename Function>
bool resolve(void* handle, const char* name, Function& function, std::string& error) {
  function = reinterpret_cast<Function>(::dlsym(handle, name));
  if (function == nullptr && error.empty()) error = std::string("libcurl lacks ") + name;
  return function != nullptr;
}

void load(CurlLibrary& curl) {
  void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    curl.error = std::string("cannot load libcurl: ") + (why ? why : "unknown error");
    return;
  }
  std::string& error = curl.error;
  const bool ok = resolve(handle, "curl_global_init", curl.global_init, error) &&
                  resolve(handle, "curl_easy_init", curl.easy_init, error) &&
                  resolve(handle, "curl_easy_setopt", curl.easy_setopt, error) &&
                  resolve(handle, "curl_easy_perform", curl.easy_perform, error) &&
                  resolve(handle, "curl_easy_getinfo", curl.easy_getinfo, error) &&
                  resolve(handle, "curl_easy_cleanup", curl.easy_cleanup, error) &&
                  resolve(handle, "curl_easy_strerror", curl.easy_strerror, error) &&
                  resolve(handle, "curl_slist_append", curl.slist_append, error) &&
                  resolve(handle, "curl_slist_free_all", curl.slist_free_all, error) &&
                  resolve(handle, "curl_getdate", curl.getdate, error);
  if (!ok) return;  // the handle stays open: harmless, and the process is short-lived
  if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    curl.error = "cannot initialise libcurl";
    return;
  }
  curl.loaded = true;
}

}  // namespace

const CurlLibrary& curl_library() {
  static CurlLibrary curl;
  static std::once_flag once;
  std::call_once(once, [] { load(curl); });
  return curl;
}

}  // namespace usersctl::events
