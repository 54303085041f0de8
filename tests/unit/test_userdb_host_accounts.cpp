#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../userdb/fixed_account_source.hpp"
#include "userdb/host_accounts.hpp"
#include "userdb/host_filtered_source.hpp"

namespace usersctl::userdb {
namespace {

namespace fs = std::filesystem;

class UserdbHostAccounts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("userdb_host_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    write(dir / "passwd",
          "root:x:0:0:root:/root:/bin/bash\n# comment\n+nis\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    write(dir / "group", "root:x:0:\ndevs:x:60100:\n");
  }
  void TearDown() override { fs::remove_all(dir); }
  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  fs::path dir;
};

TEST_F(UserdbHostAccounts, ReadsNamesAndIds) {
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  EXPECT_TRUE(host.user_name_taken("root"));
  EXPECT_TRUE(host.user_name_taken("alice"));
  EXPECT_FALSE(host.user_name_taken("+nis"));
  EXPECT_TRUE(host.uid_taken(1000));
  EXPECT_FALSE(host.uid_taken(60001));
  EXPECT_TRUE(host.group_name_taken("devs"));
  EXPECT_TRUE(host.gid_taken(60100));
}

TEST_F(UserdbHostAccounts, MissingFilesTakeNothing) {
  HostAccounts host((dir / "nope").string(), (dir / "nope2").string());
  EXPECT_FALSE(host.user_name_taken("root"));
}

TEST_F(UserdbHostAccounts, ReloadsWhenTheFileChanges) {
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  EXPECT_FALSE(host.user_name_taken("carol"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ofstream(dir / "passwd", std::ios::app) << "carol:x:1001:1001::/home/carol:/bin/sh\n";
  EXPECT_TRUE(host.user_name_taken("carol"));
  EXPECT_TRUE(host.uid_taken(1001));
}

TEST_F(UserdbHostAccounts, CollidingRecordsAreNotServed) {
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  auto source = testing::sample_source();  // alice 60001, bob 60002, groups alice, bob, devs(60100)
  HostFilteredSource filtered(source, host);
  EXPECT_FALSE(filtered.find_user_by_name("alice"));  // the host has an alice
  EXPECT_TRUE(filtered.find_user_by_name("bob"));
  EXPECT_FALSE(filtered.find_group_by_name("devs"));
  EXPECT_FALSE(filtered.find_group_by_gid(60100));
  std::vector<std::string> users;
  filtered.for_each_user([&](const UserAccount& user) {
    users.push_back(user.name);
    return true;
  });
  EXPECT_EQ(users, std::vector<std::string>{"bob"});
  int memberships = 0;
  filtered.for_each_membership(std::nullopt, std::nullopt, [&](const std::string&, const std::string&) {
    ++memberships;
    return true;
  });
  EXPECT_EQ(memberships, 1);  // bob in bob; alice's pairs and devs are hidden
}

namespace {

std::vector<std::string> pairs_of(AccountSource& source, const std::optional<std::string>& user,
                                  const std::optional<std::string>& group) {
  std::vector<std::string> pairs;
  source.for_each_membership(user, group, [&](const std::string& member, const std::string& of) {
    pairs.push_back(member + "@" + of);
    return true;
  });
  return pairs;
}

}  // namespace

// alice is withheld by her name (the host has an alice), bob by his uid (the host has 60002): neither
// keeps the private group synthesized for them, by name, by gid, in enumeration or as a membership.
TEST_F(UserdbHostAccounts, AWithheldUserHasNoPrivateGroupServed) {
  std::ofstream(dir / "passwd", std::ios::app) << "hostbob:x:60002:60002::/home/hostbob:/bin/sh\n";
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  auto source = testing::sample_source();
  HostFilteredSource filtered(source, host);
  ASSERT_FALSE(filtered.find_user_by_name("alice"));
  ASSERT_FALSE(filtered.find_user_by_name("bob"));
  EXPECT_FALSE(filtered.find_group_by_name("alice"));
  EXPECT_FALSE(filtered.find_group_by_gid(60001));
  EXPECT_FALSE(filtered.find_group_by_name("bob"));
  EXPECT_FALSE(filtered.find_group_by_gid(60002));
  std::vector<std::string> groups;
  filtered.for_each_group([&](const GroupAccount& group) {
    groups.push_back(group.name);
    return true;
  });
  EXPECT_EQ(groups, std::vector<std::string>{});  // devs collides by gid itself
  EXPECT_EQ(pairs_of(filtered, "bob", std::nullopt), std::vector<std::string>{});
  EXPECT_EQ(pairs_of(filtered, std::nullopt, "bob"), std::vector<std::string>{});
  EXPECT_EQ(pairs_of(filtered, std::nullopt, std::nullopt), std::vector<std::string>{});
}

// The same groups are served while their users are: the filter hides a private group for its
// user's sake only, and a real group named like a host user is no private group.
TEST_F(UserdbHostAccounts, PrivateGroupsOfServedUsersStay) {
  write(dir / "passwd", "root:x:0:0:root:/root:/bin/bash\nops:x:1500:1500::/:/bin/sh\n");
  write(dir / "group", "root:x:0:\n");
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  testing::FixedAccountSource source(
      {{"bob", 60002, 60002, "Bob", "/home/bob", "/bin/sh", std::nullopt, false, std::nullopt, {}, {"ops"}}},
      {{"bob", 60002, std::nullopt, {"bob"}, true}, {"ops", 60200, std::nullopt, {"bob"}}});
  HostFilteredSource filtered(source, host);
  EXPECT_TRUE(filtered.find_group_by_name("bob"));
  EXPECT_TRUE(filtered.find_group_by_gid(60002));
  EXPECT_TRUE(filtered.find_group_by_name("ops"));  // a real group: /etc/group has no "ops"
  EXPECT_EQ(pairs_of(filtered, "bob", std::nullopt), (std::vector<std::string>{"bob@bob", "bob@ops"}));
  EXPECT_EQ(pairs_of(filtered, std::nullopt, "bob"), std::vector<std::string>{"bob@bob"});
  EXPECT_EQ(pairs_of(filtered, std::nullopt, std::nullopt), (std::vector<std::string>{"bob@bob", "bob@ops"}));
}

TEST_F(UserdbHostAccounts, ListsCollisionsForHealth) {
  HostAccounts host((dir / "passwd").string(), (dir / "group").string());
  auto source = testing::sample_source();
  const auto collisions = find_host_collisions(host, source);
  ASSERT_EQ(collisions.size(), 2u);
  EXPECT_EQ(collisions[0].kind, HostCollision::Kind::User);
  EXPECT_EQ(collisions[0].name, "alice");
  EXPECT_TRUE(collisions[0].name_taken);
  EXPECT_FALSE(collisions[0].id_taken);
  EXPECT_EQ(collisions[1].kind, HostCollision::Kind::Group);
  EXPECT_EQ(collisions[1].name, "devs");
  EXPECT_TRUE(collisions[1].id_taken);
}

}  // namespace
}  // namespace usersctl::userdb
