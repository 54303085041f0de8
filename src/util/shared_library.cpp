#include "util/shared_library.hpp"

#include <dlfcn.h>

namespace usersctl::util {

SharedLibrary::SharedLibrary(const char* soname) : soname_(soname) {
  handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = ::dlerror();
    error_ = "cannot load " + soname_ + ": " + (why ? why : "unknown error");
  }
}

void* SharedLibrary::symbol(const char* name) {
  if (handle_ == nullptr) return nullptr;
  void* address = ::dlsym(handle_, name);
  if (address == nullptr && error_.empty()) error_ = soname_ + " lacks " + name;
  return address;
}

}  // namespace usersctl::util
