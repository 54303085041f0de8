#include "core/hook_secret.hpp"

#include <fstream>

#include "util/base64.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

constexpr std::string_view kPrefix = "whsec_";
// A secret is a few dozen bytes; reading stops past this, so `--secret-file /dev/zero` or a wrong
// multi-gigabyte file fails at once instead of filling memory.
constexpr std::size_t kMaxSecretFileBytes = 4096;

const std::string kRule = "whsec_ followed by the base64 of a 24 to 64 byte key";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

void check_key_length(std::size_t bytes, std::string_view source) {
  if (bytes >= kMinHookKeyBytes && bytes <= kMaxHookKeyBytes) return;
  throw Invalid(std::string(source) + ": the key is " + std::to_string(bytes) +
                " bytes; a webhook key must be 24 to 64 bytes");
}

// The base64 may leave out its '=' padding, as in the Standard Webhooks libraries.
std::string decode_key(std::string_view base64) {
  const bool padded = base64.size() % 4 == 0;
  return util::base64_decode(base64, padded ? util::Base64Padding::Padded : util::Base64Padding::Unpadded);
}

std::string read_at_most(const std::string& path, std::size_t limit) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Invalid("--secret-file '" + path + "': cannot read it");
  std::string bytes(limit + 1, '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  return bytes;
}

}  // namespace

void validate_hook_secret(std::string_view secret, std::string_view source) {
  const std::string where(source);
  if (!secret.starts_with(kPrefix)) {
    throw Invalid(where + ": not a Standard Webhooks secret (expected " + kRule +
                  "; for a raw key give --secret-format raw)");
  }
  std::string key;
  try {
    key = decode_key(secret.substr(kPrefix.size()));
  } catch (const Invalid&) {
    // The decoder's reason gives an offset; the secret itself is never echoed.
    throw Invalid(where + ": what follows whsec_ is not valid base64 (expected " + kRule + ")");
  }
  check_key_length(key.size(), source);
}

std::string read_hook_secret_file(const std::string& path, HookSecretFormat format) {
  const std::string source = "--secret-file '" + path + "'";
  std::string bytes = read_at_most(path, kMaxSecretFileBytes);
  if (bytes.size() > kMaxSecretFileBytes) {
    throw Invalid(source + ": larger than " + std::to_string(kMaxSecretFileBytes) + " bytes (expected " +
                  kRule + ")");
  }
  if (format == HookSecretFormat::Raw) {
    check_key_length(bytes.size(), source);
    return std::string(kPrefix) + util::base64_encode(bytes);
  }
  const std::string_view secret = trim(bytes);
  if (secret.empty()) throw Invalid(source + ": the file is empty (expected " + kRule + ")");
  validate_hook_secret(secret, source);
  return std::string(secret);
}

}  // namespace usersctl::core
