#include <crypt.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

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

// A bulk load checks a million hashes: each shape (method, parameters, salt and hash lengths) is
// probed with crypt(3) once, not once per hash (yescrypt's derivation costs tens of milliseconds),
// and a hash of another shape, or of the same method with a wrong length, is still refused.
TEST(Password, ChecksEachHashShapeOnceAndStillRefusesOthers) {
  const std::string real = hash_password("x");
  const auto salt_start = real.find('$', 3) + 1;
  const auto timed = [](const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const double one = timed([&] { hash_password("y"); });
  const double many = timed([&] {
    for (int i = 0; i < 200; ++i) {
      std::string other = real;
      for (std::size_t c = salt_start; c < salt_start + 8; ++c) other[c] = "./0123456789ABCDEF"[(i + c) % 18];
      validate_password_hash(other);
    }
  });
  EXPECT_LT(many, 20 * one) << "200 hashes of one shape took " << many << " s, one hash " << one << " s";
  EXPECT_THROW(validate_password_hash(real.substr(0, real.size() - 1)), Invalid);
  EXPECT_THROW(validate_password_hash("$y$zzzzzzzzz$" + real.substr(salt_start)), Invalid);
  EXPECT_THROW(validate_password_hash("$q$" + real.substr(3)), Invalid);
  EXPECT_THROW(validate_password_hash("!" + real + "x"), Invalid);
}

TEST(Password, LockedHashNeverMatches) {
  const std::string hash = hash_password("pw");
  EXPECT_FALSE(verify_password("pw", "!" + hash));
}
