#pragma once
// SHA-256 as FIPS 180-4 §6.2 specifies it, in plain C++: usersctl must not load libcrypto just to
// fingerprint an SSH key (libcrypto is dlopen()ed only when a webhook is signed).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl::util {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental form, for input that arrives in pieces; sha256() below covers the one-string case.
class Sha256 {
 public:
  Sha256();
  Sha256& update(std::string_view bytes);
  // The digest of everything given since construction (or the last finish()), which also starts
  // the hash over, so the object can be reused.
  Sha256Digest finish();

 private:
  void compress(const std::uint8_t* block);
  void reset();

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

Sha256Digest sha256(std::string_view bytes);
// Lower-case hex, as sha256sum prints it.
std::string sha256_hex(std::string_view bytes);

}  // namespace usersctl::util
