// events prune and events_keep_days: old events go, but never one a delivery still waits for;
// health shows what is kept and history says where it was pruned. Both backends.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_fixture.hpp"
#include "pg_test_database.hpp"
#include "sqlite_probe.hpp"

namespace usersctl::e2e {
namespace {

class EventRetentionTest : public E2eTest {
 protected:
  std::vector<std::string> sequences() {
    std::vector<std::string> out;
    for (auto& event : parse_jsonl(cli({"events", "list"}).out)) out.push_back(event["sequence"]);
    return out;
  }
  // SQL beside usersctl, to age events past events_keep_days.
  void exec_sql(const std::string& sql) const {
    if (backend() == "postgresql") {
      PgSession(db_url()).exec(sql);
    } else {
      query_rows(db_path(), sql);
    }
  }
  // `events consume NAME` appending its batches to a file; the sequences it handed out so far.
  std::vector<std::string> consume(const std::string& name, std::vector<std::string> extra = {}) const {
    const std::string out = (temp_dir() / (name + ".jsonl")).string();
    std::vector<std::string> args{"events", "consume", name, "--exec", "cat >> " + shell_quote(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> handed;
    for (auto& event : parse_jsonl(text.str())) handed.push_back(event["sequence"]);
    return handed;
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

// Issue 19: retention never prunes past a live consumer cursor, nor a dead letter it may requeue.
TEST_P(EventRetentionTest, PruneKeepsWhatAConsumerHasNotHadYet) {
  add_user("u1");  // 1
  add_user("u2");  // 2
  ASSERT_EQ(consume("crm"), (std::vector<std::string>{"1", "2"}));
  add_user("u3");  // 3
  add_user("u4");  // 4
  add_user("u5");  // 5
  // A third consumer set every event aside as a dead letter: they wait for --retry-dead.
  RunResult r = cli({"events", "consume", "dlq", "--exec", "cat > /dev/null; exit 1", "--max-attempts", "1",
                     "--batch", "1", "--types", "user.created"});
  ASSERT_EQ(r.exit_code, 0) << r;

  r = cli({"events", "prune", "--before", "100"});
  ASSERT_TRUE(Succeeded(r)) << r;
  // crm's cursor is at 2: 3..5 stay; dlq's dead letters hold 1 and 2.
  EXPECT_EQ(sequences(), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  ASSERT_TRUE(MutationSucceeded(cli({"events", "consumer", "delete", "dlq"})));
  r = cli({"events", "prune", "--before", "100"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_NE(r.err.find("pruned 2 events"), std::string::npos) << r.err;
  EXPECT_EQ(sequences(), (std::vector<std::string>{"3", "4", "5"}));
  EXPECT_EQ(consume("crm"), (std::vector<std::string>{"1", "2", "3", "4", "5"}));

  // Pruning on writes (events_keep_days) keeps them too: age every event, then write.
  add_user("u6");                                                                     // 6
  ASSERT_TRUE(MutationSucceeded(cli({"settings", "set", "events_keep_days", "1"})));  // 7
  exec_sql("UPDATE events SET time = '2000-01-01T00:00:00.000Z'");
  add_user("u7");  // 8: prunes 3..5 (crm has them), keeps 6 and on
  EXPECT_EQ(sequences(), (std::vector<std::string>{"6", "7", "8"}));
  EXPECT_EQ(consume("crm"), (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}));
}

}  // namespace
}  // namespace usersctl::e2e
