// Many processes writing one database at once (issue 2: "Concurrency").

#include <cstdint>
#include <latch>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class ConcurrencyTest : public E2eTest {};
USERSCTL_E2E_INSTANTIATE(ConcurrencyTest);

constexpr int kWorkers = 8;

TEST_P(ConcurrencyTest, EightWritersAddingFiveHundredUsersEachAllLand) {
  const int kPerWorker = heavy_repetitions(500);
  std::mutex mutex;
  std::vector<std::string> failures;  // the first few, for the report
  int failure_count = 0;
  std::latch start(kWorkers);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      start.arrive_and_wait();  // all start together on a fresh (not yet created) database file
      for (int i = 0; i < kPerWorker; ++i) {
        const std::string name = "w" + std::to_string(w) + "_u" + std::to_string(i);
        const RunResult r = cli({"add", name, "-q"});
        if (r.exit_code != 0 || !r.out.empty() || !r.err.empty()) {
          const std::lock_guard lock(mutex);
          ++failure_count;
          if (failures.size() < 5) {
            std::ostringstream text;
            text << name << ": " << r;
            failures.push_back(text.str());
          }
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();

  EXPECT_EQ(failure_count, 0);
  for (const auto& failure : failures) ADD_FAILURE() << failure;

  const RunResult r = cli({"list", "--fields", "username,uid"});
  ASSERT_TRUE(Succeeded(r));
  auto users = parse_jsonl(r.out);
  EXPECT_EQ(users.size(), static_cast<std::size_t>(kWorkers * kPerWorker));
  std::set<std::string> names;
  std::set<std::int64_t> uids;
  for (json& user : users) {
    names.insert(user["username"].get<std::string>());
    uids.insert(user["uid"].get<std::int64_t>());
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kWorkers * kPerWorker));
  EXPECT_EQ(uids.size(), static_cast<std::size_t>(kWorkers * kPerWorker)) << "every user got its own uid";
  EXPECT_EQ(*uids.begin(), 1000);
  EXPECT_EQ(*uids.rbegin(), 1000 + kWorkers * kPerWorker - 1) << "no uid skipped";
  const std::string last = "w" + std::to_string(kWorkers - 1) + "_u" + std::to_string(kPerWorker - 1);
  EXPECT_TRUE(names.count("w0_u0") == 1 && names.count(last) == 1) << last;

  // One event per user, with sequences 1..4000 in order: gap-free, whoever committed first.
  const RunResult listed = cli({"events", "list"});
  ASSERT_TRUE(Succeeded(listed));
  auto events = parse_jsonl(listed.out);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kWorkers * kPerWorker));
  std::set<std::string> subjects;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].value("sequence", ""), std::to_string(i + 1)) << "event " << i;
    EXPECT_EQ(events[i].value("type", ""), "user.created");
    subjects.insert(events[i].value("subject", ""));
  }
  EXPECT_EQ(subjects.size(), static_cast<std::size_t>(kWorkers * kPerWorker)) << "one event per user";
}

TEST_P(ConcurrencyTest, EightProcessesAddingTheSameNameExactlyOneWins) {
  // The first round races on a fresh database file; the later ones on an existing one.
  for (int round = 0; round < 4; ++round) {
    const std::string name = "same" + std::to_string(round);
    std::vector<Invocation> invocations(kWorkers);
    for (auto& invocation : invocations) {
      invocation.args = {"--db", db_url(), "add", name};
      invocation.options.replace_env = env();
    }
    const auto results = run_concurrently(invocations);
    int winners = 0;
    int conflicts = 0;
    for (const RunResult& r : results) {
      if (r.exit_code == 0) {
        EXPECT_TRUE(MutationSucceeded(r));
        ++winners;
      } else {
        EXPECT_TRUE(Failed(r, 4, name)) << "round " << round;
        ++conflicts;
      }
    }
    EXPECT_EQ(winners, 1) << "round " << round;
    EXPECT_EQ(conflicts, kWorkers - 1) << "round " << round;
    EXPECT_EQ(show_user(name)["version"], 1);
  }
  EXPECT_EQ(list_usernames(), (std::vector<std::string>{"same0", "same1", "same2", "same3"}));
}

TEST_P(ConcurrencyTest, ConditionalUpdatesRaceOnlyOneWins) {
  add_user("alice");
  std::vector<Invocation> invocations(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    invocations[i].args = {"--db",         db_url(), "update", "alice",
                           "--if-version", "1",      "--attr", "winner=" + std::to_string(i)};
    invocations[i].options.replace_env = env();
  }
  const auto results = run_concurrently(invocations);
  int winner = -1;
  int winners = 0;
  for (int i = 0; i < kWorkers; ++i) {
    if (results[i].exit_code == 0) {
      EXPECT_TRUE(MutationSucceeded(results[i]));
      winner = i;
      ++winners;
    } else {
      EXPECT_TRUE(Failed(results[i], 4)) << "worker " << i;
    }
  }
  ASSERT_EQ(winners, 1);
  json user = show_user("alice");
  EXPECT_EQ(user["version"], 2);
  EXPECT_EQ(user["attrs"], (json{{"winner", std::to_string(winner)}}));
}

TEST_P(ConcurrencyTest, ReadersRunWhileWritersWrite) {
  add_user("seed");
  std::vector<Invocation> invocations;
  for (int i = 0; i < kWorkers; ++i) {
    Invocation invocation;
    invocation.options.replace_env = env();
    if (i % 2 == 0) {
      invocation.args = {"--db", db_url(), "add", "writer" + std::to_string(i), "-q"};
    } else {
      invocation.args = {"--db", db_url(), "list", "--where", "username=seed"};
    }
    invocations.push_back(std::move(invocation));
  }
  const auto results = run_concurrently(invocations);
  for (int i = 0; i < kWorkers; ++i) {
    if (i % 2 == 0) {
      EXPECT_TRUE(QuietlySucceeded(results[i])) << "writer " << i;
    } else {
      ASSERT_TRUE(Succeeded(results[i])) << "reader " << i;
      auto users = parse_jsonl(results[i].out);
      ASSERT_EQ(users.size(), 1u);
      EXPECT_EQ(users[0]["username"], "seed");
    }
  }
  EXPECT_EQ(list_usernames().size(), 1u + kWorkers / 2);
}

}  // namespace
}  // namespace usersctl::e2e
