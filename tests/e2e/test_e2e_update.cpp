// usersctl update: field changes, version and updated_* bookkeeping, --if-version, --rename.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class UpdateTest : public E2eTest {
 protected:
  // Timestamps have millisecond resolution; make sure an update lands in a later millisecond.
  static void tick() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }
};
USERSCTL_E2E_INSTANTIATE(UpdateTest);

TEST_P(UpdateTest, ChangesFieldsAndBookkeeping) {
  add_user("alice", {"--email", "alice@example.com", "--name", "Alice"});
  json before = show_user("alice");
  tick();
  const RunResult r =
      cli({"update", "alice", "--email", "alice@new.example", "--name", "Alice Liddell", "--actor", "admin"});
  ASSERT_TRUE(MutationSucceeded(r));
  EXPECT_NE(r.err.find("alice"), std::string::npos) << r.err;

  json after = show_user("alice");
  EXPECT_EQ(after["email"], "alice@new.example");
  EXPECT_EQ(after["name"], "Alice Liddell");
  EXPECT_EQ(after["version"], 2);
  EXPECT_EQ(after["updated_by"], "admin");
  EXPECT_EQ(after["created_by"], "tester");
  EXPECT_EQ(after["created_at"], before["created_at"]);
  EXPECT_EQ(after["uid"], before["uid"]);
  ASSERT_TRUE(after["updated_at"].is_string());
  EXPECT_TRUE(is_rfc3339_utc(after["updated_at"].get<std::string>()));
  EXPECT_GT(after["updated_at"].get<std::string>(), before["updated_at"].get<std::string>());
}

TEST_P(UpdateTest, EveryRealChangeIncrementsVersionByOne) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--name", "A"})));
  EXPECT_EQ(show_user("alice")["version"], 2);
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--attr", "k=v"})));
  EXPECT_EQ(show_user("alice")["version"], 3);
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--disable"})));
  EXPECT_EQ(show_user("alice")["version"], 4);
}

TEST_P(UpdateTest, SettingCurrentValuesChangesNothing) {
  add_user("alice", {"--email", "alice@example.com", "--name", "Alice", "--attr", "k=v"});
  json before = show_user("alice");
  tick();
  const RunResult r = cli({"update", "alice", "--email", "alice@example.com", "--name", "Alice", "--attr",
                           "k=v", "--enable", "--actor", "someone_else"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(show_user("alice"), before);
}

TEST_P(UpdateTest, NoOptionsIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice"}), 2));
  EXPECT_EQ(show_user("alice")["version"], 1);
}

TEST_P(UpdateTest, UnknownUserIsNotFound) {
  EXPECT_TRUE(Failed(cli({"update", "ghost", "--name", "Ghost"}), 3, "ghost"));
}

TEST_P(UpdateTest, IfVersionMatchingApplies) {
  add_user("alice");
  EXPECT_TRUE(MutationSucceeded(cli({"update", "alice", "--name", "A", "--if-version", "1"})));
  json user = show_user("alice");
  EXPECT_EQ(user["name"], "A");
  EXPECT_EQ(user["version"], 2);
}

TEST_P(UpdateTest, StaleIfVersionConflictsAndChangesNothing) {
  add_user("alice", {"--name", "A"});
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--name", "B"})));
  json before = show_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--name", "C", "--if-version", "1"}), 4));
  EXPECT_EQ(show_user("alice"), before);
}

TEST_P(UpdateTest, RenameKeepsEverythingElse) {
  add_group("devs");
  add_user("alice", {"--uid", "1234", "--email", "alice@example.com", "--attr", "k=v", "--group", "devs"});
  json before = show_user("alice");
  tick();
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--rename", "alicia"})));
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3));
  json after = show_user("alicia");
  EXPECT_EQ(after["username"], "alicia");
  for (const char* key :
       {"uid", "email", "attrs", "groups", "created_at", "created_by", "disabled", "name"}) {
    EXPECT_EQ(after[key], before[key]) << key;
  }
  EXPECT_EQ(after["groups"], json::array({"devs"}));
  EXPECT_EQ(after["version"], 2);
  EXPECT_EQ(show_group("devs")["members"], json::array({"alicia"}));
}

TEST_P(UpdateTest, RenameToAnExistingNameConflicts) {
  add_user("alice");
  add_user("bob");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--rename", "bob"}), 4, "bob"));
  EXPECT_EQ(show_user("alice")["version"], 1);
  EXPECT_EQ(show_user("bob")["uid"], 1001);
}

TEST_P(UpdateTest, RenameToAnInvalidNameIsInvalid) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--rename", "Alice"}), 5));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--rename", "new\nline"}), 5));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"alice"});
}

TEST_P(UpdateTest, AttributesSetReplaceAndUnset) {
  add_user("alice", {"--attr", "a=1", "--attr", "b=2"});
  ASSERT_TRUE(
      MutationSucceeded(cli({"update", "alice", "--attr", "a=10", "--attr", "c=3", "--unset-attr", "b"})));
  json user = show_user("alice");
  EXPECT_EQ(user["attrs"], (json{{"a", "10"}, {"c", "3"}}));
  EXPECT_EQ(user["version"], 2);
}

TEST_P(UpdateTest, DisableAndEnable) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--disable"})));
  EXPECT_EQ(show_user("alice")["disabled"], true);
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--enable"})));
  EXPECT_EQ(show_user("alice")["disabled"], false);
  EXPECT_EQ(show_user("alice")["version"], 3);
}

TEST_P(UpdateTest, DisableAndEnableTogetherIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--disable", "--enable"}), 2));
  EXPECT_EQ(show_user("alice")["version"], 1);
}

TEST_P(UpdateTest, EmptyEmailClearsIt) {
  add_user("alice", {"--email", "alice@example.com"});
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--email", ""})));
  json user = show_user("alice");
  EXPECT_TRUE(user["email"].is_null()) << user.dump();
  EXPECT_EQ(user["version"], 2);
  // The address is free again.
  EXPECT_TRUE(MutationSucceeded(cli({"add", "bob", "--email", "alice@example.com"})));
}

TEST_P(UpdateTest, EmailTakenByAnotherUserInOtherCaseConflicts) {
  add_user("alice", {"--email", "alice@example.com"});
  add_user("bob", {"--email", "bob@example.com"});
  EXPECT_TRUE(Failed(cli({"update", "bob", "--email", "ALICE@example.com"}), 4));
  EXPECT_EQ(show_user("bob")["email"], "bob@example.com");
}

TEST_P(UpdateTest, ChangingTheCaseOfOwnEmailIsNotAConflict) {
  add_user("alice", {"--email", "alice@example.com"});
  EXPECT_TRUE(MutationSucceeded(cli({"update", "alice", "--email", "Alice@Example.com"})));
}

TEST_P(UpdateTest, InvalidValuesAreRejectedAndChangeNothing) {
  add_user("alice", {"--name", "Alice"});
  EXPECT_TRUE(Failed(cli({"update", "alice", "--name", "Smith: Alice"}), 5));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--name", "A\x1b[31m"}), 5));
  EXPECT_TRUE(Failed(cli({"update", "alice", "--email", "nope"}), 5));
  // One bad value among good ones: nothing is applied.
  EXPECT_TRUE(Failed(cli({"update", "alice", "--name", "Good", "--email", "nope"}), 5));
  json user = show_user("alice");
  EXPECT_EQ(user["name"], "Alice");
  EXPECT_EQ(user["version"], 1);
}

TEST_P(UpdateTest, PasswordOnTheCommandLineIsUsageError) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"update", "alice", "--password", "foo"}), 2));
  EXPECT_EQ(show_user("alice")["version"], 1);
}

}  // namespace
}  // namespace usersctl::e2e
