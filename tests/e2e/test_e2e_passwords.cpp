// Passwords: read from stdin only, stored as yescrypt, checked with check-password, migrated with
// --password-hash, and never shown.

#include <crypt.h>

#include <memory>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class PasswordTest : public E2eTest {
 protected:
  int check(const std::string& user, const std::string& password_line) {
    const RunResult r = cli({"check-password", user, "--password-stdin"}, password_line);
    EXPECT_EQ(r.out, "") << "check-password prints nothing on stdout";
    EXPECT_EQ(r.out.find("$y$"), std::string::npos);
    return r.exit_code;
  }
};
USERSCTL_E2E_INSTANTIATE(PasswordTest);

class PasswordStorageTest : public SqliteE2eTest {
 protected:
  std::string dump() const {
    const RunResult r = run_process("/usr/bin/sqlite3", {db_path().string(), ".dump"});
    EXPECT_EQ(r.exit_code, 0) << r;
    return r.out;
  }
};

// A SHA-512 crypt(3) hash, as an old /etc/shadow would hold it.
std::string sha512_crypt(const std::string& password) {
  const char* salt = crypt_gensalt("$6$", 0, nullptr, 0);
  EXPECT_NE(salt, nullptr);
  if (salt == nullptr) return {};
  const std::string salt_copy = salt;
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_r(password.c_str(), salt_copy.c_str(), data.get());
  EXPECT_NE(hash, nullptr);
  if (hash == nullptr || hash[0] == '*') return {};
  return hash;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++count;
  return count;
}

TEST_P(PasswordTest, AddWithPasswordThenCheck) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "s3cret\n")));
  EXPECT_EQ(check("alice", "s3cret\n"), 0);
  EXPECT_EQ(check("alice", "wrong\n"), 1);
  EXPECT_EQ(check("alice", "s3cre\n"), 1);
  EXPECT_EQ(check("alice", "S3CRET\n"), 1);
}

TEST_P(PasswordTest, PasswordWithoutTrailingNewline) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "s3cret")));
  EXPECT_EQ(check("alice", "s3cret"), 0);
  EXPECT_EQ(check("alice", "s3cret\n"), 0);
}

TEST_P(PasswordTest, CheckPasswordMismatchIsExitOneNotAnError) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "s3cret\n")));
  const RunResult r = cli({"check-password", "alice", "--password-stdin"}, "nope\n");
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos);
  EXPECT_EQ(r.err.find("nope"), std::string::npos) << "never echo a password: " << r.err;
}

TEST_P(PasswordTest, CheckPasswordOfUnknownUserIsNotFound) {
  add_user("alice");  // a database without ghost (a read never creates one)
  EXPECT_TRUE(Failed(cli({"check-password", "ghost", "--password-stdin"}, "x\n"), 3, "ghost"));
}

TEST_P(PasswordTest, UserWithoutPasswordNeverMatches) {
  add_user("alice");
  EXPECT_EQ(check("alice", "anything\n"), 1);
}

TEST_P(PasswordTest, PasswdChangesThePassword) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "old-pass\n")));
  const RunResult r = cli({"passwd", "alice", "--password-stdin"}, "new-pass\n");
  ASSERT_TRUE(MutationSucceeded(r));
  EXPECT_EQ(r.err.find("new-pass"), std::string::npos) << r.err;
  EXPECT_EQ(check("alice", "new-pass\n"), 0);
  EXPECT_EQ(check("alice", "old-pass\n"), 1);
  EXPECT_EQ(show_user("alice")["version"], 2);
}

TEST_P(PasswordTest, PasswdReadsOnlyTheFirstLine) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"passwd", "alice", "--password-stdin"}, "first\nsecond\n")));
  EXPECT_EQ(check("alice", "first\n"), 0);
  EXPECT_EQ(check("alice", "second\n"), 1);
  EXPECT_EQ(check("alice", "first\nsecond\n"), 0);  // check-password reads its first line too
}

TEST_P(PasswordTest, UpdateWithPasswordStdin) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--password-stdin"}, "via-update\n")));
  EXPECT_EQ(check("alice", "via-update\n"), 0);
  EXPECT_EQ(show_user("alice")["version"], 2);
}

TEST_P(PasswordTest, PasswdOfUnknownUserIsNotFound) {
  EXPECT_TRUE(Failed(cli({"passwd", "ghost", "--password-stdin"}, "x\n"), 3, "ghost"));
}

TEST_P(PasswordTest, PasswdWithoutPasswordStdinIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"passwd", "alice"}), 2));
  EXPECT_TRUE(Failed(cli({"passwd", "alice", "--password", "x"}), 2));
  EXPECT_TRUE(Failed(cli({"check-password", "alice"}), 2));
  EXPECT_EQ(show_user("alice")["version"], 1);
}

TEST_P(PasswordTest, PasswordStdinAndPasswordHashAreExclusive) {
  const std::string hash = sha512_crypt("pw");
  ASSERT_FALSE(hash.empty());
  EXPECT_TRUE(Failed(cli({"add", "alice", "--password-stdin", "--password-hash", hash}, "pw\n"), 2));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 6, "no database")) << "not even the database was created";
}

TEST_P(PasswordTest, MigratedSha512HashIsAccepted) {
  const std::string hash = sha512_crypt("legacy-pw");
  ASSERT_EQ(hash.rfind("$6$", 0), 0u) << hash;
  ASSERT_TRUE(MutationSucceeded(cli({"add", "bob", "--password-hash", hash})));
  EXPECT_EQ(check("bob", "legacy-pw\n"), 0);
  EXPECT_EQ(check("bob", "other\n"), 1);
  // The hash is never shown either.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"show", "bob"}, {"list", "-o", "csv"}, {"list", "-o", "table"}}) {
    const RunResult r = cli(args);
    ASSERT_TRUE(Succeeded(r));
    EXPECT_EQ(r.out.find("$6$"), std::string::npos) << r.out;
  }
}

TEST_P(PasswordTest, InvalidHashIsRejected) {
  for (const std::string hash : {"not a hash", "$99$abc$def", "plain-text-password"}) {
    EXPECT_TRUE(Failed(cli({"add", "bob", "--password-hash", hash}), 5)) << hash;
  }
  EXPECT_TRUE(Failed(cli({"show", "bob"}), 3));
}

TEST_F(PasswordStorageTest, StoredAsSaltedYescrypt) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "same-password\n")));
  ASSERT_TRUE(MutationSucceeded(cli({"add", "bob", "--password-stdin"}, "same-password\n")));
  const std::string text = dump();
  EXPECT_EQ(text.find("same-password"), std::string::npos) << "plain text stored";
  ASSERT_EQ(count_of(text, "$y$"), 2u) << text;
  // Salted: the same password gives two different hashes.
  const auto first = text.find("$y$");
  const auto second = text.find("$y$", first + 1);
  const auto hash_at = [&](std::size_t pos) { return text.substr(pos, text.find('\'', pos) - pos); };
  EXPECT_NE(hash_at(first), hash_at(second));
}

TEST_F(PasswordStorageTest, PasswdReplacesTheHash) {
  ASSERT_TRUE(MutationSucceeded(cli({"add", "alice", "--password-stdin"}, "one\n")));
  const std::string before = dump();
  ASSERT_TRUE(MutationSucceeded(cli({"passwd", "alice", "--password-stdin"}, "two\n")));
  const std::string after = dump();
  EXPECT_EQ(count_of(after, "$y$"), 1u);
  EXPECT_NE(before, after);
}

TEST_F(PasswordStorageTest, MigratedHashIsStoredAsGiven) {
  const std::string hash = sha512_crypt("legacy-pw");
  ASSERT_FALSE(hash.empty());
  ASSERT_TRUE(MutationSucceeded(cli({"add", "bob", "--password-hash", hash})));
  EXPECT_NE(dump().find(hash), std::string::npos);
}

}  // namespace
}  // namespace usersctl::e2e
