#include <gtest/gtest.h>

#include "core/passwd_format.hpp"
#include "util/errors.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

User user_named(const std::string& username, std::int64_t uid) {
  User user;
  user.username = username;
  user.uid = uid;
  user.gid = uid;
  user.home = "/home/" + username;
  user.shell = "/bin/bash";
  return user;
}

TEST(PasswdFormat, WritesTheFields) {
  EXPECT_EQ(passwd_line(user_named("alice", 1000)), "alice:x:1000:1000::/home/alice:/bin/bash");
  User user = user_named("bob", 1001);
  user.gid = 777;
  user.name = "Bob Müller, Room 4";
  user.home = "/srv/bob";
  user.shell = "/bin/zsh";
  user.attrs = {{"home", "/elsewhere"}, {"team", "ops"}};  // attributes are not fields
  EXPECT_EQ(passwd_line(user), "bob:x:1001:777:Bob Müller, Room 4:/srv/bob:/bin/zsh");
}

TEST(PasswdFormat, RefusesSeparatorsInFieldsNamingTheUserAndField) {
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"home", "/home/a:b"}, {"shell", "/bin/sh\n"}, {"shell", "/bin/sh\rx"}}) {
    User user = user_named("dave", 1002);
    (field == "home" ? user.home : user.shell) = value;
    try {
      passwd_line(user);
      ADD_FAILURE() << field << "=" << value << " was accepted";
    } catch (const Invalid& error) {
      EXPECT_NE(std::string(error.what()).find("'dave'"), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find(field), std::string::npos) << error.what();
      EXPECT_EQ(error.code(), ExitCode::Invalid);
    }
  }
  User named = user_named("erin", 1003);
  named.name = "a:b";
  EXPECT_THROW(passwd_line(named), Invalid);
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
