// events prune and events_keep_days: old events go, but never one a delivery still waits for;
// health shows what is kept and history says where it was pruned. Both backends.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class EventRetentionTest : public E2eTest {
 protected:
  std::vector<std::string> sequences() {
    std::vector<std::string> out;
    for (auto& event : parse_jsonl(cli({"events", "list"}).out)) out.push_back(event["sequence"]);
    return out;
  }
};
USERSCTL_E2E_INSTANTIATE(EventRetentionTest);

TEST_P(EventRetentionTest, PruneNeverDropsAPendingDelivery) {
  add_group("early");  // 1: no hook yet
  ASSERT_TRUE(Succeeded(cli({"hook", "add", "--exec", "exit 1", "--types", "user.*"})));
  const RunResult add = cli({"add", "alice"});  // 2: its delivery fails and stays pending
  ASSERT_EQ(add.exit_code, 0) << add;
  add_group("late");    // 3: no hook wants it
  add_group("latest");  // 4: the newest, which the next sequence follows
  ASSERT_EQ(sequences(), (std::vector<std::string>{"1", "2", "3", "4"}));

  const RunResult r = cli({"events", "prune", "--before", "100"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_NE(r.err.find("pruned 2 events"), std::string::npos) << r.err;
  EXPECT_EQ(sequences(), (std::vector<std::string>{"2", "4"}));
  // The delivery still waits, and is still owed.
  json status = parse_json(cli({"health", "-o", "json"}).out);
  EXPECT_EQ(status["events_kept"], 2);
  EXPECT_EQ(status["oldest_event"], 2);
  EXPECT_EQ(status["pending_events"], 1);
  EXPECT_TRUE(is_rfc3339_utc(status["oldest_event_time"].get<std::string>()));

  // History says plainly that it stops at the prune.
  const RunResult history = cli({"history", "--group", "late"});
  ASSERT_TRUE(Succeeded(history)) << history;
  EXPECT_EQ(history.out, "");
  EXPECT_NE(history.err.find("pruned below sequence 100"), std::string::npos) << history.err;
  // Sequences go on from where they were: none is handed out twice.
  add_group("after");
  EXPECT_EQ(sequences(), (std::vector<std::string>{"2", "4", "5"}));
}

TEST_P(EventRetentionTest, PruneByTimeKeepsTheBinnedAndRefusesBadArguments) {
  add_user("bob");
  add_user("carl");
  RunResult r = cli({"events", "prune", "--before", "2000-01-01"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(sequences(), (std::vector<std::string>{"1", "2"}));
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "bob"})));  // 3
  add_user("dora");                                        // 4
  r = cli({"events", "prune", "--before", "2999-01-01T00:00:00Z"});
  ASSERT_TRUE(Succeeded(r)) << r;
  // bob is in the recycle bin: his history stays; carl's creation goes; the newest stays.
  EXPECT_EQ(sequences(), (std::vector<std::string>{"1", "3", "4"}));
  EXPECT_TRUE(Failed(cli({"events", "prune"}), 2, "--before"));
  EXPECT_TRUE(Failed(cli({"events", "prune", "--before", "soon"}), 2, "--before"));
}

TEST_P(EventRetentionTest, KeepDaysIsASettingAppliedOnWrites) {
  EXPECT_TRUE(Failed(cli({"settings", "set", "events_keep_days", "-1"}), 5, "events_keep_days"));
  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "events_keep_days", "30"})));
  EXPECT_EQ(cli({"settings", "get", "events_keep_days"}).out, "30\n");
  add_user("carol");
  // Everything is younger than 30 days: nothing goes.
  EXPECT_EQ(sequences(), (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace usersctl::e2e
