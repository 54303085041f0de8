#include <crypt.h>
#include <gtest/gtest.h>

#include "core/password.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;

TEST(Password, HashesWithYescryptAndVerifies) {
  const std::string hash = hash_password("correct horse");
  EXPECT_EQ(hash.rfind("$y$", 0), 0u) << hash;
  EXPECT_TRUE(verify_password("correct horse", hash));
  EXPECT_FALSE(verify_password("correct horsE", hash));
  EXPECT_FALSE(verify_password("", hash));
}

TEST(Password, SaltsEveryHash) { EXPECT_NE(hash_password("same"), hash_password("same")); }

TEST(Password, RejectsEmptyAndNulPasswords) {
  EXPECT_THROW(hash_password(""), Invalid);
  EXPECT_THROW(hash_password(std::string("a\0b", 3)), Invalid);
}

TEST(Password, PasswordWithANulByteNeverMatches) {
  // crypt(3) reads a C string: without the check, "secret\0junk" would match "secret".
  const std::string hash = hash_password("secret");
  EXPECT_TRUE(verify_password("secret", hash));
  EXPECT_FALSE(verify_password(std::string("secret\0junk", 11), hash));
  EXPECT_FALSE(verify_password(std::string("secret\0", 7), hash));
}

TEST(Password, AcceptsExistingCryptHashesForMigration) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$6$", 0, nullptr, 0, setting, sizeof setting), nullptr);
  crypt_data data{};
  const std::string sha512 = crypt_r("legacy", setting, &data);
  EXPECT_NO_THROW(validate_password_hash(sha512));
  EXPECT_TRUE(verify_password("legacy", sha512));
  EXPECT_FALSE(verify_password("other", sha512));
}

TEST(Password, RejectsHashesCryptCannotUse) {
  EXPECT_THROW(validate_password_hash("plaintext"), Invalid);
  EXPECT_THROW(validate_password_hash("$y$abc:def"), Invalid);
  EXPECT_THROW(validate_password_hash("$6$salt$hash\nx"), Invalid);
  EXPECT_THROW(validate_password_hash(""), Invalid);
}

TEST(Password, LockedHashNeverMatches) {
  const std::string hash = hash_password("pw");
  EXPECT_FALSE(verify_password("pw", "!" + hash));
}
