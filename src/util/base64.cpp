#include "util/base64.hpp"

#include <array>
#include <cstdint>

#include "util/errors.hpp"

namespace usersctl::util {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::int8_t kNotBase64 = -1;

constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> table{};
  table.fill(kNotBase64);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr std::array<std::int8_t, 256> kDecodeTable = make_decode_table();

[[noreturn]] void refuse(const std::string& reason) { throw Invalid("not valid base64: " + reason); }

std::uint32_t octet(std::string_view bytes, std::size_t i) { return static_cast<unsigned char>(bytes[i]); }

// How many characters at the end are padding; Padded input must be whole groups of four.
std::size_t padding_length(std::string_view text, Base64Padding padding) {
  if (padding == Base64Padding::Unpadded) return 0;
  if (text.size() % 4 != 0) refuse("the length is not a multiple of 4");
  std::size_t count = 0;
  // A group carries at least one byte, so at most two '=' can be padding; a third is reported
  // below as padding in the middle.
  while (count < 2 && count < text.size() && text[text.size() - 1 - count] == '=') ++count;
  return count;
}

}  // namespace

std::string base64_encode(std::string_view bytes, Base64Padding padding) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = octet(bytes, i) << 16 | octet(bytes, i + 1) << 8 | octet(bytes, i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(group >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  const std::uint32_t group = octet(bytes, i) << 16 | (rest == 2 ? octet(bytes, i + 1) << 8 : 0);
  out += kAlphabet[(group >> 18) & 63];
  out += kAlphabet[(group >> 12) & 63];
  if (rest == 2) out += kAlphabet[(group >> 6) & 63];
  if (padding == Base64Padding::Padded) out.append(3 - rest, '=');
  return out;
}

std::string base64_decode(std::string_view text, Base64Padding padding) {
  const std::size_t data_length = text.size() - padding_length(text, padding);
  // One character holds 6 bits: a last group of one character cannot complete a byte.
  if (data_length % 4 == 1) refuse("the last group has a single character");
  std::string out;
  out.reserve(data_length / 4 * 3 + 2);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (std::size_t i = 0; i < data_length; ++i) {
    const std::int8_t value = kDecodeTable[static_cast<unsigned char>(text[i])];
    if (value == kNotBase64) {
      refuse((text[i] == '=' ? "unexpected padding at offset " : "unexpected character at offset ") +
             std::to_string(i));
    }
    bits = (bits << 6 | static_cast<std::uint32_t>(value)) & 0xFFFF;
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  // The leftover 2 or 4 bits pad the last byte; an encoder writes them as zero.
  if ((bits & ((1U << bit_count) - 1)) != 0) refuse("the last character has bits set after the data");
  return out;
}

}  // namespace usersctl::util
