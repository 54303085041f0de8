// The folders around a SQLite database: under umask 000 the missing parents of the default folder
// are created 0755 (not 0777, where another user could swap the folder), the usersctl folder 0700;
// a database folder others can write, or another user owns, is refused (exit 6) and nothing is
// created in it.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "e2e_fixture.hpp"
#include "test_files.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

class DatabaseFolderTest : public SqliteE2eTest {};

TEST_F(DatabaseFolderTest, MissingParentsOfTheDefaultFolderAreNotWorldWritable) {
  const ScopedUmask umask(0);
  const fs::path xdg = temp_dir() / "data" / "share";
  env()["XDG_DATA_HOME"] = xdg.string();
  ASSERT_TRUE(MutationSucceeded(run({"add", "alice"})));
  EXPECT_EQ(mode_of(temp_dir() / "data"), 0755u);
  EXPECT_EQ(mode_of(xdg), 0755u);
  EXPECT_EQ(mode_of(xdg / "usersctl"), 0700u);
  EXPECT_EQ(mode_of(xdg / "usersctl" / "users.db"), 0600u);
  const RunResult listed = run({"list"});
  ASSERT_TRUE(Succeeded(listed));
  EXPECT_EQ(parse_jsonl(listed.out).size(), 1u);
}

TEST_F(DatabaseFolderTest, HomeBasedDefaultToo) {
  const ScopedUmask umask(0);
  ASSERT_TRUE(MutationSucceeded(run({"add", "alice"})));
  EXPECT_EQ(mode_of(home_dir() / ".local"), 0755u);
  EXPECT_EQ(mode_of(home_dir() / ".local/share"), 0755u);
  EXPECT_EQ(mode_of(home_dir() / ".local/share/usersctl"), 0700u);
}

TEST_F(DatabaseFolderTest, FolderOthersCanWriteIsRefused) {
  const fs::path open = temp_dir() / "open";
  fs::create_directories(open);
  ::chmod(open.c_str(), 0777);
  const std::string db = (open / "users.db").string();
  EXPECT_TRUE(Failed(run({"--db", db, "add", "alice"}), 6, "writable by other users"));
  EXPECT_TRUE(Failed(run({"--db", db, "list"}), 6, "writable by other users"));
  EXPECT_FALSE(fs::exists(db));
  // The default folder too: a usersctl folder made world-writable is not used.
  const fs::path xdg = temp_dir() / "xdg";
  fs::create_directories(xdg / "usersctl");
  ::chmod((xdg / "usersctl").c_str(), 0777);
  env()["XDG_DATA_HOME"] = xdg.string();
  EXPECT_TRUE(Failed(run({"add", "alice"}), 6, "writable by other users"));
  EXPECT_FALSE(fs::exists(xdg / "usersctl" / "users.db"));
}

TEST_F(DatabaseFolderTest, StickyWorldWritableFolderIsAccepted) {
  const fs::path shared = temp_dir() / "sticky";
  fs::create_directories(shared);
  ::chmod(shared.c_str(), 01777);
  ASSERT_TRUE(MutationSucceeded(run({"--db", (shared / "users.db").string(), "add", "alice"})));
}

TEST_F(DatabaseFolderTest, FolderOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another uid";
  const fs::path theirs = temp_dir() / "theirs";
  fs::create_directories(theirs);
  ASSERT_EQ(::chown(theirs.c_str(), 60123, 60123), 0);
  const std::string db = (theirs / "users.db").string();
  EXPECT_TRUE(Failed(run({"--db", db, "add", "alice"}), 6, "belongs to another user"));
  EXPECT_FALSE(fs::exists(db));
}

}  // namespace
}  // namespace usersctl::e2e
