#include "core/password.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>
#include <unordered_set>

#include "util/errors.hpp"
#include "util/secret_string.hpp"

namespace usersctl::core {

namespace {

static_assert(kMaxPasswordBytes + 1 == CRYPT_MAX_PASSPHRASE_SIZE, "libcrypt's passphrase limit changed");
// A password one byte too long still fits, so that its length is refused and not cut.
static_assert(kMaxPasswordBytes + 2 <= util::SecretString::kCapacity, "a SecretString holds every password");

// crypt_r's data area is 32 KiB: keep it on the heap.
std::string crypt_with(std::string_view password, const char* setting) {
  auto data = std::make_unique<crypt_data>();
  const util::SecretString phrase(password);  // NUL-terminated for libcrypt, wiped after
  const char* result = crypt_r(phrase.c_str(), setting, data.get());
  // libcrypt signals failure with NULL or a string starting with '*'.
  std::string hash = result == nullptr || result[0] == '*' ? std::string() : std::string(result);
  ::explicit_bzero(data.get(), sizeof(crypt_data));  // its state was derived from the password
  return hash;
}

void check_password_text(std::string_view password) {
  if (password.empty()) throw Invalid("password is empty");
  if (password.find('\0') != std::string_view::npos) throw Invalid("password contains a NUL byte");
  if (password.size() > kMaxPasswordBytes) {
    throw Invalid("password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
}

// What fixes the length of crypt(3)'s output for a hash: its method and parameters (the text before
// the salt), the salt's length and the length after it; the salt's own characters do not. Empty
// (no shape to share) when the hash has no long, salt-like segment: such a hash is probed alone.
std::string hash_shape(std::string_view body) {
  if (body.find('$') == std::string_view::npos) {
    // DES (13 characters, any two as salt) and BSDi (`_` then 19): the first character tells them apart.
    return std::string(body.substr(0, 1) == "_" ? "_" : "des") + ':' + std::to_string(body.size());
  }
  const auto last = body.rfind('$');
  const auto before_salt = last == 0 ? std::string_view::npos : body.rfind('$', last - 1);
  constexpr std::size_t kShortestSalt = 9;  // parameters such as bcrypt's cost ("12") stay literal
  if (before_salt == std::string_view::npos || last - before_salt - 1 < kShortestSalt) return {};
  return std::string(body.substr(0, before_salt + 1)) + '\x1f' + std::to_string(last - before_salt - 1) +
         '\x1f' + std::to_string(body.size() - last - 1);
}

// Whether crypt(3) with `body` as its setting reproduces a string as long as `body`, probed once
// per shape: the probe runs the hash's whole key derivation (yescrypt: tens of milliseconds), which
// a bulk load of a million hashed users (a dump) would otherwise pay a million times.
bool reproduces_its_shape(std::string_view body) {
  thread_local std::unordered_set<std::string> known;
  const std::string shape = hash_shape(body);
  if (!shape.empty() && known.count(shape)) return true;
  const std::string probe = crypt_with("usersctl-probe", std::string(body).c_str());
  if (probe.size() != body.size()) return false;
  if (known.size() >= 64) known.clear();  // a file of many shapes cannot grow it without bound
  if (!shape.empty()) known.insert(shape);
  return true;
}

}  // namespace

std::string hash_password(std::string_view password) {
  check_password_text(password);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$y$", 0, nullptr, 0, setting, sizeof setting) == nullptr) {
    throw InternalError(std::string("crypt_gensalt failed: ") + std::strerror(errno));
  }
  std::string hash = crypt_with(password, setting);
  if (hash.empty()) throw InternalError("yescrypt hashing failed");
  return hash;
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (password.empty() || hash.empty() || hash[0] == '!' || hash[0] == '*') return false;
  // crypt(3) stops at a NUL, so "secret\0junk" would match "secret"; no stored password has one.
  if (password.find('\0') != std::string_view::npos) return false;
  const std::string computed = crypt_with(password, hash.c_str());
  if (computed.empty() || computed.size() != hash.size()) return false;
  // Constant-time comparison: do not leak how much of the hash matched.
  unsigned char diff = 0;
  for (std::size_t i = 0; i < hash.size(); ++i) diff |= static_cast<unsigned char>(computed[i] ^ hash[i]);
  return diff == 0;
}

void validate_password_hash(std::string_view hash) {
  std::string_view body = hash;
  while (!body.empty() && body.front() == '!') body.remove_prefix(1);
  for (char c : body) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '/' || c == '$' || c == '=' || c == ',' || c == '-';
    if (!ok) throw Invalid("password hash contains a character crypt(3) never produces");
  }
  // A real hash reproduces its own shape: hashing anything with it as the setting gives a
  // string of the same length. (Without this, old DES would take any text as a "salt".)
  if (body.size() < 13 || !reproduces_its_shape(body)) {
    throw Invalid("password hash is not a crypt(3) hash this system supports",
                  "expected e.g. $y$..., $6$..., $2b$...");
  }
}

}  // namespace usersctl::core
