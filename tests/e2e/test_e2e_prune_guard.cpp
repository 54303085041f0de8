// apply --prune guards (issue 15): an empty input refuses unless --allow-empty; more deletions
// than --max-deletes (default 10% of the users, at least 10) refuse; a refusal changes nothing.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class PruneGuardTest : public E2eTest {
 protected:
  // Every record and every event: equal before and after means nothing changed.
  std::string state() const {
    return cli({"export"}).out + "\n" + cli({"events", "list", "--limit", "1000"}).out;
  }

  void add_users(int count) {
    std::string lines;
    for (int i = 0; i < count; ++i) lines += "{\"username\":\"u" + std::to_string(100 + i) + "\"}\n";
    ASSERT_EQ(cli({"import", "-q", temp_file("seed.jsonl", lines)}).exit_code, 0);
  }

  // A desired-state file listing users u100 … u(100+keep-1).
  std::string keeping(int keep) const {
    std::string lines;
    for (int i = 0; i < keep; ++i) lines += "{\"username\":\"u" + std::to_string(100 + i) + "\"}\n";
    return temp_file("keep" + std::to_string(keep) + ".jsonl", lines);
  }
};
USERSCTL_E2E_INSTANTIATE(PruneGuardTest);

TEST_P(PruneGuardTest, EmptyStdinWithPruneRefusesAndChangesNothing) {
  add_users(15);
  const std::string before = state();
  const RunResult r = cli({"apply", "--prune", "-"}, "");
  EXPECT_TRUE(Failed(r, 5, "the input has no users: apply --prune would delete all 15 users"));
  EXPECT_NE(r.err.find("--allow-empty"), std::string::npos) << r;
  EXPECT_EQ(state(), before);
  EXPECT_EQ(list_usernames().size(), 15u);
}

TEST_P(PruneGuardTest, EmptyFileRefusesInADryRunToo) {
  add_users(3);
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"apply", "--prune", "--dry-run", temp_file("empty.jsonl", "")}), 5, "no users"));
  EXPECT_EQ(state(), before);
}

TEST_P(PruneGuardTest, AllowEmptyDeletesWithinTheLimit) {
  add_users(4);
  const RunResult r = cli({"apply", "--prune", "--allow-empty", "-"}, "");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("4 deleted"), std::string::npos) << r;
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(PruneGuardTest, AllowEmptyStillHonoursTheDeletionLimit) {
  add_users(15);
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"apply", "--prune", "--allow-empty", "-"}, ""), 5, "more than the limit of 10"));
  EXPECT_EQ(state(), before);
  const RunResult r = cli({"apply", "--prune", "--allow-empty", "--max-deletes", "15", "-"}, "");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(list_usernames().empty());
}

TEST_P(PruneGuardTest, MoreThanTheDefaultLimitRefusesSayingHowManyAndTheLimit) {
  add_users(15);
  const std::string before = state();
  const RunResult r = cli({"apply", "--prune", keeping(4)});  // would delete 11 > 10
  EXPECT_TRUE(Failed(r, 5,
                     "apply --prune would delete 11 users (u104, u105, u106, u107, u108, …), "
                     "more than the limit of 10; nothing was changed"));
  EXPECT_NE(r.err.find("--max-deletes 11"), std::string::npos) << r;
  EXPECT_EQ(state(), before);
}

TEST_P(PruneGuardTest, UpToTheLimitDeletes) {
  add_users(15);
  const RunResult r = cli({"apply", "--prune", keeping(5)});  // deletes exactly 10
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.err.find("10 deleted"), std::string::npos) << r;
  EXPECT_EQ(list_usernames().size(), 5u);
}

TEST_P(PruneGuardTest, DefaultLimitIsTenPercentOfTheUsers) {
  add_users(150);  // limit 15
  const std::string before = state();
  EXPECT_TRUE(Failed(cli({"apply", "--prune", keeping(134)}), 5, "delete 16 users"));
  EXPECT_EQ(state(), before);
  const RunResult r = cli({"apply", "--prune", keeping(135)});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.err.find("15 deleted"), std::string::npos) << r;
}

TEST_P(PruneGuardTest, ALowerLimitRefusesAndAHigherOneAllows) {
  add_users(6);
  const std::string before = state();
  EXPECT_TRUE(
      Failed(cli({"apply", "--prune", "--max-deletes", "1", keeping(4)}), 5, "more than the limit of 1"));
  EXPECT_TRUE(Failed(cli({"apply", "--prune", "--max-deletes", "0", keeping(5)}), 5, "limit of 0"));
  EXPECT_EQ(state(), before);
  EXPECT_EQ(cli({"apply", "--prune", "--max-deletes", "2", keeping(4)}).exit_code, 0);
  EXPECT_EQ(list_usernames().size(), 4u);
}

TEST_P(PruneGuardTest, RefusalAlsoUndoesTheCreatesAndUpdatesOfTheSameRun) {
  add_users(15);
  const std::string before = state();
  const std::string file = temp_file("mixed.jsonl",
                                     "{\"username\":\"u100\",\"name\":\"Changed\"}\n"
                                     "{\"username\":\"newcomer\"}\n");
  EXPECT_TRUE(Failed(cli({"apply", "--prune", file}), 5, "would delete 14 users"));
  EXPECT_EQ(state(), before);
}

TEST_P(PruneGuardTest, GuardOptionsNeedPrune) {
  EXPECT_TRUE(Failed(cli({"apply", "--allow-empty", "-"}, ""), 2, "--prune"));
  EXPECT_TRUE(Failed(cli({"apply", "--max-deletes", "3", "-"}, ""), 2, "--prune"));
}

}  // namespace
}  // namespace usersctl::e2e
