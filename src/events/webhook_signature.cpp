#include "events/webhook_signature.hpp"

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "util/errors.hpp"
#include "util/shared_library.hpp"

namespace usersctl::events {
namespace {

// The four libcrypto functions signing needs, loaded on first use (see shared_library.hpp).
struct CryptoLibrary {
  const void* (*sha256)() = nullptr;
  unsigned char* (*hmac)(const void* md, const void* key, int key_length, const unsigned char* data,
                         std::size_t size, unsigned char* out, unsigned int* out_length) = nullptr;
  int (*random_bytes)(unsigned char* buffer, int size) = nullptr;
  void (*cleanse)(void* buffer, std::size_t size) = nullptr;
  std::string error;
};

const CryptoLibrary& crypto() {
  static CryptoLibrary library;
  static std::once_flag once;
  std::call_once(once, [] {
    util::SharedLibrary loaded("libcrypto.so.3");
    loaded.resolve("EVP_sha256", library.sha256)
        .resolve("HMAC", library.hmac)
        .resolve("RAND_bytes", library.random_bytes)
        .resolve("OPENSSL_cleanse", library.cleanse);
    library.error = loaded.error();
  });
  if (!library.error.empty()) throw Unavailable("webhook signing: " + library.error);
  return library;
}

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kGeneratedSecretBytes = 24;  // the spec's minimum for symmetric secrets

// Wipes a key copy when it goes out of scope.
struct KeyBytes {
  std::string bytes;
  ~KeyBytes() { crypto().cleanse(bytes.data(), bytes.size()); }
};

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Strict standard-alphabet base64; the trailing '=' padding may be left out.
std::string decode_base64(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (padding > 0 && (text.size() + padding) % 4 != 0) {
    throw Invalid("webhook secret is not valid base64 (bad padding)");
  }
  if (text.size() % 4 == 1) throw Invalid("webhook secret is not valid base64 (bad length)");

  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    const int value = base64_value(c);
    if (value < 0) {
      throw Invalid("webhook secret is not valid base64", "expected whsec_ followed by standard base64");
    }
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFFu));
    }
  }
  return out;
}

std::string encode_base64(const unsigned char* data, std::size_t size) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(4 * ((size + 2) / 3));
  for (std::size_t i = 0; i < size; i += 3) {
    const std::size_t left = size - i;
    const unsigned value = (unsigned{data[i]} << 16) | (left > 1 ? unsigned{data[i + 1]} << 8 : 0u) |
                           (left > 2 ? unsigned{data[i + 2]} : 0u);
    out += alphabet[(value >> 18) & 0x3F];
    out += alphabet[(value >> 12) & 0x3F];
    out += left > 1 ? alphabet[(value >> 6) & 0x3F] : '=';
    out += left > 2 ? alphabet[value & 0x3F] : '=';
  }
  return out;
}

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message) {
  const CryptoLibrary& library = crypto();
  std::array<unsigned char, 32> out{};
  unsigned int out_length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (library.hmac(library.sha256(), key.data(), static_cast<int>(key.size()), data, message.size(),
                   out.data(), &out_length) == nullptr ||
      out_length != out.size()) {
    throw InternalError("HMAC-SHA256 failed");
  }
  return out;
}

}  // namespace

std::string decode_webhook_secret(std::string_view secret) {
  secret = trim(secret);
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  std::string key = decode_base64(secret);
  if (key.empty()) throw Invalid("webhook secret is empty");
  return key;
}

std::string sign_webhook(std::string_view secret, std::string_view msg_id, std::int64_t timestamp,
                         std::string_view body) {
  if (msg_id.empty() || msg_id.find_first_of(".\r\n") != std::string_view::npos) {
    throw Invalid("webhook message id must be non-empty and contain no '.', CR or LF");
  }
  const KeyBytes key{decode_webhook_secret(secret)};
  const std::string timestamp_text = std::to_string(timestamp);
  std::string message;
  message.reserve(msg_id.size() + timestamp_text.size() + body.size() + 2);
  message.append(msg_id).append(".").append(timestamp_text).append(".").append(body);
  const auto digest = hmac_sha256(key.bytes, message);
  return "v1," + encode_base64(digest.data(), digest.size());
}

std::string generate_webhook_secret() {
  std::array<unsigned char, kGeneratedSecretBytes> bytes{};
  if (crypto().random_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Unavailable("cannot generate a webhook secret: no random bytes available");
  }
  std::string secret = std::string(kSecretPrefix) + encode_base64(bytes.data(), bytes.size());
  crypto().cleanse(bytes.data(), bytes.size());
  return secret;
}

}  // namespace usersctl::events
