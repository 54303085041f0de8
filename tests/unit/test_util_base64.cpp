#include <gtest/gtest.h>

#include <string>

#include "util/base64.hpp"
#include "util/errors.hpp"

namespace usersctl::util {
namespace {

std::string error_of(std::string_view text, Base64Padding padding = Base64Padding::Padded) {
  try {
    base64_decode(text, padding);
  } catch (const Invalid& error) {
    return error.what();
  }
  return "(accepted)";
}

// RFC 4648 §10.
TEST(UtilBase64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(UtilBase64, EncodesWithoutPadding) {
  EXPECT_EQ(base64_encode("f", Base64Padding::Unpadded), "Zg");
  EXPECT_EQ(base64_encode("fo", Base64Padding::Unpadded), "Zm8");
  EXPECT_EQ(base64_encode("foo", Base64Padding::Unpadded), "Zm9v");
  EXPECT_EQ(base64_encode("", Base64Padding::Unpadded), "");
}

TEST(UtilBase64, DecodesTheRfc4648Vectors) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zg", Base64Padding::Unpadded), "f");
  EXPECT_EQ(base64_decode("Zm9vYmE", Base64Padding::Unpadded), "fooba");
}

TEST(UtilBase64, EveryByteValueAndLengthRoundTrips) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_EQ(base64_encode(bytes.substr(250)), "+vv8/f7/");
  for (std::size_t length = 0; length <= bytes.size(); ++length) {
    const std::string input = bytes.substr(bytes.size() - length);
    for (const auto padding : {Base64Padding::Padded, Base64Padding::Unpadded}) {
      EXPECT_EQ(base64_decode(base64_encode(input, padding), padding), input) << length;
    }
  }
}

TEST(UtilBase64, RefusesCharactersOutsideTheStandardAlphabet) {
  EXPECT_EQ(error_of("Zm9v Zg="), "not valid base64: unexpected character at offset 4");
  // URL-safe letters, a newline (no MIME line breaks), a UTF-8 letter, a NUL.
  const std::string_view outside[] = {"Zm9-", "Zm9_",       "Zm9\n",
                                      "Zm9.", "Zm\xc3\xa9", std::string_view("Zm9\0", 4)};
  for (const std::string_view text : outside) {
    EXPECT_EQ(error_of(text).rfind("not valid base64: unexpected character at offset", 0), 0u) << text;
  }
}

TEST(UtilBase64, RefusesBadPadding) {
  EXPECT_EQ(error_of("Zg"), "not valid base64: the length is not a multiple of 4");
  EXPECT_EQ(error_of("Zg="), "not valid base64: the length is not a multiple of 4");
  EXPECT_EQ(error_of("Z==="), "not valid base64: unexpected padding at offset 1");
  EXPECT_EQ(error_of("Zg==Zm9v"), "not valid base64: unexpected padding at offset 2");
  EXPECT_EQ(error_of("===="), "not valid base64: unexpected padding at offset 0");
  EXPECT_EQ(error_of("Zm9vY==="), "not valid base64: unexpected padding at offset 5");
  EXPECT_EQ(error_of("Zg==", Base64Padding::Unpadded), "not valid base64: unexpected padding at offset 2");
  EXPECT_EQ(error_of("Zm9vY", Base64Padding::Unpadded),
            "not valid base64: the last group has a single character");
}

// "Zh==" would decode to "f" too if the unused low bits were ignored: one encoding per byte string.
TEST(UtilBase64, RefusesSetBitsAfterTheData) {
  EXPECT_EQ(error_of("Zh=="), "not valid base64: the last character has bits set after the data");
  EXPECT_EQ(error_of("Zm9="), "not valid base64: the last character has bits set after the data");
  EXPECT_EQ(error_of("Zh", Base64Padding::Unpadded),
            "not valid base64: the last character has bits set after the data");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
}

TEST(UtilBase64, ErrorsAreInvalidInput) {
  try {
    base64_decode("!");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::Invalid);
  }
}

}  // namespace
}  // namespace usersctl::util
