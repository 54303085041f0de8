#pragma once
// Standard Webhooks symmetric signatures (https://www.standardwebhooks.com, "Signature scheme"):
// v1,<base64 of HMAC-SHA256(key, "<msg_id>.<timestamp>.<body>")>, the key being the base64 after
// "whsec_".

#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl::events {

// The raw key bytes of a secret. As in the reference libraries the "whsec_" prefix is optional and the
// rest is always standard base64 (padding optional); surrounding whitespace (a secret file's final
// newline) is ignored. Throws usersctl::Invalid for malformed base64 or an empty key.
std::string decode_webhook_secret(std::string_view secret);

// The webhook-signature header value for one attempt: "v1,<base64>". Throws usersctl::Invalid for a
// malformed secret, or a msg_id that is empty or contains '.', CR, LF (the spec forbids '.' in it).
std::string sign_webhook(std::string_view secret, std::string_view msg_id, std::int64_t timestamp,
                         std::string_view body);

// A fresh secret in the spec's serialization: "whsec_" + base64 of 24 random bytes (32 characters).
// Throws usersctl::Unavailable if the system cannot supply random bytes.
std::string generate_webhook_secret();

}  // namespace usersctl::events
