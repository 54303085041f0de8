#include <gtest/gtest.h>

#include <string>

#include "util/sha256.hpp"

namespace usersctl::util {
namespace {

// The examples of FIPS 180-4's companion document (NIST CSRC "SHA256.pdf", "SHA2_Additional").
TEST(UtilSha256, StandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      sha256_hex(
          "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
          "rsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::string pattern(std::size_t length) {
  std::string bytes;
  for (std::size_t i = 0; i < length; ++i) bytes += static_cast<char>((i * 7 + 3) % 256);
  return bytes;
}

// Lengths around the 56-byte point where the length field no longer fits the last block; the
// digests are Python's hashlib.sha256 of the same bytes.
TEST(UtilSha256, LengthsAroundTheBlockBoundary) {
  const std::pair<std::size_t, std::string_view> cases[] = {
      {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
      {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
      {57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
      {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
      {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
      {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
      {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
      {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
      {128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
  };
  for (const auto& [length, hex] : cases) EXPECT_EQ(sha256_hex(pattern(length)), hex) << length;
}

TEST(UtilSha256, AllByteValuesHashAsBytes) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_EQ(sha256_hex(bytes), "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
}

TEST(UtilSha256, PiecesGiveTheDigestOfTheWhole) {
  const std::string input = pattern(300);
  const Sha256Digest whole = sha256(input);
  for (std::size_t piece = 1; piece <= 130; ++piece) {
    Sha256 hash;
    for (std::size_t at = 0; at < input.size(); at += piece)
      hash.update(std::string_view(input).substr(at, piece));
    EXPECT_EQ(hash.finish(), whole) << piece;
  }
}

TEST(UtilSha256, FinishStartsOver) {
  Sha256 hash;
  hash.update("ignored");
  hash.finish();
  EXPECT_EQ(hash.update("abc").finish(), sha256("abc"));
  EXPECT_EQ(hash.finish(), sha256(""));
}

}  // namespace
}  // namespace usersctl::util
