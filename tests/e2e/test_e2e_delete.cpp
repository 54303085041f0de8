// usersctl delete: one or several users, all-or-nothing, --if-exists.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class DeleteTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(DeleteTest);

TEST_P(DeleteTest, DeletesOneUser) {
  add_user("alice");
  add_user("bob");
  const RunResult r = cli({"delete", "alice"});
  ASSERT_TRUE(MutationSucceeded(r));
  EXPECT_NE(r.err.find("alice"), std::string::npos) << r.err;
  EXPECT_TRUE(Failed(cli({"show", "alice"}), 3, "alice"));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"bob"});
}

TEST_P(DeleteTest, DeletesSeveralUsers) {
  for (const char* name : {"a", "b", "c", "d"}) add_user(name);
  const RunResult r = cli({"delete", "a", "b", "c"});
  EXPECT_TRUE(MutationSucceeded(r, 3));
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"d"});
}

TEST_P(DeleteTest, QuietDeletePrintsNothing) {
  add_user("alice");
  EXPECT_TRUE(QuietlySucceeded(cli({"delete", "-q", "alice"})));
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(DeleteTest, OneMissingUserDeletesNone) {
  add_user("a");
  add_user("b");
  EXPECT_TRUE(Failed(cli({"delete", "a", "ghost", "b"}), 3, "ghost"));
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"a", "b"}));
}

TEST_P(DeleteTest, IfExistsSkipsMissingUsers) {
  add_user("a");
  add_user("b");
  const RunResult r = cli({"delete", "a", "ghost", "--if-exists"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(list_usernames(), std::vector<std::string>{"b"});
}

TEST_P(DeleteTest, IfExistsWithOnlyMissingUsersSucceeds) {
  const RunResult r = cli({"delete", "ghost", "--if-exists"});
  EXPECT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "");
}

TEST_P(DeleteTest, DeletingTwiceIsNotFound) {
  add_user("alice");
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "alice"})));
  EXPECT_TRUE(Failed(cli({"delete", "alice"}), 3, "alice"));
}

TEST_P(DeleteTest, NoUserIsUsageError) { EXPECT_TRUE(Failed(cli({"delete"}), 2)); }

TEST_P(DeleteTest, NameCanBeReusedWithAFreshRecord) {
  add_user("alice", {"--email", "alice@example.com", "--attr", "k=v"});
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "alice"})));
  add_user("alice");
  json user = show_user("alice");
  EXPECT_EQ(user["version"], 1);
  EXPECT_TRUE(user["email"].is_null());
  EXPECT_EQ(user["attrs"], json::object());
}

}  // namespace
}  // namespace usersctl::e2e
