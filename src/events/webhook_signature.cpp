#include "events/webhook_signature.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <string>

#include "core/errors.hpp"

namespace usersctl::events {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kGeneratedSecretBytes = 24;  // the spec's minimum for symmetric secrets

// Wipes a key copy when it goes out of scope.
struct KeyBytes {
  std::string bytes;
  ~KeyBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
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
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

[[noreturn]] void throw_crypto_failure(const char* what) {
  throw InternalError(std::string("HMAC-SHA256 failed: ") + what);
}

std::array<unsigned char, 32> hmac_sha256(std::string_view key,
                                          std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        EVP_MAC_free);
  if (!mac) throw_crypto_failure("EVP_MAC_fetch");
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
  if (!ctx) throw_crypto_failure("EVP_MAC_CTX_new");

  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
    throw_crypto_failure("EVP_MAC_init");
  }
  for (std::string_view part : parts) {
    if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size()) != 1) {
      throw_crypto_failure("EVP_MAC_update");
    }
  }
  std::array<unsigned char, 32> out{};
  std::size_t out_size = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &out_size, out.size()) != 1 || out_size != out.size()) {
    throw_crypto_failure("EVP_MAC_final");
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
  const auto digest = hmac_sha256(key.bytes, {msg_id, ".", timestamp_text, ".", body});
  return "v1," + encode_base64(digest.data(), digest.size());
}

std::string generate_webhook_secret() {
  std::array<unsigned char, kGeneratedSecretBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Unavailable("cannot generate a webhook secret: no random bytes available");
  }
  std::string secret = std::string(kSecretPrefix) + encode_base64(bytes.data(), bytes.size());
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return secret;
}

}  // namespace usersctl::events
