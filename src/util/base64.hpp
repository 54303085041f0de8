#pragma once
// Base64 with the standard alphabet of RFC 4648 §4 ('+' and '/'), padded or not.
// Bytes travel in std::string: the contents are octets, not text.

#include <string>
#include <string_view>

namespace usersctl::util {

enum class Base64Padding {
  Padded,    // '=' fills the last group to four characters (what ssh-keygen writes in a .pub file)
  Unpadded,  // no '=' at all (what ssh-keygen prints after "SHA256:")
};

std::string base64_encode(std::string_view bytes, Base64Padding padding = Base64Padding::Padded);

// Strict: only alphabet characters (no whitespace, no URL-safe '-' '_'), '=' only as the padding
// the chosen mode requires, and no set bits after the last byte, so every byte string has exactly
// one accepted encoding. Throws usersctl::Invalid("not valid base64: <reason>"); the reason gives
// an offset, never the input, which may be a secret or a whole key.
std::string base64_decode(std::string_view text, Base64Padding padding = Base64Padding::Padded);

}  // namespace usersctl::util
