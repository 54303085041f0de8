#include <gtest/gtest.h>

#include "core/passwd_format.hpp"
#include "model/errors.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

User user_named(const std::string& username, std::int64_t uid) {
  User user;
  user.username = username;
  user.uid = uid;
  return user;
}

TEST(PasswdFormat, DefaultsGidToUidHomeUnderHomeAndShellToBinSh) {
  EXPECT_EQ(passwd_line(user_named("alice", 1000), std::nullopt), "alice:x:1000:1000::/home/alice:/bin/sh");
}

TEST(PasswdFormat, UsesThePrivateGroupGidDisplayNameAndAttributes) {
  User user = user_named("bob", 1001);
  user.name = "Bob Müller, Room 4";
  user.attrs = {{"home", "/srv/bob"}, {"shell", "/bin/zsh"}, {"team", "ops"}};
  EXPECT_EQ(passwd_line(user, 777), "bob:x:1001:777:Bob Müller, Room 4:/srv/bob:/bin/zsh");
}

TEST(PasswdFormat, EmptyHomeOrShellAttributeMeansTheDefault) {
  User user = user_named("carol", 0);
  user.attrs = {{"home", ""}, {"shell", ""}};
  EXPECT_EQ(passwd_line(user, 0), "carol:x:0:0::/home/carol:/bin/sh");
}

TEST(PasswdFormat, RefusesSeparatorsInFieldsNamingTheUserAndField) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"home", "/home/a:b"}, {"shell", "/bin/sh\n"}, {"shell", "/bin/sh\rx"}}) {
    User user = user_named("dave", 1002);
    user.attrs[key] = value;
    try {
      passwd_line(user, std::nullopt);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const Invalid& error) {
      EXPECT_NE(std::string(error.what()).find("'dave'"), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("attrs." + key), std::string::npos) << error.what();
      EXPECT_EQ(error.code(), ExitCode::Invalid);
    }
  }
  User named = user_named("erin", 1003);
  named.name = "a:b";
  EXPECT_THROW(passwd_line(named, std::nullopt), Invalid);
}

TEST(GroupFormat, JoinsMembersWithCommas) {
  Group group;
  group.name = "staff";
  group.gid = 500;
  EXPECT_EQ(group_line(group), "staff:x:500:");
  group.members = {"alice"};
  EXPECT_EQ(group_line(group), "staff:x:500:alice");
  group.members = {"alice", "bob", "carol"};
  EXPECT_EQ(group_line(group), "staff:x:500:alice,bob,carol");
}

}  // namespace
}  // namespace usersctl::core
