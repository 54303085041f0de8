#pragma once
// libcurl, loaded on first use (see shared_library.hpp): linked outright it costs every
// invocation 5-10 ms of dynamic loading, as it pulls in some thirty libraries.

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include <string>

namespace usersctl::events {

struct CurlLibrary {
  CURLcode (*global_init)(long flags) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...) = nullptr;
  CURLcode (*easy_perform)(CURL* handle) = nullptr;
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...) = nullptr;
  void (*easy_cleanup)(CURL* handle) = nullptr;
  const char* (*easy_strerror)(CURLcode code) = nullptr;
  curl_slist* (*slist_append)(curl_slist* list, const char* text) = nullptr;
  void (*slist_free_all)(curl_slist* list) = nullptr;
  time_t (*getdate)(const char* text, const time_t* unused) = nullptr;

  bool loaded = false;
  std::string error;  // why loading or curl_global_init failed
};

// Opens libcurl.so.4 and runs curl_global_init once per process; thread-safe.
const CurlLibrary& curl_library();

}  // namespace usersctl::events
