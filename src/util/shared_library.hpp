#pragma once
// Loading a system library on first use (dlopen). usersctl links neither libcurl nor
// libcrypto: together they would add several milliseconds of dynamic linking to every
// invocation, while only webhook delivery needs them.

#include <string>

namespace usersctl::util {

class SharedLibrary {
 public:
  // Opens `soname` (e.g. "libcurl.so.4"); on failure ok() is false and error() says why.
  explicit SharedLibrary(const char* soname);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Resolves `name` into `function`; records the first failure in error().
  template <typename Function>
  SharedLibrary& resolve(const char* name, Function& function) {
    function = reinterpret_cast<Function>(symbol(name));
    return *this;
  }

 private:
  void* symbol(const char* name);

  void* handle_ = nullptr;  // never closed: the process is short-lived and symbols stay in use
  std::string soname_;
  std::string error_;
};

// A library's functions, loaded from `soname`: `resolve(library, functions)` fills the struct of
// function pointers, which also has `std::string error` and `bool loaded` (set here).
template <class Functions, class Resolve>
Functions load_functions(const char* soname, Resolve resolve) {
  Functions functions;
  SharedLibrary library(soname);
  resolve(library, functions);
  functions.error = library.error();
  functions.loaded = library.ok();
  return functions;
}

}  // namespace usersctl::util
