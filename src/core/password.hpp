#pragma once
// Password hashing with libcrypt's yescrypt, the format /etc/shadow uses.

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl::core {

// The longest password libcrypt hashes (CRYPT_MAX_PASSPHRASE_SIZE less the terminating NUL).
inline constexpr std::size_t kMaxPasswordBytes = 511;

// A fresh `$y$` hash of `password`. Throws Invalid for an empty password or one with NUL bytes.
std::string hash_password(std::string_view password);
// True when `password` matches `hash` (any crypt(3) method libcrypt supports).
bool verify_password(std::string_view password, const std::string& hash);
// Checks a hash given for migration (`--password-hash`); throws Invalid when libcrypt
// cannot use it or it would break the shadow format. A leading '!' (locked) is kept.
void validate_password_hash(std::string_view hash);

}  // namespace usersctl::core
