// Resumable consumers (issue 19): `events consume NAME --exec CMD` hands the events after NAME's
// cursor to CMD a batch at a time, moves the cursor only when CMD exits 0, hands a batch out again
// when its process died, sets a batch aside after --max-attempts, and never lets two processes of
// one name hand out batches at once. Also `partitionkey` on every event.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crash_harness.hpp"
#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

using namespace std::chrono_literals;

class ConsumersTest : public E2eTest {
 protected:
  std::string path(const std::string& name) const { return (temp_dir() / name).string(); }

  std::string read(const std::string& name) const {
    std::ifstream in(path(name));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The sequences in a JSONL file a consumer wrote, in order.
  std::vector<std::int64_t> sequences_in(const std::string& name) const {
    std::vector<std::int64_t> sequences;
    for (auto& event : parse_jsonl(read(name))) sequences.push_back(std::stoll(event.value("sequence", "0")));
    return sequences;
  }

  RunResult consume(const std::string& name, const std::string& command,
                    std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"events", "consume", name, "--exec", command};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }

  json consumer_row(const std::string& name) const {
    const RunResult r = cli({"events", "consumers", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    for (auto& row : parse_json(r.out))
      if (row.value("name", "") == name) return row;
    ADD_FAILURE() << "no consumer " << name << "\n" << r;
    return json();
  }

  // The shell line that runs usersctl against this test's database.
  std::string usersctl_line() const {
    return shell_quote(usersctl_binary()) + " --db " + shell_quote(db_url());
  }
};
USERSCTL_E2E_INSTANTIATE(ConsumersTest);

std::vector<std::int64_t> one_to(std::int64_t n) {
  std::vector<std::int64_t> sequences;
  for (std::int64_t i = 1; i <= n; ++i) sequences.push_back(i);
  return sequences;
}

TEST_P(ConsumersTest, DrainsInBatchesAndResumesAfterItsCursor) {
  for (const char* name : {"alice", "bob", "carol", "dave", "erin"}) add_user(name);
  const std::string out = path("out.jsonl");
  const std::string command =
      "cat >> " + shell_quote(out) + "; echo batch >> " + shell_quote(path("batches"));
  RunResult r = consume("crm", command, {"--batch", "2"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(5));
  EXPECT_EQ(split_lines(read("batches")).size(), 3u) << "5 events in batches of 2";
  EXPECT_EQ(consumer_row("crm")["cursor"], 5);
  EXPECT_EQ(consumer_row("crm")["lag"], 0);

  add_user("frank");
  add_user("grace");
  EXPECT_EQ(consumer_row("crm")["lag"], 2);
  r = consume("crm", command, {"--batch", "2"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(7)) << "only what came after the cursor";
  r = consume("crm", command);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(7)) << "nothing new: nothing handed out";
}

TEST_P(ConsumersTest, EventsCarryTheRecordsStableIdAsPartitionKey) {
  add_user("alice");
  cli({"update", "alice", "--rename", "alicia"});
  add_group("staff");
  auto events = parse_jsonl(cli({"events", "list"}).out);
  ASSERT_EQ(events.size(), 3u);
  const std::string user_key = events[0].value("partitionkey", "");
  EXPECT_EQ(user_key.rfind("user:", 0), 0u) << events[0].dump();
  EXPECT_EQ(events[1].value("partitionkey", ""), user_key) << "a rename keeps the key";
  EXPECT_EQ(events[2].value("partitionkey", "").rfind("group:", 0), 0u) << events[2].dump();
  EXPECT_NE(events[2].value("partitionkey", ""), user_key);

  // A group rename, a membership and a delete keep each record's key too.
  ASSERT_EQ(cli({"group", "rename", "staff", "crew"}).exit_code, 0);
  ASSERT_EQ(cli({"group", "add", "crew", "alicia"}).exit_code, 0);
  ASSERT_EQ(cli({"delete", "alicia"}).exit_code, 0);
  events = parse_jsonl(cli({"events", "list", "--since", "3"}).out);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].value("partitionkey", ""),
            parse_jsonl(cli({"events", "list"}).out)[2].value("partitionkey", ""))
      << events[0].dump();
  EXPECT_EQ(events[1].value("partitionkey", "").rfind("group:", 0), 0u) << events[1].dump();
  EXPECT_EQ(events.back().value("partitionkey", ""), user_key) << events.back().dump();
  // Purged for good (its row gone, its id free again): the purge's event still carries the key.
  ASSERT_EQ(cli({"purge", "alicia"}).exit_code, 0);
  events = parse_jsonl(cli({"events", "list", "--type", "user.purged"}).out);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value("partitionkey", ""), user_key) << events[0].dump();
}

TEST_P(ConsumersTest, ABatchWhoseConsumerWasKilledIsHandedOutAgain) {
  for (const char* name : {"alice", "bob", "carol"}) add_user(name);
  // The first consumer takes a batch of 2 and is killed (SIGKILL) while its command still runs.
  const std::string first = path("first.jsonl");
  const std::string script = usersctl_line() + " events consume crm --batch 2 --lease 1s --exec " +
                             shell_quote("cat >> " + shell_quote(first) + "; sleep 3") +
                             " & pid=$!; while [ ! -s " + shell_quote(first) +
                             " ]; do sleep 0.05; done; kill -9 $pid; wait $pid; echo killed $?";
  RunOptions options;
  options.replace_env = env();
  options.timeout = 30s;
  const RunResult killed = run_process("/bin/sh", {"-c", script}, options);
  ASSERT_EQ(killed.out, "killed 137\n") << killed;
  EXPECT_EQ(sequences_in("first.jsonl"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(consumer_row("crm")["cursor"], 0) << "the cursor did not move for the killed batch";

  // The next consumer waits out the dead one's lease, then gets the same batch again, and the rest.
  const RunResult r = consume("crm", "cat >> " + shell_quote(path("second.jsonl")), {"--batch", "2"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("second.jsonl"), one_to(3));
  EXPECT_EQ(consumer_row("crm")["cursor"], 3);
}

TEST_P(ConsumersTest, ACommandFailingThreeTimesDeadLettersItsBatchAndRetryDeadRequeuesIt) {
  add_user("alice");
  add_user("bob");
  const std::vector<std::string> flags{"--max-attempts", "3", "--retry-delay", "0"};
  const std::string failing = "cat > /dev/null; exit 3";
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const RunResult r = consume("crm", failing, flags);
    EXPECT_EQ(r.exit_code, 7) << "attempt " << attempt << " fails and waits\n" << r;
    EXPECT_NE(r.err.find("exit status 3"), std::string::npos) << r;
    EXPECT_EQ(consumer_row("crm")["attempts"], attempt);
    EXPECT_EQ(consumer_row("crm")["cursor"], 0);
  }
  RunResult r = consume("crm", failing, flags);
  EXPECT_EQ(r.exit_code, 0) << "the third failure sets the batch aside and the drain goes on\n" << r;
  EXPECT_NE(r.err.find("dead letters"), std::string::npos) << r;
  auto row = consumer_row("crm");
  EXPECT_EQ(row["cursor"], 2);
  EXPECT_EQ(row["dead_letters"], 2);
  EXPECT_EQ(row["attempts"], 0);

  r = cli({"events", "consume", "crm", "--dead-letters", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto letters = parse_json(r.out);
  ASSERT_EQ(letters.size(), 2u) << r;
  EXPECT_EQ(letters[0]["sequence"], 1);
  EXPECT_EQ(letters[0]["attempts"], 3);
  EXPECT_EQ(letters[0]["error"], "exit status 3");

  add_user("carol");
  r = cli({"events", "consume", "crm", "--retry-dead", "--exec", "cat >> " + shell_quote(path("out.jsonl"))});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(3)) << "the requeued letters first, then the new event";
  EXPECT_EQ(consumer_row("crm")["dead_letters"], 0);
  EXPECT_EQ(parse_json(cli({"events", "consume", "crm", "--dead-letters", "-o", "json"}).out).size(), 0u);
}

// Requeued letters whose batch fails again are dead letters once more: one attempt more, the new
// error, and waiting for the next --retry-dead (the cursor has long moved on).
TEST_P(ConsumersTest, RequeuedDeadLettersThatFailAgainAreDeadLettersAgain) {
  add_user("alice");
  const std::vector<std::string> flags{"--max-attempts", "1", "--retry-delay", "0"};
  RunResult r = consume("crm", "cat > /dev/null; exit 3", flags);
  ASSERT_EQ(r.exit_code, 0) << "the first failure sets the batch aside\n" << r;
  ASSERT_EQ(consumer_row("crm")["dead_letters"], 1);

  r = consume("crm", "cat > /dev/null; exit 5", {"--retry-dead"});
  EXPECT_NE(r.err.find("failed again: exit status 5"), std::string::npos) << r;
  const auto row = consumer_row("crm");
  EXPECT_EQ(row["dead_letters"], 1) << row.dump();
  EXPECT_EQ(row["cursor"], 1) << row.dump();
  r = cli({"events", "consume", "crm", "--dead-letters", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r;
  const auto letters = parse_json(r.out);
  ASSERT_EQ(letters.size(), 1u) << r;
  EXPECT_EQ(letters[0]["sequence"], 1);
  EXPECT_EQ(letters[0]["attempts"], 2);
  EXPECT_EQ(letters[0]["error"], "exit status 5");

  r = consume("crm", "cat >> " + shell_quote(path("out.jsonl")), {"--retry-dead"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(1)) << "requeued again, and delivered this time";
  EXPECT_EQ(consumer_row("crm")["dead_letters"], 0);
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (events consumers' next_attempt) as ms since the epoch.
std::int64_t unix_ms(const std::string& rfc3339) {
  std::tm utc{};
  int ms = 0;
  std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
              &utc.tm_min, &utc.tm_sec, &ms);
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&utc)) * 1000 + ms;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_P(ConsumersTest, AFailedBatchWaitsOutItsBackoffWhichDoublesPerAttempt) {
  add_user("alice");
  const std::string failing = "cat > /dev/null; echo run >> " + shell_quote(path("runs")) + "; exit 1";
  const std::vector<std::string> flags{"--retry-delay", "1500ms"};
  RunResult r = consume("crm", failing, flags);
  EXPECT_EQ(r.exit_code, 7) << r;
  auto row = consumer_row("crm");
  ASSERT_EQ(row["attempts"], 1) << row.dump();
  std::int64_t wait = unix_ms(row["next_attempt"].get<std::string>()) - now_ms();
  EXPECT_GT(wait, 500) << "the first retry is --retry-delay away: " << row.dump();
  EXPECT_LE(wait, 1500) << row.dump();

  // Before it is due, a run hands nothing out and still exits 7: the batch waits.
  r = consume("crm", failing, flags);
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_EQ(split_lines(read("runs")).size(), 1u) << "no attempt before the backoff ends";
  EXPECT_EQ(consumer_row("crm")["attempts"], 1);

  std::this_thread::sleep_for(std::chrono::milliseconds(wait + 100));
  r = consume("crm", failing, flags);
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_EQ(split_lines(read("runs")).size(), 2u);
  row = consumer_row("crm");
  ASSERT_EQ(row["attempts"], 2) << row.dump();
  wait = unix_ms(row["next_attempt"].get<std::string>()) - now_ms();
  EXPECT_GT(wait, 2000) << "the second retry waits twice as long: " << row.dump();
  EXPECT_LE(wait, 3000) << row.dump();
}

TEST_P(ConsumersTest, TwoConsumersOfOneNameNeverHandOutBatchesAtOnce) {
  for (int i = 0; i < 12; ++i) add_user("user" + std::to_string(i));
  // mkdir is atomic: a second batch handed out while one runs finds the folder and leaves a mark.
  const std::string lock = shell_quote(path("lock"));
  const std::string command = "mkdir " + lock + " 2>/dev/null || touch " + shell_quote(path("overlap")) +
                              "; cat >> " + shell_quote(path("out.jsonl")) + "; sleep 0.1; rmdir " + lock;
  std::vector<Invocation> invocations;
  for (int i = 0; i < 2; ++i) {
    Invocation invocation;
    invocation.args = {"--db", db_url(), "events", "consume", "crm", "--batch", "2", "--exec", command};
    invocation.options.replace_env = env();
    invocations.push_back(invocation);
  }
  for (const auto& r : run_concurrently(invocations)) EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_FALSE(std::filesystem::exists(path("overlap"))) << "two batches were out at once";
  EXPECT_EQ(sequences_in("out.jsonl"), one_to(12)) << "each event once, in order";
}

TEST_P(ConsumersTest, FollowHandsOutEventsCommittedWhileItWaits) {
  add_user("alice");
  ChildProcess follower(ChildSpec{usersctl_binary(),
                                  {"--db", db_url(), "events", "consume", "crm", "--follow", "--exec",
                                   "cat >> " + shell_quote(path("out.jsonl"))},
                                  env(),
                                  {}});
  ASSERT_TRUE(follower.started());
  const auto until = [&](std::size_t events) {
    for (int i = 0; i < 200 && sequences_in("out.jsonl").size() < events; ++i)
      std::this_thread::sleep_for(50ms);
    return sequences_in("out.jsonl");
  };
  EXPECT_EQ(until(1), one_to(1));
  add_user("bob");
  add_group("staff");
  EXPECT_EQ(until(3), one_to(3)) << "what committed while it waited, once, in order";
  // CMD has the events before the cursor moves (at least once): wait for the acknowledgement.
  for (int i = 0; i < 100 && consumer_row("crm")["cursor"] != 3; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(consumer_row("crm")["cursor"], 3);
  EXPECT_FALSE(follower.exited()) << "--follow keeps waiting";
  follower.kill();
  follower.wait();
}

TEST_P(ConsumersTest, TypesAndExcludeActorSkipEventsButMoveTheCursor) {
  cli({"--actor", "hr-sync", "add", "alice"});
  add_user("bob");
  add_group("staff");
  const RunResult r = consume("crm", "cat >> " + shell_quote(path("out.jsonl")),
                              {"--types", "user.*", "--exclude-actor", "hr-sync"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto events = parse_jsonl(read("out.jsonl"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value("subject", ""), "users/bob");
  EXPECT_EQ(consumer_row("crm")["cursor"], 3);
}

TEST_P(ConsumersTest, AHookWithExcludeActorGetsNoEventOfThatActor) {
  const std::string out = path("hook.jsonl");
  ASSERT_EQ(
      cli({"hook", "add", "--exec", "cat >> " + shell_quote(out), "--exclude-actor", "hr-sync"}).exit_code,
      0);
  auto hook = parse_json(cli({"hook", "show", "1", "-o", "json"}).out);
  EXPECT_EQ(hook["exclude_actor"], "hr-sync");
  cli({"--actor", "hr-sync", "add", "alice"});
  add_user("bob");
  ASSERT_EQ(cli({"events", "deliver", "--now"}).exit_code, 0);
  auto events = parse_jsonl(read("hook.jsonl"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value("subject", ""), "users/bob");
}

TEST_P(ConsumersTest, ConsumerDeleteForgetsTheCursor) {
  add_user("alice");
  ASSERT_EQ(consume("crm", "cat > /dev/null").exit_code, 0);
  EXPECT_EQ(consumer_row("crm")["cursor"], 1);
  EXPECT_TRUE(Succeeded(cli({"events", "consumer", "delete", "crm"})));
  EXPECT_TRUE(Failed(cli({"events", "consumer", "delete", "crm"}), 3, "crm"));
  EXPECT_TRUE(Failed(cli({"events", "consume", "crm", "--dead-letters"}), 3, "crm"));
  EXPECT_TRUE(Failed(cli({"events", "consume", "Bad Name", "--exec", "true"}), 5));
  EXPECT_TRUE(Failed(cli({"events", "consume", "crm"}), 2, "--exec"));
}

}  // namespace
}  // namespace usersctl::e2e
