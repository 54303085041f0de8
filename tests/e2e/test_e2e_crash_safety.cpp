// Crash safety (issue 9): `usersctl add` and `usersctl import` killed with SIGKILL at random moments leaves a
// sound database in which every committed change has exactly one event and no event lacks its change.
// Reproduce a failure with USERSCTL_CRASH_SEED=<the seed in the failure message>.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "crash_harness.hpp"
#include "e2e_fixture.hpp"
#include "sqlite_probe.hpp"

namespace usersctl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr int kKills = 50;

class CrashSafetyTest : public SqliteE2eTest {
 protected:
  ChildSpec usersctl_spec(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_url()});
    return ChildSpec{usersctl_binary(), std::move(args), env(), {}};
  }

  // A kill before the first migration committed leaves a database without tables: no users, no events.
  bool migrated() const {
    return query_rows(db_path(), "SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'events')") ==
           std::vector<std::string>{"2"};
  }

  std::set<std::string> usernames_in_db() const {
    if (!migrated()) return {};
    const auto rows = query_rows(db_path(), "SELECT username FROM users");
    return {rows.begin(), rows.end()};
  }

  // subject of each user.created event ("users/NAME" → NAME) by sequence.
  std::map<long long, std::string> created_events() const {
    std::map<long long, std::string> events;
    if (!migrated()) return events;
    for (const auto& row : query_rows(db_path(),
                                      "SELECT sequence, json_extract(body, '$.subject') FROM events "
                                      "WHERE type = 'user.created'")) {
      const auto bar = row.find('|');
      std::string subject = row.substr(bar + 1);
      if (subject.rfind("users/", 0) == 0) subject.erase(0, 6);
      events[std::stoll(row.substr(0, bar))] = subject;
    }
    return events;
  }

  // Users and user.created events match one to one, sequences run 1..N without gaps (only users
  // are created in these tests), and `events list` agrees with the raw rows.
  void expect_one_created_event_per_user() const {
    const auto users = usernames_in_db();
    const auto events = created_events();
    std::multiset<std::string> event_subjects;
    for (const auto& [sequence, subject] : events) event_subjects.insert(subject);
    EXPECT_EQ(std::set<std::string>(event_subjects.begin(), event_subjects.end()), users);
    EXPECT_EQ(event_subjects.size(), users.size()) << "a user with more than one user.created event";
    const auto sequences = query_rows(db_path(), "SELECT sequence FROM events ORDER BY sequence");
    ASSERT_EQ(sequences.size(), events.size());
    for (std::size_t i = 0; i < sequences.size(); ++i) EXPECT_EQ(sequences[i], std::to_string(i + 1));
    const RunResult listed = cli({"events", "list", "--type", "user.created"});
    ASSERT_TRUE(Succeeded(listed));
    EXPECT_EQ(parse_jsonl(listed.out).size(), users.size());
  }

  // The median of five undisturbed runs of `spec` (after one to warm up), on a database of its own
  // so that the database under test starts absent.
  std::chrono::microseconds median_life(CrashHarness& harness, ChildSpec spec,
                                        const std::function<void(ChildSpec&, int)>& vary) const {
    spec.args[1] = (temp_dir() / "calibration.db").string();
    std::vector<std::chrono::microseconds> lives;
    for (int i = 0; i < 6; ++i) {
      vary(spec, i);
      const auto life = harness.time_to_finish(spec);
      if (i > 0) lives.push_back(life);  // the first run creates and migrates: slower, not typical
    }
    std::sort(lives.begin(), lives.end());
    return lives[lives.size() / 2];
  }
};

// 50 `usersctl add`, each killed at a random moment of its life (the first ones while the database
// is still being created and migrated). After each: the database passes PRAGMA integrity_check and
// the user exists exactly when its user.created event does; at the end the users and the events
// match one to one and the sequences have no gaps.
TEST_F(CrashSafetyTest, AddKilledAtRandomMomentsLeavesEveryChangeWithExactlyOneEvent) {
  CrashHarness harness;
  SCOPED_TRACE("USERSCTL_CRASH_SEED=" + std::to_string(harness.seed()));

  const auto life =
      median_life(harness, usersctl_spec({"add", "calibration", "--attr", "k=v"}),
                  [](ChildSpec& spec, int i) { spec.args[3] = "calibration" + std::to_string(i); });
  ASSERT_GT(life.count(), 0);

  // Runs until 50 kills have landed mid-run (a run that finished before its moment does not count).
  int killed = 0;
  int killed_after_commit = 0;  // killed, yet the change was there: the kill came after the commit
  int runs = 0;
  std::set<std::string> finished;  // adds that exited 0: they must be there
  for (int i = 0; killed < kKills && i < 4 * kKills; ++i, ++runs) {
    const std::string name = "crash" + std::to_string(i);
    const ChildSpec spec = usersctl_spec({"add", name, "--email", name + "@example.com", "--name",
                                          "Crash Test " + std::to_string(i), "--attr", "run=" + name});
    // Anywhere in a normal run's life, from exec to exit.
    const CrashOutcome outcome = harness.run_killed(spec, harness.random_delay(life));
    SCOPED_TRACE("run " + std::to_string(i) + " killed after " + std::to_string(outcome.delay.count()) +
                 " µs");
    if (outcome.killed) {
      ++killed;
    } else {
      ASSERT_EQ(outcome.result.exit_code, 0) << outcome.result;
      finished.insert(name);
    }
    if (!fs::exists(db_path())) continue;  // killed before it created the file
    ASSERT_EQ(integrity_check(db_path()), "ok");
    const auto users = usernames_in_db();
    bool has_event = false;
    for (const auto& [sequence, subject] : created_events()) has_event = has_event || subject == name;
    EXPECT_EQ(users.count(name) == 1, has_event) << name << ": a change without its event, or the reverse";
    if (outcome.killed && users.count(name) == 1) ++killed_after_commit;
    if (!outcome.killed) {
      EXPECT_EQ(users.count(name), 1u) << name << " exited 0 but is not there";
    }
  }
  std::cout << "[ crash    ] " << killed << " of " << runs << " adds killed mid-run, " << killed_after_commit
            << " of them after their commit (median life " << life.count() << " µs, seed " << harness.seed()
            << ")\n";
  // The kills must really land inside the runs for the test to mean anything.
  EXPECT_EQ(killed, kKills) << "too few kills landed while usersctl ran";

  // The database works on after the crashes, and the next change is numbered right after the last.
  ASSERT_TRUE(MutationSucceeded(cli({"add", "after-crashes"})));
  ASSERT_EQ(integrity_check(db_path()), "ok");

  expect_one_created_event_per_user();
  const auto users = usernames_in_db();
  for (const auto& name : finished) EXPECT_EQ(users.count(name), 1u) << name;
}

// 50 `usersctl import` of 1,000 users each (one file per run, names i<run>x<n>), each killed at a
// random moment: every import is all or nothing, with exactly one event per user it created.
TEST_F(CrashSafetyTest, ImportKilledAtRandomMomentsIsAllOrNothing) {
  constexpr int kUsersPerImport = 1000;
  CrashHarness harness;
  SCOPED_TRACE("USERSCTL_CRASH_SEED=" + std::to_string(harness.seed()));
  const auto write_import = [&](const std::string& prefix) {
    const fs::path file = temp_dir() / (prefix + ".jsonl");
    std::ofstream out(file);
    for (int n = 0; n < kUsersPerImport; ++n) {
      out << R"({"username":")" << prefix << n << R"(","email":")" << prefix << n
          << R"(@example.com","attrs":{"batch":")" << prefix << R"("}})" << '\n';
    }
    return file.string();
  };
  const auto life = median_life(
      harness, usersctl_spec({"import", "", "--format", "jsonl"}),
      [&](ChildSpec& spec, int i) { spec.args[3] = write_import("cal" + std::to_string(i) + "x"); });
  ASSERT_GT(life.count(), 0);

  int killed = 0;
  int killed_after_commit = 0;
  int runs = 0;
  for (int i = 0; killed < kKills && i < 4 * kKills; ++i, ++runs) {
    const std::string prefix = "i" + std::to_string(i) + "x";
    const CrashOutcome outcome = harness.run_killed(
        usersctl_spec({"import", write_import(prefix), "--format", "jsonl"}), harness.random_delay(life));
    SCOPED_TRACE("run " + std::to_string(i) + " killed after " + std::to_string(outcome.delay.count()) +
                 " µs");
    if (outcome.killed) {
      ++killed;
    } else {
      ASSERT_EQ(outcome.result.exit_code, 0) << outcome.result;
    }
    if (!fs::exists(db_path()) || !migrated()) continue;  // killed before the schema was there
    ASSERT_EQ(integrity_check(db_path()), "ok");
    const auto count = [&](const std::string& sql) { return std::stoi(query_rows(db_path(), sql).at(0)); };
    const int users = count("SELECT count(*) FROM users WHERE username LIKE '" + prefix + "%'");
    const int events = count(
        "SELECT count(*) FROM events WHERE type = 'user.created' AND json_extract(body, '$.subject') LIKE "
        "'users/" +
        prefix + "%'");
    EXPECT_TRUE(users == 0 || users == kUsersPerImport)
        << users << " of " << prefix << "'s users: not all or nothing";
    EXPECT_EQ(events, users) << prefix << ": users and their events differ";
    if (!outcome.killed) {
      EXPECT_EQ(users, kUsersPerImport) << prefix << " exited 0 but is not all there";
    }
    if (outcome.killed && users == kUsersPerImport) ++killed_after_commit;
  }
  std::cout << "[ crash    ] " << killed << " of " << runs << " imports of " << kUsersPerImport
            << " users killed mid-run, " << killed_after_commit << " of them after their commit (median life "
            << life.count() << " µs, seed " << harness.seed() << ")\n";
  EXPECT_EQ(killed, kKills) << "too few kills landed while usersctl ran";

  ASSERT_TRUE(MutationSucceeded(cli({"add", "after-crashes"})));
  ASSERT_EQ(integrity_check(db_path()), "ok");
  expect_one_created_event_per_user();
}

}  // namespace
}  // namespace usersctl::e2e
