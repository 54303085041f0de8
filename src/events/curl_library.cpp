#include "events/curl_library.hpp"

#include <mutex>

#include "util/shared_library.hpp"

namespace usersctl::events {

namespace {

void load(CurlLibrary& curl) {
  util::SharedLibrary library("libcurl.so.4");
  library.resolve("curl_global_init", curl.global_init)
      .resolve("curl_easy_init", curl.easy_init)
      .resolve("curl_easy_setopt", curl.easy_setopt)
      .resolve("curl_easy_perform", curl.easy_perform)
      .resolve("curl_easy_getinfo", curl.easy_getinfo)
      .resolve("curl_easy_cleanup", curl.easy_cleanup)
      .resolve("curl_easy_strerror", curl.easy_strerror)
      .resolve("curl_slist_append", curl.slist_append)
      .resolve("curl_slist_free_all", curl.slist_free_all)
      .resolve("curl_getdate", curl.getdate);
  if (!library.ok()) {
    curl.error = library.error();
    return;
  }
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
