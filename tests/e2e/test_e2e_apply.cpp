// apply FILE [--dry-run] [--prune]: make the database match a desired-state file (issue 7).

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

class ApplyTest : public E2eTest {
 protected:
  std::size_t event_count() const { return parse_jsonl(cli({"events", "list"}).out).size(); }

  // alice changes name and groups, bob is as desired, carol is new; dave is not in the file.
  std::string arrange() {
    add_group("staff");
    add_group("ops");
    add_user("alice", {"--name", "Old", "--group", "ops", "--email", "alice@example.org"});
    add_user("bob", {"--name", "Bob"});
    add_user("dave");
    return temp_file("desired.jsonl",
                     "{\"username\":\"alice\",\"name\":\"Alice\",\"groups\":[\"staff\"]}\n"
                     "{\"username\":\"bob\",\"name\":\"Bob\"}\n"
                     "{\"username\":\"carol\",\"attrs\":{\"team\":\"ops\"}}\n");
  }
};
USERSCTL_E2E_INSTANTIATE(ApplyTest);

TEST_P(ApplyTest, CreatesAndUpdatesOnlyWhatDiffersThenIsIdempotent) {
  const std::string file = arrange();
  const std::size_t events_before = event_count();
  const RunResult r = cli({"apply", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  json alice = show_user("alice");
  EXPECT_EQ(alice["name"], "Alice");
  EXPECT_EQ(alice["groups"], json::array({"staff"}));
  EXPECT_EQ(alice["email"], "alice@example.org") << "fields the file leaves out stay";
  EXPECT_EQ(show_user("bob")["version"], 1) << "bob already matched";
  EXPECT_EQ(show_user("carol")["attrs"]["team"], "ops");
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "bob", "carol", "dave"})) << "no --prune";
  auto events = parse_jsonl(cli({"events", "list"}).out);
  ASSERT_EQ(events.size(), events_before + 2);
  EXPECT_EQ(events[events_before]["type"], "user.updated");
  EXPECT_EQ(events[events_before]["data"]["changes"], json::array({"name", "groups"}));
  EXPECT_EQ(events[events_before + 1]["type"], "user.created");

  const RunResult again = cli({"apply", file});
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again;
  EXPECT_EQ(event_count(), events_before + 2) << "a second apply emits nothing";
}

TEST_P(ApplyTest, PruneDeletesUsersTheFileLacks) {
  const std::string file = arrange();
  const RunResult r = cli({"apply", "--prune", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"alice", "bob", "carol"}));
  auto events = parse_jsonl(cli({"events", "list", "--type", "user.deleted"}).out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["user"]["username"], "dave");
  const std::size_t count = event_count();
  ASSERT_EQ(cli({"apply", "--prune", file}).exit_code, 0);
  EXPECT_EQ(event_count(), count);
}

// apply --prune deletes as `delete` does: to the recycle bin (restorable, uid still reserved),
// or for good when recycle_days is 0.
TEST_P(ApplyTest, PruneMovesUsersToTheRecycleBinLikeDelete) {
  const std::string file = arrange();
  ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "ops", "dave"})));
  const json dave = show_user("dave");
  ASSERT_EQ(cli({"apply", "--prune", file}).exit_code, 0);
  EXPECT_TRUE(Failed(cli({"show", "dave"}), 3, "dave"));
  auto binned = parse_jsonl(cli({"list", "--deleted"}).out);
  ASSERT_EQ(binned.size(), 1u);
  EXPECT_EQ(binned[0]["username"], "dave");
  EXPECT_EQ(binned[0]["deleted_by"], "tester");
  EXPECT_TRUE(Failed(cli({"add", "erin", "--uid", std::to_string(dave["uid"].get<std::int64_t>())}), 4));
  ASSERT_TRUE(MutationSucceeded(cli({"restore", "dave"})));
  json back = show_user("dave");
  EXPECT_EQ(back["uid"], dave["uid"]);
  EXPECT_EQ(back["groups"], json::array({"ops"}));
  // history follows it through the apply's delete and the restore
  const auto history = parse_jsonl(cli({"history", "dave"}).out);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[0]["type"], "user.restored");
  EXPECT_EQ(history[1]["type"], "user.deleted");

  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "recycle_days", "0"})));
  ASSERT_EQ(cli({"apply", "--prune", file}).exit_code, 0);
  EXPECT_TRUE(Failed(cli({"show", "dave"}), 3, "dave"));
  EXPECT_TRUE(parse_jsonl(cli({"list", "--deleted"}).out).empty()) << "recycle_days 0: final";
  EXPECT_EQ(parse_jsonl(cli({"history", "dave"}).out)[0]["type"], "user.deleted");
}

TEST_P(ApplyTest, DryRunPrintsThePlanAsJsonlWhenPipedAndChangesNothing) {
  const std::string file = arrange();
  const std::string before = cli({"export"}).out;
  const std::size_t events_before = event_count();
  const RunResult r = cli({"apply", "--dry-run", "--prune", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto plan = parse_jsonl(r.out);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0]["action"], "update");
  EXPECT_EQ(plan[0]["changes"], json::array({"name", "groups"}));
  EXPECT_EQ(plan[1]["action"], "create");
  EXPECT_EQ(plan[1]["name"], "carol");
  EXPECT_EQ(plan[2]["action"], "delete");
  EXPECT_EQ(plan[2]["name"], "dave");
  EXPECT_EQ(cli({"export"}).out, before);
  EXPECT_EQ(event_count(), events_before);
}

TEST_P(ApplyTest, DryRunOnATerminalIsAReadableDiff) {
  const std::string file = arrange();
  const RunResult r = cli_on_terminal({"apply", "--dry-run", "--prune", file});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("~ user alice"), std::string::npos) << r;
  EXPECT_NE(r.out.find("name: \"Old\" -> \"Alice\""), std::string::npos) << r;
  EXPECT_NE(r.out.find("+ user carol"), std::string::npos) << r;
  EXPECT_NE(r.out.find("- user dave"), std::string::npos) << r;
}

TEST_P(ApplyTest, CsvDesiredStateWorksToo) {
  add_user("alice", {"--name", "Old"});
  const std::string file =
      temp_file("desired.csv", "username,name,disabled\nalice,New,true\nbob,Bob,false\n");
  ASSERT_EQ(cli({"apply", file}).exit_code, 0);
  EXPECT_EQ(show_user("alice")["name"], "New");
  EXPECT_EQ(show_user("alice")["disabled"], true);
  EXPECT_EQ(show_user("bob")["name"], "Bob");
}

TEST_P(ApplyTest, ADuplicateOrBadLineChangesNothing) {
  const std::string file = arrange();
  const std::string before = cli({"export"}).out;
  const std::string dup = temp_file("dup.jsonl", "{\"username\":\"carol\"}\n{\"username\":\"carol\"}\n");
  EXPECT_TRUE(Failed(cli({"apply", "--prune", dup}), 5, "line 2"));
  const std::string unknown =
      temp_file("unknown.jsonl", "{\"username\":\"carol\",\"groups\":[\"nosuch\"]}\n");
  EXPECT_TRUE(Failed(cli({"apply", unknown}), 5, "group 'nosuch' does not exist"));
  EXPECT_EQ(cli({"export"}).out, before);
}

}  // namespace
}  // namespace usersctl::e2e
