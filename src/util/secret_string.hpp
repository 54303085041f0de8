#pragma once
// A plaintext password in memory. Its bytes live inside the object (never on a heap that
// could copy them when it grows) and are wiped with explicit_bzero when it goes, when it is
// overwritten and when it is moved from. Making one makes the process non-dumpable for the rest
// of its life (prctl PR_SET_DUMPABLE 0): no core dump, no ptrace by the same user, /proc/PID
// owned by root, while or after it holds a password.

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl::util {

class SecretString {
 public:
  // More than any password libcrypt hashes (511 bytes) and the byte that shows one is longer.
  static constexpr std::size_t kCapacity = 1024;

  SecretString();
  // Keeps the first kCapacity bytes of `text` (more is refused as too long before it matters).
  explicit SecretString(std::string_view text);
  SecretString(const SecretString& other);
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  // False (and nothing stored) when it is full.
  bool push_back(char c);
  void pop_back();
  void wipe() noexcept;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  bool full() const { return size_ == kCapacity; }
  std::string_view view() const { return {data_, size_}; }
  const char* c_str() const { return data_; }  // NUL-terminated
  bool operator==(const SecretString& other) const { return view() == other.view(); }

 private:
  void assign(std::string_view text) noexcept;

  char data_[kCapacity + 1];
  std::size_t size_ = 0;
};

// Wipes a std::string's whole buffer (its capacity, not only its size), then empties it.
void wipe(std::string& text) noexcept;
// prctl(PR_SET_DUMPABLE, 0); SecretString's constructors call it.
void make_process_undumpable() noexcept;

}  // namespace usersctl::util
