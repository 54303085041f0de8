// The userdb service's AccountSource over a real (SQLite) database: the placeholders for the POSIX
// fields, the user private groups, memberships, locking, and that changes show at once.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/services.hpp"
#include "userdb/database_source.hpp"

using namespace usersctl;

namespace {

class DatabaseSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("usersctl-dbsource-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    url = (dir / "users.db").string();
    services = std::make_unique<core::Services>(url, [] { return std::string("tester"); });
  }
  void TearDown() override {
    services.reset();
    std::filesystem::remove_all(dir);
  }

  void add(const std::string& name, std::int64_t uid, std::optional<std::string> shell = std::nullopt) {
    core::NewUser user;
    user.username = name;
    user.posix.uid = uid;
    user.posix.shell = std::move(shell);
    user.password = util::SecretString("pw-" + name);
    services->users().add(user, core::IfExists::Fail);
  }
  void group(const std::string& name, std::int64_t gid, const std::vector<std::string>& members = {}) {
    services->groups().create({name, gid, ""}, core::IfExists::Fail);
    if (!members.empty()) services->groups().add_members(name, members);
  }

  std::filesystem::path dir;
  std::string url;
  std::unique_ptr<core::Services> services;
};

std::vector<std::string> group_names(userdb::AccountSource& source) {
  std::vector<std::string> names;
  source.for_each_group([&](const userdb::GroupAccount& g) {
    names.push_back(g.name + ":" + std::to_string(g.gid));
    return true;
  });
  return names;
}

}  // namespace

TEST_F(DatabaseSourceTest, ServesUsersWithTheirPosixFields) {
  add("alice", 61001, "/bin/zsh");
  group("devs", 61100, {"alice"});
  userdb::DatabaseAccountSource source(url);
  const auto alice = source.find_user_by_name("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->uid, 61001u);
  EXPECT_EQ(alice->gid, 61001u);  // no group named alice: the uid, a user private group
  EXPECT_EQ(alice->home, "/home/alice");
  EXPECT_EQ(alice->shell, "/bin/zsh");
  EXPECT_FALSE(alice->locked);
  ASSERT_TRUE(alice->hashed_password);
  EXPECT_EQ(alice->hashed_password->rfind("$y$", 0), 0u);
  EXPECT_EQ(alice->member_of, std::vector<std::string>{"devs"});
  ASSERT_TRUE(source.find_user_by_uid(61001));
  EXPECT_EQ(source.find_user_by_uid(61001)->name, "alice");
  EXPECT_FALSE(source.find_user_by_uid(61002));
  EXPECT_FALSE(source.find_user_by_name("nobody-here"));
}

// The userdb record's notBeforeUSec/notAfterUSec come from --valid-from/--expires-at, so PAM
// refuses the login outside the window; a deleted (binned) user is not served at all.
TEST_F(DatabaseSourceTest, ServesTheValidityWindowAndNotTheRecycleBin) {
  core::NewUser user;
  user.username = "erin";
  user.posix.uid = 61050;
  user.valid_from = "2020-01-01";
  user.expires_at = "2020-01-02T00:00:00Z";
  services->users().add(user, core::IfExists::Fail);
  add("gone", 61051);
  services->users().remove({"gone"}, core::IfMissing::Fail);
  userdb::DatabaseAccountSource source(url);
  const auto erin = source.find_user_by_name("erin");
  ASSERT_TRUE(erin);
  EXPECT_EQ(erin->not_before_usec, 1'577'836'800'000'000ULL);
  EXPECT_EQ(erin->not_after_usec, 1'577'923'200'000'000ULL);
  EXPECT_FALSE(source.find_user_by_name("gone"));
  EXPECT_FALSE(source.find_user_by_uid(61051));
}

TEST_F(DatabaseSourceTest, SynthesizesUserPrivateGroupsOnlyForUsersWithoutARealPrimaryGroup) {
  add("alice", 61001);
  group("staff", 50000);
  core::NewUser bob;  // bob's primary group is a real one: nothing synthesized for him
  bob.username = "bob";
  bob.posix.uid = 61002;
  bob.posix.primary_group = "staff";
  services->users().add(bob, core::IfExists::Fail);
  add("carol", 61003);
  userdb::DatabaseAccountSource source(url);
  const auto alice = source.find_group_by_name("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->gid, 61001u);
  EXPECT_EQ(alice->members, std::vector<std::string>{"alice"});
  ASSERT_TRUE(source.find_group_by_gid(61001));
  EXPECT_EQ(source.find_group_by_gid(61001)->name, "alice");
  EXPECT_EQ(source.find_user_by_name("bob")->gid, 50000u);
  EXPECT_FALSE(source.find_group_by_name("bob"));
  EXPECT_FALSE(source.find_group_by_gid(61002));
  EXPECT_EQ(source.find_group_by_gid(50000)->name, "staff");
  EXPECT_EQ(source.find_group_by_gid(61003)->name, "carol");
  EXPECT_EQ(group_names(source), (std::vector<std::string>{"staff:50000", "alice:61001", "carol:61003"}));
}

TEST_F(DatabaseSourceTest, MembershipsIncludeThePrivateGroup) {
  add("alice", 61001);
  group("devs", 61100, {"alice"});
  userdb::DatabaseAccountSource source(url);
  std::vector<std::string> pairs;
  const auto collect = [&](const std::string& u, const std::string& g) {
    pairs.push_back(u + "@" + g);
    return true;
  };
  source.for_each_membership("alice", std::nullopt, collect);
  EXPECT_EQ(pairs, (std::vector<std::string>{"alice@alice", "alice@devs"}));
  pairs.clear();
  source.for_each_membership(std::nullopt, "devs", collect);
  EXPECT_EQ(pairs, std::vector<std::string>{"alice@devs"});
  pairs.clear();
  source.for_each_membership(std::nullopt, std::nullopt, collect);
  EXPECT_EQ(pairs, (std::vector<std::string>{"alice@devs", "alice@alice"}));
}

TEST_F(DatabaseSourceTest, ChangesShowAtOnceAndDisabledIsLocked) {
  add("alice", 61001);
  userdb::DatabaseAccountSource source(url);
  EXPECT_FALSE(source.find_user_by_name("alice")->locked);
  core::UserUpdate disable;
  disable.disabled = true;
  services->users().update("alice", disable);
  EXPECT_TRUE(source.find_user_by_name("alice")->locked);
  services->users().remove({"alice"}, core::IfMissing::Fail);
  EXPECT_FALSE(source.find_user_by_name("alice"));
}

TEST_F(DatabaseSourceTest, EnumerationStopsWhenTheSinkSaysSo) {
  for (int i = 0; i < 5; ++i) add("user" + std::to_string(i), 61000 + i);
  userdb::DatabaseAccountSource source(url);
  int seen = 0;
  source.for_each_user([&](const userdb::UserAccount&) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
  // The connection went back to the pool in a usable state.
  EXPECT_TRUE(source.find_user_by_name("user4"));
}
