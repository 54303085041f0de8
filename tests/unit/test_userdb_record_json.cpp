#include <gtest/gtest.h>

#include "userdb/user_record_json.hpp"

namespace usersctl::userdb {
namespace {

using nlohmann::json;

UserAccount alice() {
  return {"alice",
          60001,
          60001,
          "Alice Example",
          "/home/alice",
          "/bin/bash",
          "alice@example.org",
          false,
          "$6$salt$hash",
          {"ssh-ed25519 AAAA alice@laptop"},
          {"devs"}};
}

TEST(UserdbRecordJson, UserRecordStatesEveryNssField) {
  const json record = user_record(alice(), "io.usersctl.UserDatabase", false);
  EXPECT_EQ(record["userName"], "alice");
  EXPECT_EQ(record["uid"], 60001);
  EXPECT_EQ(record["gid"], 60001);
  EXPECT_EQ(record["realName"], "Alice Example");
  EXPECT_EQ(record["homeDirectory"], "/home/alice");
  EXPECT_EQ(record["shell"], "/bin/bash");
  EXPECT_EQ(record["emailAddress"], "alice@example.org");
  EXPECT_EQ(record["locked"], false);
  EXPECT_EQ(record["memberOf"], json::array({"devs"}));
  EXPECT_EQ(record["disposition"], "regular");
  EXPECT_EQ(record["service"], "io.usersctl.UserDatabase");
  EXPECT_FALSE(record.contains("privileged"));
}

TEST(UserdbRecordJson, EmptyFieldsMeanWhatPasswdSays) {
  UserAccount user = alice();
  user.home.clear();
  user.shell.clear();
  user.gecos = "Evil:Name\nX";
  user.email.reset();
  user.member_of.clear();
  const json record = user_record(user, "s", false);
  EXPECT_EQ(record["homeDirectory"], "/");
  EXPECT_EQ(record["shell"], "/bin/sh");
  EXPECT_EQ(record["realName"], "Evil Name X");
  EXPECT_FALSE(record.contains("emailAddress"));
  EXPECT_FALSE(record.contains("memberOf"));
}

TEST(UserdbRecordJson, PrivilegedSectionCarriesHashAndKeys) {
  const json record = user_record(alice(), "s", true);
  EXPECT_EQ(record["privileged"]["hashedPassword"], json::array({"$6$salt$hash"}));
  EXPECT_EQ(record["privileged"]["sshAuthorizedKeys"], json::array({"ssh-ed25519 AAAA alice@laptop"}));
}

TEST(UserdbRecordJson, LockedOrHashlessUsersCannotAuthenticate) {
  UserAccount user = alice();
  user.locked = true;
  EXPECT_EQ(served_password_hash(user), "!$6$salt$hash");
  user.hashed_password.reset();
  EXPECT_EQ(served_password_hash(user), "!*");
  user.locked = false;
  user.hashed_password = "";
  EXPECT_EQ(served_password_hash(user), "!*");  // an empty hash would mean "no password needed"
}

TEST(UserdbRecordJson, PrivilegedOnlyForRootAndTheUserThemself) {
  EXPECT_TRUE(may_see_privileged(0u, alice()));
  EXPECT_TRUE(may_see_privileged(60001u, alice()));
  EXPECT_FALSE(may_see_privileged(60002u, alice()));
  EXPECT_FALSE(may_see_privileged(std::nullopt, alice()));
  const json withheld = user_reply(alice(), "s", 65534u);
  EXPECT_FALSE(withheld["record"].contains("privileged"));
  EXPECT_EQ(withheld["incomplete"], true);
  const json full = user_reply(alice(), "s", 60001u);
  EXPECT_TRUE(full["record"].contains("privileged"));
  EXPECT_EQ(full["incomplete"], false);
}

TEST(UserdbRecordJson, GroupRecord) {
  const json reply = group_reply({"devs", 60100, "Developers", {"alice", "bob"}}, "io.usersctl.UserDatabase");
  EXPECT_EQ(reply["incomplete"], false);
  const json& record = reply["record"];
  EXPECT_EQ(record["groupName"], "devs");
  EXPECT_EQ(record["gid"], 60100);
  EXPECT_EQ(record["description"], "Developers");
  EXPECT_EQ(record["members"], json::array({"alice", "bob"}));
  EXPECT_EQ(record["service"], "io.usersctl.UserDatabase");
  EXPECT_FALSE(group_record({"empty", 1, std::nullopt, {}}, "s").contains("members"));
}

}  // namespace
}  // namespace usersctl::userdb

namespace usersctl::userdb {
namespace {

TEST(UserdbRecordJson, ValidityWindowBecomesNotBeforeAndNotAfter) {
  UserAccount user;
  user.name = "alice";
  user.uid = user.gid = 60001;
  EXPECT_FALSE(user_record(user, "io.usersctl.UserDatabase", false).contains("notAfterUSec"));
  user.not_before_usec = 1'700'000'000'000'000ULL;
  user.not_after_usec = 1'800'000'000'000'000ULL;
  const nlohmann::json record = user_record(user, "io.usersctl.UserDatabase", false);
  EXPECT_EQ(record["notBeforeUSec"], 1'700'000'000'000'000ULL);
  EXPECT_EQ(record["notAfterUSec"], 1'800'000'000'000'000ULL);
}

}  // namespace
}  // namespace usersctl::userdb
