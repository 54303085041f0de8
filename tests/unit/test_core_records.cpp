#include <gtest/gtest.h>

#include "output/records.hpp"

namespace usersctl::output {
namespace {

model::User sample_user() {
  model::User user;
  user.id = 77;
  user.username = "zoe";
  user.uid = 1001;
  user.gid = 2000;
  user.name = "Zoë Müller";
  user.email = "zoe@example.org";
  user.home = "/home/zoe";
  user.shell = "/bin/zsh";
  user.groups = {"admins", "dev"};
  user.ssh_keys = {"ssh-ed25519 AAAA zoe@laptop"};
  user.attrs = {{"location", "Berlin"}, {"team", "ops"}};
  user.disabled = true;
  user.created_at = "2026-01-02T03:04:05Z";
  user.updated_at = "2026-01-03T03:04:05Z";
  user.created_by = "root";
  user.updated_by = "alice";
  user.version = 3;
  return user;
}

TEST(UserRecord, HasEveryFieldInDocumentedOrder) {
  EXPECT_EQ(
      user_record(sample_user()).dump(),
      R"({"username":"zoe","uid":1001,"gid":2000,"name":"Zoë Müller","email":"zoe@example.org",)"
      R"("home":"/home/zoe","shell":"/bin/zsh","groups":["admins","dev"],)"
      R"("ssh_keys":["ssh-ed25519 AAAA zoe@laptop"],"attrs":{"location":"Berlin","team":"ops"},"disabled":true,)"
      R"("valid_from":null,"expires_at":null,"password_changed_at":null,)"
      R"("created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-03T03:04:05Z",)"
      R"("created_by":"root","updated_by":"alice","version":3})");
}

TEST(UserRecord, AbsentEmailIsNullAndEmptyCollectionsKeepTheirTypes) {
  model::User user;
  user.username = "bob";
  const Record record = user_record(user);
  EXPECT_TRUE(record["email"].is_null());
  EXPECT_EQ(record["groups"].dump(), "[]");
  EXPECT_EQ(record["ssh_keys"].dump(), "[]");
  EXPECT_EQ(record["attrs"].dump(), "{}");
  EXPECT_EQ(record["disabled"].dump(), "false");
}

TEST(UserRecord, CarriesNoSurrogateIdOrPasswordField) {
  const Record record = user_record(sample_user());
  EXPECT_FALSE(record.contains("id"));
  // No hash in any form; password_changed_at says only when.
  for (const auto& item : record.items()) {
    if (item.key() == "password_changed_at") continue;
    EXPECT_EQ(item.key().find("password"), std::string::npos);
  }
  EXPECT_EQ(record.size(), 19u);
}

TEST(GroupRecord, HasEveryFieldInDocumentedOrder) {
  model::Group group;
  group.id = 5;
  group.name = "dev";
  group.gid = 2000;
  group.description = "Developers, all of them";
  group.members = {"alice", "zoe"};
  group.created_at = "2026-01-02T03:04:05Z";
  group.updated_at = "2026-01-02T03:04:05Z";
  group.created_by = "root";
  group.updated_by = "root";
  group.version = 1;
  EXPECT_EQ(group_record(group).dump(),
            R"({"name":"dev","gid":2000,"description":"Developers, all of them","members":["alice","zoe"],)"
            R"("created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z",)"
            R"("created_by":"root","updated_by":"root","version":1})");
}

TEST(GroupRecord, NoMembersIsAnEmptyArray) {
  EXPECT_EQ(group_record(model::Group{})["members"].dump(), "[]");
}

TEST(TableColumns, UsersAndGroups) {
  EXPECT_EQ(user_table_columns(),
            (std::vector<std::string>{"username", "uid", "name", "email", "groups", "disabled"}));
  EXPECT_EQ(group_table_columns(), (std::vector<std::string>{"name", "gid", "description", "members"}));
}

}  // namespace
}  // namespace usersctl::output
