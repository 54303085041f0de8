// The COPY path of a PostgreSQL import (issue 16): a load of at least 64 rows goes to the server
// by COPY (users, memberships, events), under a savepoint that is checked only when the server
// refuses a row. It must leave what the INSERT path leaves (forced here for every size with the
// hidden USERSCTL_PG_COPY_ROWS): the same rows, the same events byte for byte but their ids and
// times, and the same problems with their line numbers, nothing written.

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"

namespace usersctl::e2e {
namespace {

constexpr int kUsers = 300;  // one batch of the loader, well above the COPY threshold
const Environment kInsertPath{{"USERSCTL_PG_COPY_ROWS", "1000000"}};

std::vector<std::string> postgresql_backend() {
  std::vector<std::string> backends;
  for (const auto& backend : e2e_backends()) {
    if (backend == "postgresql") backends.push_back(backend);
  }
  return backends;
}

// Users with attributes, a group, a missing email, text COPY must escape (a backslash in a name
// and in an attribute) and non-ASCII names; `line_of_repeat` > 0 repeats user 1's username there.
std::string users_jsonl(int line_of_repeat = 0, const std::string& taken = {}) {
  std::string text;
  for (int i = 1; i <= kUsers; ++i) {
    const std::string name = i == line_of_repeat                 ? "user1"
                             : !taken.empty() && i == kUsers / 2 ? taken
                                                                 : "user" + std::to_string(i);
    json line = {{"username", name},
                 {"uid", 5000 + i},
                 {"name", i % 7 == 0 ? "Zoë Back\\slash" : "User " + std::to_string(i)}};
    if (i % 3 != 0) line["email"] = name + "@Example.org";
    if (i % 2 == 0) line["attrs"] = {{"location", i % 4 == 0 ? "north" : "back\\slash"}};
    if (i % 5 == 0) line["groups"] = json::array({"staff"});
    text += line.dump() + "\n";
  }
  return text;
}

class PgCopyImportTest : public E2eTest {
 protected:
  // A second database beside db_url(), for the same import by the other path.
  std::string other_url() {
    if (!other_) other_ = std::make_unique<ScratchDatabase>(std::getenv("USERSCTL_TEST_PG_URL"));
    return other_->url();
  }
  RunResult at(const std::string& url, std::vector<std::string> args, const Environment& extra = {}) const {
    args.insert(args.begin(), {"--db", url});
    return run(args, {}, extra);
  }
  // The users as listed, without the times an import sets afresh.
  std::vector<json> users_at(const std::string& url) const {
    auto users = parse_jsonl(at(url, {"list", "-o", "jsonl"}).out);
    for (auto& user : users) {
      user.erase("created_at");
      user.erase("updated_at");
    }
    return users;
  }
  // The events without what differs between any two runs: the id and the times.
  std::vector<json> events_at(const std::string& url) const {
    auto events = parse_jsonl(at(url, {"events", "list"}).out);
    for (auto& event : events) {
      event.erase("id");
      event.erase("time");
      for (const char* record : {"user", "group"}) {
        if (!event["data"].contains(record)) continue;
        event["data"][record].erase("created_at");
        event["data"][record].erase("updated_at");
      }
    }
    return events;
  }

  std::unique_ptr<ScratchDatabase> other_;
};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PgCopyImportTest);
INSTANTIATE_TEST_SUITE_P(Backends, PgCopyImportTest, ::testing::ValuesIn(postgresql_backend()),
                         backend_test_name);

TEST_P(PgCopyImportTest, CopyGivesTheUsersAndEventsOfTheInsertPath) {
  const std::string file = temp_file("users.jsonl", users_jsonl());
  const std::string copy = db_url();
  const std::string insert = other_url();
  for (const auto& [url, extra] : {std::pair{copy, Environment{}}, std::pair{insert, kInsertPath}}) {
    ASSERT_TRUE(Succeeded(at(url, {"group", "create", "staff", "--gid", "900"})));
    const RunResult r = at(url, {"import", file}, extra);
    ASSERT_EQ(r.exit_code, 0) << r;
  }
  const auto users = users_at(copy);
  ASSERT_EQ(users.size(), static_cast<std::size_t>(kUsers));
  EXPECT_EQ(users, users_at(insert));
  const json seventh = show_user("user7");
  EXPECT_EQ(seventh["name"], "Zoë Back\\slash");
  EXPECT_EQ(show_user("user2")["attrs"]["location"], "back\\slash");
  EXPECT_EQ(show_group("staff")["members"].size(), static_cast<std::size_t>(kUsers / 5));
  const auto events = events_at(copy);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kUsers + 1));
  EXPECT_EQ(events, events_at(insert));
  // The history of one user finds its event by the record id the COPY wrote.
  EXPECT_EQ(parse_jsonl(cli({"history", "user5"}).out).size(), 1u);
}

TEST_P(PgCopyImportTest, ARepeatInTheFileIsNamedByItsLineAndNothingIsWritten) {
  add_group("staff");
  for (const Environment& extra : {Environment{}, kInsertPath}) {
    const std::string file = temp_file("users.jsonl", users_jsonl(250));
    const RunResult r = at(db_url(), {"import", file}, extra);
    EXPECT_TRUE(Failed(r, 5, "line 250")) << r;
    EXPECT_NE(r.err.find("user1"), std::string::npos) << r;
    EXPECT_EQ(list_usernames(), std::vector<std::string>{});
    EXPECT_EQ(parse_jsonl(cli({"events", "list"}).out).size(), 1u);  // the group's
  }
}

TEST_P(PgCopyImportTest, AUserTheDatabaseHoldsIsNamedByItsLineAndNothingIsWritten) {
  add_group("staff");
  add_user("taken");
  for (const Environment& extra : {Environment{}, kInsertPath}) {
    const std::string file = temp_file("users.jsonl", users_jsonl(0, "taken"));
    const RunResult r = at(db_url(), {"import", file}, extra);
    EXPECT_TRUE(Failed(r, 4, "line " + std::to_string(kUsers / 2))) << r;
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r;
    EXPECT_EQ(list_usernames(), std::vector<std::string>{"taken"});
    EXPECT_EQ(parse_jsonl(cli({"events", "list"}).out).size(), 2u);  // the group's and taken's
  }
}

}  // namespace
}  // namespace usersctl::e2e
