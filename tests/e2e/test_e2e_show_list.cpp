// usersctl show and list: lookups, filters, sorting and paging.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class ShowListTest : public E2eTest {
 protected:
  // alice 1000 ops enabled, bob 1001 dev disabled, carol 1002 ops disabled, dave 1003 (no attrs) enabled
  void add_sample_users() {
    add_user("carol", {"--uid", "1002", "--name", "Carol", "--email", "carol@example.com", "--attr",
                       "team=ops", "--disabled"});
    add_user("alice",
             {"--uid", "1000", "--name", "Alice", "--email", "alice@example.com", "--attr", "team=ops"});
    add_user("dave", {"--uid", "1003", "--name", "Dave"});
    add_user("bob", {"--uid", "1001", "--name", "Bob", "--email", "bob@example.com", "--attr", "team=dev",
                     "--disabled"});
  }
  using Names = std::vector<std::string>;
};
USERSCTL_E2E_INSTANTIATE(ShowListTest);

TEST_P(ShowListTest, ShowUnknownUserIsNotFound) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"show", "ghost"}), 3, "ghost"));
}

TEST_P(ShowListTest, ShowWithoutUserIsUsageError) { EXPECT_TRUE(Failed(cli({"show"}), 2)); }

TEST_P(ShowListTest, ShowPipedIsOnePrettyJsonObject) {
  add_user("alice", {"--name", "Alice"});
  const RunResult r = cli({"show", "alice"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  json user = parse_json(r.out);
  ASSERT_TRUE(user.is_object());
  EXPECT_EQ(user["username"], "alice");
  // Pretty: one key a line, indented.
  EXPECT_GT(split_lines(r.out).size(), 10u) << r.out;
  EXPECT_NE(r.out.find("\n  \"username\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.back(), '\n');
}

TEST_P(ShowListTest, EmptyListPrintsNothing) {
  add_group("devs");  // a database without users (a read never creates one)
  const RunResult r = cli({"list"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
}

TEST_P(ShowListTest, ListPipedIsJsonlSortedByUsername) {
  add_sample_users();
  const RunResult r = cli({"list"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.err, "");
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  auto users = parse_jsonl(r.out);
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[0]["username"], "alice");
  EXPECT_EQ(users[1]["username"], "bob");
  EXPECT_EQ(users[2]["username"], "carol");
  EXPECT_EQ(users[3]["username"], "dave");
  EXPECT_EQ(users[1]["uid"], 1001);
  EXPECT_EQ(users[1]["attrs"], (json{{"team", "dev"}}));
  EXPECT_EQ(users[1]["disabled"], true);
  json shown = show_user("alice");
  shown.erase("password");  // show alone has the password state
  EXPECT_EQ(users[0], shown);
}

TEST_P(ShowListTest, WhereFiltersOnEachField) {
  add_sample_users();
  EXPECT_EQ(list_usernames({"--where", "username=bob"}), Names{"bob"});
  EXPECT_EQ(list_usernames({"--where", "uid=1002"}), Names{"carol"});
  EXPECT_EQ(list_usernames({"--where", "name=Dave"}), Names{"dave"});
  EXPECT_EQ(list_usernames({"--where", "email=alice@example.com"}), Names{"alice"});
  EXPECT_EQ(list_usernames({"--where", "disabled=true"}), (Names{"bob", "carol"}));
  EXPECT_EQ(list_usernames({"--where", "disabled=false"}), (Names{"alice", "dave"}));
  EXPECT_EQ(list_usernames({"--where", "attrs.team=ops"}), (Names{"alice", "carol"}));
  EXPECT_EQ(list_usernames({"--where", "attrs.team=nobody"}), Names{});
}

TEST_P(ShowListTest, SeveralWheresAreAnded) {
  add_sample_users();
  EXPECT_EQ(list_usernames({"--where", "attrs.team=ops", "--where", "disabled=false"}), Names{"alice"});
  EXPECT_EQ(list_usernames({"--where", "attrs.team=dev", "--where", "uid=1000"}), Names{});
}

TEST_P(ShowListTest, WhereWithoutEqualsOrWithUnknownFieldFails) {
  add_sample_users();
  // One rule for every bad filter: a usage error (exit 2).
  EXPECT_TRUE(Failed(cli({"list", "--where", "username"}), 2, "expected KEY=VALUE"));
  EXPECT_TRUE(Failed(cli({"list", "--where", "shoe_size=42"}), 2, "shoe_size"));
}

TEST_P(ShowListTest, EnabledAndDisabledFilters) {
  add_sample_users();
  EXPECT_EQ(list_usernames({"--enabled"}), (Names{"alice", "dave"}));
  EXPECT_EQ(list_usernames({"--disabled"}), (Names{"bob", "carol"}));
}

TEST_P(ShowListTest, EnabledWithDisabledIsUsageError) {
  add_sample_users();
  EXPECT_TRUE(Failed(cli({"list", "--enabled", "--disabled"}), 2));
}

TEST_P(ShowListTest, SortByFieldsAndDescending) {
  add_sample_users();
  EXPECT_EQ(list_usernames({"--sort", "username:desc"}), (Names{"dave", "carol", "bob", "alice"}));
  EXPECT_EQ(list_usernames({"--sort", "uid"}), (Names{"alice", "bob", "carol", "dave"}));
  EXPECT_EQ(list_usernames({"--sort", "uid:desc"}), (Names{"dave", "carol", "bob", "alice"}));
  EXPECT_EQ(list_usernames({"--sort", "name:desc"}), (Names{"dave", "carol", "bob", "alice"}));
  // dave has no email; whatever side nulls sort to, the others keep their order.
  const Names by_email = list_usernames({"--sort", "email"});
  ASSERT_EQ(by_email.size(), 4u);
  Names with_email;
  for (const auto& name : by_email) {
    if (name != "dave") with_email.push_back(name);
  }
  EXPECT_EQ(with_email, (Names{"alice", "bob", "carol"}));
  // Creation order: carol, alice, dave, bob.
  EXPECT_EQ(list_usernames({"--sort", "created_at"}), (Names{"carol", "alice", "dave", "bob"}));
  EXPECT_EQ(list_usernames({"--sort", "created_at:desc"}), (Names{"bob", "dave", "alice", "carol"}));
}

TEST_P(ShowListTest, SortByUpdatedAt) {
  add_sample_users();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--name", "Alice 2"})));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(MutationSucceeded(cli({"update", "carol", "--name", "Carol 2"})));
  const Names names = list_usernames({"--sort", "updated_at:desc"});
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0], "carol");
  EXPECT_EQ(names[1], "alice");
}

TEST_P(ShowListTest, SortByUnknownFieldFails) {
  add_sample_users();
  const RunResult r = cli({"list", "--sort", "shoe_size"});
  EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 5) << r;
  EXPECT_TRUE(Failed(r, r.exit_code));
}

TEST_P(ShowListTest, LimitAndOffset) {
  add_sample_users();
  EXPECT_EQ(list_usernames({"--limit", "2"}), (Names{"alice", "bob"}));
  EXPECT_EQ(list_usernames({"--offset", "1"}), (Names{"bob", "carol", "dave"}));
  EXPECT_EQ(list_usernames({"--limit", "2", "--offset", "1"}), (Names{"bob", "carol"}));
  EXPECT_EQ(list_usernames({"--limit", "2", "--offset", "3"}), Names{"dave"});
  EXPECT_EQ(list_usernames({"--offset", "10"}), Names{});
  EXPECT_EQ(list_usernames({"--sort", "uid:desc", "--limit", "1"}), Names{"dave"});
  EXPECT_EQ(list_usernames({"--disabled", "--limit", "1", "--offset", "1"}), Names{"carol"});
}

TEST_P(ShowListTest, NonNumericLimitIsUsageError) {
  add_sample_users();
  EXPECT_TRUE(Failed(cli({"list", "--limit", "many"}), 2));
}

TEST_P(ShowListTest, NegativeLimitFails) {
  add_sample_users();
  const RunResult r = cli({"list", "--limit=-1"});
  EXPECT_TRUE(r.exit_code == 2 || r.exit_code == 5) << r;
  EXPECT_TRUE(Failed(r, r.exit_code));
}

TEST_P(ShowListTest, FilteredEmptyResultPrintsNothing) {
  add_sample_users();
  const RunResult r = cli({"list", "--where", "username=nobody"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace usersctl::e2e
