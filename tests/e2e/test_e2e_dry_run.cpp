// --dry-run on add, update, delete and every group mutation (issue 15): the plan on stdout (JSON
// Lines when piped, a diff on a terminal), a summary on stderr, no change and no event.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class DryRunTest : public E2eTest {
 protected:
  std::string state() const {
    return cli({"export"}).out + "\n" + cli({"group", "list", "-o", "jsonl"}).out + "\n" +
           cli({"events", "list", "--limit", "1000"}).out;
  }
  void arrange() {
    add_group("ops");
    add_group("dev");
    add_user("alice", {"--group", "ops", "--name", "Alice"});
    add_user("bob", {"--group", "ops"});
    add_user("carol");
  }
  // Runs `args` with --dry-run and checks the contract; returns the plan's lines.
  std::vector<json> dry_run(std::vector<std::string> args) {
    const std::string before = state();
    args.push_back("--dry-run");
    const RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_NE(r.err.find("dry run: "), std::string::npos) << r;
    EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r;
    EXPECT_EQ(state(), before) << "a dry run changed something";
    return parse_jsonl(r.out);
  }
};
USERSCTL_E2E_INSTANTIATE(DryRunTest);

TEST_P(DryRunTest, AddPrintsTheRecordItWouldCreate) {
  arrange();
  auto plan = dry_run({"add", "dave", "--email", "dave@example.org", "--group", "dev"});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0]["action"], "create");
  EXPECT_EQ(plan[0]["kind"], "user");
  EXPECT_EQ(plan[0]["name"], "dave");
  EXPECT_EQ(plan[0]["record"]["email"], "dave@example.org");
  EXPECT_EQ(plan[0]["record"]["groups"], json::array({"dev"}));
  EXPECT_TRUE(Failed(cli({"show", "dave"}), 3));
}

TEST_P(DryRunTest, AddStillRefusesWhatTheRealRunWould) {
  arrange();
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"add", "alice", "--dry-run"}), 4, "alice"));
  EXPECT_TRUE(Failed(cli({"add", "eve", "--group", "ghost", "--dry-run"}), 3, "ghost"));
  EXPECT_EQ(state(), before);
}

TEST_P(DryRunTest, AddIfNotExistsOfAnExistingUserPlansNothing) {
  arrange();
  EXPECT_TRUE(dry_run({"add", "alice", "--if-not-exists"}).empty());
}

TEST_P(DryRunTest, UpdateShowsBeforeAndAfter) {
  arrange();
  auto plan = dry_run({"update", "alice", "--name", "Alice L", "--shell", "/bin/zsh"});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0]["action"], "update");
  EXPECT_EQ(plan[0]["name"], "alice");
  EXPECT_EQ(plan[0]["before"]["name"], "Alice");
  EXPECT_EQ(plan[0]["after"]["name"], "Alice L");
  EXPECT_EQ(plan[0]["after"]["shell"], "/bin/zsh");
  EXPECT_EQ(show_user("alice")["name"], "Alice");
}

TEST_P(DryRunTest, DeletePlansEveryUser) {
  arrange();
  auto plan = dry_run({"delete", "alice", "bob"});
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0]["action"], "delete");
  EXPECT_EQ(plan[0]["name"], "alice");
  EXPECT_EQ(plan[1]["name"], "bob");
  EXPECT_EQ(list_usernames().size(), 3u);
}

TEST_P(DryRunTest, DeleteOfAMissingUserFailsAsTheRealRunWould) {
  arrange();
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"delete", "alice", "ghost", "--dry-run"}), 3, "ghost"));
  EXPECT_EQ(state(), before);
}

TEST_P(DryRunTest, EveryGroupMutation) {
  arrange();
  auto created = dry_run({"group", "create", "qa", "--gid", "4242"});
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]["action"], "create");
  EXPECT_EQ(created[0]["kind"], "group");
  EXPECT_EQ(created[0]["record"]["gid"], 4242);

  auto deleted = dry_run({"group", "delete", "ops", "--force"});
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0]["action"], "delete");
  EXPECT_EQ(deleted[0]["name"], "ops");
  EXPECT_EQ(deleted[0]["record"]["members"], json::array({"alice", "bob"}));

  auto renamed = dry_run({"group", "rename", "dev", "developers"});
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(renamed[0]["action"], "update");
  EXPECT_EQ(renamed[0]["name"], "developers");

  auto added = dry_run({"group", "add", "dev", "alice", "carol"});
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0]["action"], "add_member");
  EXPECT_EQ(added[0]["member"], "alice");
  EXPECT_EQ(added[1]["member"], "carol");

  auto removed = dry_run({"group", "remove", "ops", "bob"});
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0]["action"], "remove_member");
  EXPECT_EQ(removed[0]["member"], "bob");

  auto set = dry_run({"group", "set", "ops", "carol"});
  ASSERT_EQ(set.size(), 3u) << "alice and bob leave, carol joins";
  EXPECT_EQ(show_group("ops")["members"], json::array({"alice", "bob"}));
}

TEST_P(DryRunTest, GroupDeleteWithoutForceStillRefuses) {
  arrange();
  EXPECT_TRUE(Failed(cli({"group", "delete", "ops", "--dry-run"}), 4, "member"));
}

TEST_P(DryRunTest, QuietDryRunPrintsOnlyThePlan) {
  arrange();
  const RunResult r = cli({"-q", "delete", "carol", "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(parse_jsonl(r.out).size(), 1u);
}

TEST_P(DryRunTest, EventsFlagPrintsNoEvents) {
  arrange();
  const RunResult r = cli({"--events", "add", "dave", "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r;
  auto lines = parse_jsonl(r.out);
  ASSERT_EQ(lines.size(), 1u) << "the plan only, no event";
  EXPECT_EQ(lines[0]["action"], "create");
}

TEST_P(DryRunTest, OnATerminalThePlanIsADiff) {
  arrange();
  const std::string before = state();
  const RunResult r = cli_on_terminal({"delete", "alice", "bob", "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("- user alice"), std::string::npos) << r;
  EXPECT_NE(r.out.find("- user bob"), std::string::npos) << r;
  const RunResult update = cli_on_terminal({"update", "alice", "--name", "Al", "--dry-run"});
  EXPECT_NE(update.out.find("~ user alice"), std::string::npos) << update;
  EXPECT_NE(update.out.find("name: \"Alice\" -> \"Al\""), std::string::npos) << update;
  EXPECT_EQ(state(), before);
}

}  // namespace
}  // namespace usersctl::e2e
