#include "util/secret_string.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <cstring>

namespace usersctl::util {

void make_process_undumpable() noexcept {
  // Once is enough, and the process never becomes dumpable again: freed memory (libcrypt's,
  // a stream's) may still hold what was read.
  static const bool done = [] {
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return true;
  }();
  (void)done;
}

SecretString::SecretString() {
  make_process_undumpable();
  data_[0] = '\0';
}

SecretString::SecretString(std::string_view text) : SecretString() { assign(text); }

SecretString::SecretString(const SecretString& other) : SecretString() { assign(other.view()); }

SecretString::SecretString(SecretString&& other) noexcept : SecretString() {
  assign(other.view());
  other.wipe();
}

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) assign(other.view());
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    assign(other.view());
    other.wipe();
  }
  return *this;
}

SecretString::~SecretString() { wipe(); }

void SecretString::assign(std::string_view text) noexcept {
  wipe();
  size_ = std::min(text.size(), kCapacity);
  std::memcpy(data_, text.data(), size_);
  data_[size_] = '\0';
}

bool SecretString::push_back(char c) {
  if (full()) return false;
  data_[size_++] = c;
  data_[size_] = '\0';
  return true;
}

void SecretString::pop_back() {
  if (size_ > 0) data_[--size_] = '\0';
}

void SecretString::wipe() noexcept {
  ::explicit_bzero(data_, sizeof data_);
  size_ = 0;
}

void wipe(std::string& text) noexcept {
  text.resize(text.capacity());  // within the capacity: no new buffer
  ::explicit_bzero(text.data(), text.size());
  text.clear();
}

}  // namespace usersctl::util
