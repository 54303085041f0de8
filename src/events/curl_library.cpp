#include "events/curl_library.hpp"

#include "util/shared_library.hpp"

namespace usersctl::events {

namespace {

void resolve(util::SharedLibrary& library, CurlLibrary& curl) {
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
}

CurlLibrary load() {
  CurlLibrary curl = util::load_functions<CurlLibrary>("libcurl.so.4", resolve);
  if (curl.loaded && curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    curl.loaded = false;
    curl.error = "cannot initialise libcurl";
  }
  return curl;
}

}  // namespace

// Loaded once, on first use (a function-local static is initialised once, thread-safely).
const CurlLibrary& curl_library() {
  static const CurlLibrary curl = load();
  return curl;
}

}  // namespace usersctl::events
