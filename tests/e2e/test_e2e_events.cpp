// The change feed (issue 4, the man page (EVENT FORMAT)): one event per change, `--events`, `events list`,
// `events tail`, and many writers at once. Delivery to hooks is in test_e2e_hooks.cpp.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <latch>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

using namespace std::chrono_literals;

std::int64_t sequence_of(const json& event) {
  if (!event.is_object() || !event.contains("sequence") || !event.at("sequence").is_string()) {
    ADD_FAILURE() << "event without a string sequence: " << event.dump();
    return -1;
  }
  return std::stoll(event.at("sequence").get<std::string>());
}

bool is_uuid(const std::string& text) {
  static const std::regex pattern("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(text, pattern);
}

// The CloudEvents 1.0 envelope every event carries (the man page (EVENT FORMAT)).
::testing::AssertionResult IsEnvelope(const json& event) {
  if (!event.is_object()) return ::testing::AssertionFailure() << "not an object: " << event.dump();
  for (const char* key :
       {"specversion", "id", "source", "type", "time", "subject", "sequence", "datacontenttype"}) {
    if (!event.contains(key) || !event.at(key).is_string()) {
      return ::testing::AssertionFailure() << "missing string '" << key << "': " << event.dump();
    }
  }
  if (event.at("specversion") != "1.0" || event.at("source") != "usersctl" ||
      event.at("datacontenttype") != "application/json") {
    return ::testing::AssertionFailure() << "specversion/source/datacontenttype: " << event.dump();
  }
  if (!is_uuid(event.at("id").get<std::string>())) {
    return ::testing::AssertionFailure() << "id is not a UUID: " << event.dump();
  }
  if (!is_rfc3339_utc(event.at("time").get<std::string>())) {
    return ::testing::AssertionFailure() << "time is not RFC 3339 UTC: " << event.dump();
  }
  if (!std::regex_match(event.at("sequence").get<std::string>(), std::regex("^[1-9][0-9]*$"))) {
    return ::testing::AssertionFailure() << "sequence is not a positive decimal string: " << event.dump();
  }
  if (!event.contains("data") || !event.at("data").is_object() || !event.at("data").contains("changes") ||
      !event.at("data").at("changes").is_array() || !event.at("data").contains("actor")) {
    return ::testing::AssertionFailure() << "data needs changes[] and actor: " << event.dump();
  }
  return ::testing::AssertionSuccess();
}

class EventsTest : public E2eTest {
 protected:
  // The whole feed, through `events list` (JSONL when piped).
  std::vector<json> feed(std::vector<std::string> extra = {}) const {
    extra.insert(extra.begin(), {"events", "list"});
    const RunResult r = cli(extra);
    EXPECT_TRUE(Succeeded(r)) << "events list";
    EXPECT_EQ(r.err, "") << "events list";
    return parse_jsonl(r.out);
  }

  std::int64_t last_sequence() const {
    const auto events = feed();
    return events.empty() ? 0 : sequence_of(events.back());
  }

  // Runs a mutation with --events and checks the streams: exit 0, stdout = exactly `count` events
  // (JSONL), stderr = the confirmation line(s). Returns the events.
  std::vector<json> change(std::vector<std::string> args, std::size_t count = 1, std::string stdin_data = {},
                           std::size_t confirmations = 1) const {
    args.push_back("--events");
    const RunResult r = cli(args, std::move(stdin_data));
    std::string command;
    for (const auto& arg : args) command += arg + " ";
    EXPECT_EQ(r.exit_code, 0) << command << r;
    EXPECT_EQ(split_lines(r.err).size(), confirmations) << command << "(confirmation lines on stderr)\n" << r;
    EXPECT_EQ(r.err.find("usersctl: error"), std::string::npos) << command << r;
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << command << r;
    auto events = parse_jsonl(r.out);
    EXPECT_EQ(events.size(), count) << command << "\n" << r;
    for (const json& event : events) EXPECT_TRUE(IsEnvelope(event)) << command;
    return events;
  }
};
USERSCTL_E2E_INSTANTIATE(EventsTest);

TEST_P(EventsTest, EveryKindOfChangeEmitsExactlyOneEventWithItsTypeSubjectAndData) {
  std::vector<json> emitted;  // everything --events printed, in order
  auto expect_one = [&](std::vector<std::string> args, const std::string& type, const std::string& subject,
                        std::string stdin_data = {}) {
    auto events = change(std::move(args), 1, std::move(stdin_data));
    if (events.size() != 1) return json::object();
    json event = events.front();
    EXPECT_EQ(event.value("type", ""), type) << event.dump();
    EXPECT_EQ(event.value("subject", ""), subject) << event.dump();
    EXPECT_EQ(event["data"].value("actor", ""), "tester") << "the actor is $USER: " << event.dump();
    emitted.push_back(event);
    return event;
  };

  json e =
      expect_one({"add", "bob", "--email", "bob@example.org", "--name", "Bob"}, "user.created", "users/bob");
  EXPECT_EQ(e["data"]["user"].value("username", ""), "bob");
  EXPECT_EQ(e["data"]["user"].value("email", ""), "bob@example.org");
  EXPECT_EQ(e["data"]["user"].value("version", 0), 1);
  EXPECT_FALSE(e["data"].contains("group")) << e.dump();

  expect_one({"add", "carol", "--password-stdin"}, "user.created", "users/carol", "carol's pass\n");

  e = expect_one({"update", "bob", "--name", "Bob B", "--attr", "shell=/bin/zsh"}, "user.updated",
                 "users/bob");
  EXPECT_EQ(e["data"]["user"].value("name", ""), "Bob B") << "data is the record after the change";
  EXPECT_EQ(e["data"]["user"].value("version", 0), 2);
  const auto changes = e["data"]["changes"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(changes.begin(), changes.end(), "name"), changes.end()) << e.dump();
  EXPECT_NE(std::find(changes.begin(), changes.end(), "attrs"), changes.end()) << e.dump();
  EXPECT_EQ(std::find(changes.begin(), changes.end(), "email"), changes.end()) << "email did not change";

  e = expect_one({"group", "create", "staff", "--description", "Staff"}, "group.created", "groups/staff");
  EXPECT_EQ(e["data"]["group"].value("name", ""), "staff");
  EXPECT_FALSE(e["data"].contains("user")) << e.dump();

  // One command, two records changed: two events, both on --events.
  auto added = change({"group", "add", "staff", "bob", "carol"}, 2, {}, 2);
  ASSERT_EQ(added.size(), 2u);
  std::set<std::string> members_added;
  for (json& event : added) {
    EXPECT_EQ(event.value("type", ""), "group.member_added") << event.dump();
    EXPECT_EQ(event.value("subject", ""), "groups/staff") << event.dump();
    EXPECT_EQ(event["data"]["group"].value("name", ""), "staff") << event.dump();
    members_added.insert(event["data"]["user"].value("username", ""));
    emitted.push_back(event);
  }
  EXPECT_EQ(members_added, (std::set<std::string>{"bob", "carol"}));
  // The member and the count after each change, never the whole member list (issue 20).
  EXPECT_EQ(added.front()["data"]["group"]["member_count"], 1) << added.front().dump();
  EXPECT_EQ(added.back()["data"]["group"]["member_count"], 2) << "the group after the change";
  EXPECT_FALSE(added.back()["data"]["group"].contains("members")) << added.back().dump();

  e = expect_one({"group", "remove", "staff", "carol"}, "group.member_removed", "groups/staff");
  EXPECT_EQ(e["data"]["user"].value("username", ""), "carol");
  EXPECT_EQ(e["data"]["group"]["member_count"], 1) << e.dump();
  EXPECT_FALSE(e["data"]["group"].contains("members")) << e.dump();

  e = expect_one({"group", "rename", "staff", "team"}, "group.updated", "groups/team");
  EXPECT_EQ(e["data"]["group"].value("name", ""), "team");

  e = expect_one({"passwd", "bob", "--password-stdin"}, "user.updated", "users/bob", "new secret\n");
  EXPECT_EQ(e["data"]["changes"], json({"password"})) << e.dump();

  e = expect_one({"update", "bob", "--rename", "robert"}, "user.updated", "users/robert");
  EXPECT_EQ(e["data"]["user"].value("username", ""), "robert");

  e = expect_one({"delete", "carol"}, "user.deleted", "users/carol");
  EXPECT_EQ(e["data"]["user"].value("username", ""), "carol") << "a delete carries the last state";
  EXPECT_EQ(e["data"]["user"].value("uid", 0), 1001);

  e = expect_one({"group", "delete", "team", "--force"}, "group.deleted", "groups/team");
  EXPECT_EQ(e["data"]["group"].value("name", ""), "team");

  // With -q the confirmation goes, the events stay.
  const RunResult quiet = cli({"add", "dave", "-q", "--events"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet;
  EXPECT_EQ(quiet.err, "");
  auto quiet_events = parse_jsonl(quiet.out);
  ASSERT_EQ(quiet_events.size(), 1u) << quiet;
  EXPECT_EQ(quiet_events[0].value("type", ""), "user.created");
  emitted.push_back(quiet_events[0]);

  // Sequences rise by one with no gap, ids are unique, and the feed holds exactly what --events printed.
  std::set<std::string> ids;
  for (std::size_t i = 0; i < emitted.size(); ++i) {
    EXPECT_EQ(sequence_of(emitted[i]), static_cast<std::int64_t>(i + 1)) << emitted[i].dump();
    ids.insert(emitted[i].value("id", ""));
  }
  EXPECT_EQ(ids.size(), emitted.size()) << "event ids are unique";
  EXPECT_EQ(feed(), emitted) << "events list shows the same events --events printed";

  // No password hash in any event, even after passwd and add --password-stdin.
  const RunResult all = cli({"events", "list"});
  ASSERT_TRUE(Succeeded(all));
  EXPECT_EQ(all.out.find("$y$"), std::string::npos) << all.out;
  EXPECT_EQ(all.out.find("hash"), std::string::npos) << all.out;
  const RunResult tail = cli({"events", "tail"});
  ASSERT_TRUE(Succeeded(tail));
  EXPECT_EQ(tail.out.find("$y$"), std::string::npos) << tail.out;
}

TEST_P(EventsTest, NoOpsReadsAndFailedCommandsEmitNoEvent) {
  add_user("bob", {"--name", "Bob"});
  add_user("carol");
  add_group("staff");
  ASSERT_EQ(cli({"group", "add", "staff", "bob"}).exit_code, 0);
  const std::vector<json> before = feed();
  ASSERT_EQ(before.size(), 4u);

  // No-ops: exit 0, nothing on stdout even with --events.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"add", "bob", "--if-not-exists"},
           {"group", "create", "staff", "--if-not-exists"},
           {"group", "add", "staff", "bob"},
           {"group", "remove", "staff", "carol"},
           {"update", "bob", "--name", "Bob"},
           {"delete", "ghost", "--if-exists"},
           {"group", "delete", "ghosts", "--if-exists"},
       }) {
    std::vector<std::string> with_events = args;
    with_events.push_back("--events");
    const RunResult r = cli(with_events);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << "\n" << r;
    EXPECT_EQ(r.out, "") << "a no-op prints no event: " << args[0] << " " << args[1] << "\n" << r;
    EXPECT_EQ(r.err.find("error"), std::string::npos) << r;
  }

  // Reads: only their data on stdout, never an event.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"show", "bob"},
           {"list"},
           {"group", "list"},
           {"group", "show", "staff"},
           {"events", "list"},
           {"events", "status"},
           {"hook", "list"},
       }) {
    std::vector<std::string> with_events = args;
    with_events.push_back("--events");
    const RunResult r = cli(with_events);
    EXPECT_TRUE(Succeeded(r)) << args[0];
    if (args[0] != "events") {
      EXPECT_EQ(r.out.find("\"specversion\""), std::string::npos) << r;
    }
  }
  const RunResult check = cli({"check-password", "bob", "--password-stdin", "--events"}, "nope\n");
  EXPECT_EQ(check.exit_code, 1) << check;
  EXPECT_EQ(check.out, "") << check;

  // Failures: their error contract, nothing on stdout, no event.
  EXPECT_TRUE(Failed(cli({"add", "bob", "--events"}), 4));
  EXPECT_TRUE(Failed(cli({"add", "Bad Name", "--events"}), 5));
  EXPECT_TRUE(Failed(cli({"add", "eve", "--group", "nogroup", "--events"}), 3));
  EXPECT_TRUE(Failed(cli({"update", "ghost", "--name", "G", "--events"}), 3));
  EXPECT_TRUE(Failed(cli({"update", "bob", "--name", "B", "--if-version", "99", "--events"}), 4));
  EXPECT_TRUE(Failed(cli({"delete", "bob", "ghost", "--events"}), 3)) << "all or nothing";
  EXPECT_TRUE(Failed(cli({"group", "add", "staff", "ghost", "--events"}), 3));
  EXPECT_TRUE(Failed(cli({"group", "delete", "staff", "--events"}), 4)) << "not empty";
  EXPECT_TRUE(Failed(cli({"group", "create", "staff", "--events"}), 4));

  EXPECT_EQ(feed(), before) << "no-ops, reads and failures wrote no event";
  EXPECT_EQ(show_user("bob").value("version", 0), 1) << "and changed nothing";
}

TEST_P(EventsTest, EventsListFiltersBySinceTypeAndLimit) {
  add_user("alice");                                                // 1 user.created
  add_user("bob");                                                  // 2 user.created
  add_group("staff");                                               // 3 group.created
  ASSERT_EQ(cli({"group", "add", "staff", "alice"}).exit_code, 0);  // 4 group.member_added
  ASSERT_EQ(cli({"update", "bob", "--name", "B"}).exit_code, 0);    // 5 user.updated
  ASSERT_EQ(cli({"delete", "bob"}).exit_code, 0);                   // 6 user.deleted

  auto sequences = [](const std::vector<json>& events) {
    std::vector<std::int64_t> out;
    for (const json& event : events) out.push_back(sequence_of(event));
    return out;
  };
  auto types = [](const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const json& event : events) out.push_back(event.value("type", ""));
    return out;
  };

  const auto all = feed();
  EXPECT_EQ(sequences(all), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(types(all), (std::vector<std::string>{"user.created", "user.created", "group.created",
                                                  "group.member_added", "user.updated", "user.deleted"}));
  EXPECT_EQ(sequences(feed({"--since", "4"})), (std::vector<std::int64_t>{5, 6})) << "--since is exclusive";
  EXPECT_EQ(sequences(feed({"--since", "0"})), sequences(all));
  EXPECT_TRUE(feed({"--since", "6"}).empty());
  EXPECT_TRUE(feed({"--since", "1000"}).empty());
  EXPECT_EQ(sequences(feed({"--type", "user.created"})), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(sequences(feed({"--type", "user.*"})), (std::vector<std::int64_t>{1, 2, 5, 6}));
  EXPECT_EQ(sequences(feed({"--type", "group.*"})), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(sequences(feed({"--limit", "2"})), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(sequences(feed({"--since", "1", "--type", "user.*", "--limit", "2"})),
            (std::vector<std::int64_t>{2, 5}));
  EXPECT_EQ(feed({"--since", "2", "--limit", "1"}).at(0), all.at(2)) << "the same event, whole";

  // `-o json` is one document: an array of the same events.
  const RunResult as_json = cli({"events", "list", "-o", "json", "--type", "group.*"});
  ASSERT_TRUE(Succeeded(as_json));
  json document = parse_json(as_json.out);
  ASSERT_TRUE(document.is_array()) << as_json;
  EXPECT_EQ(document, json({all.at(2), all.at(3)}));

  // Bad values are usage or input errors, not an empty answer.
  EXPECT_TRUE(Failed(cli({"events", "list", "--limit", "many"}), 2));
  EXPECT_TRUE(Failed(cli({"events", "list", "--type", "user.renamed"}), 2, "--type: unknown event type"))
      << "an unknown type can never match: say so; a bad filter is a usage error, as list --where's is";
}

TEST_P(EventsTest, EventsTailPrintsTheRawFeedFromACursor) {
  add_user("alice");
  add_user("bob");
  add_group("staff");
  const auto all = feed();
  ASSERT_EQ(all.size(), 3u);

  const RunResult tail = cli({"events", "tail"});
  ASSERT_TRUE(Succeeded(tail));
  EXPECT_EQ(tail.err, "");
  EXPECT_EQ(parse_jsonl(tail.out), all);
  EXPECT_EQ(split_lines(tail.out).size(), 3u) << "one compact event a line";

  const RunResult since = cli({"events", "tail", "--since", "1"});
  ASSERT_TRUE(Succeeded(since));
  EXPECT_EQ(parse_jsonl(since.out), (std::vector<json>{all[1], all[2]}));

  const RunResult none = cli({"events", "tail", "--since", "3"});
  ASSERT_TRUE(Succeeded(none));
  EXPECT_EQ(none.out, "");
}

TEST_P(EventsTest, TailFollowStopsSoonAfterItsReaderClosesThePipe) {
  add_user("alice");
  add_user("bob");
  const std::string command =
      shell_quote(usersctl_binary()) + " --db " + shell_quote(db_url()) + " events tail --follow | head -n 1";
  RunOptions options;
  options.replace_env = env();
  options.timeout = 20s;
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = run_process("/bin/sh", {"-c", command}, options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.timed_out) << "tail --follow kept running after head exited\n" << r;
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "") << "no broken-pipe noise";
  auto lines = parse_jsonl(r.out);
  ASSERT_EQ(lines.size(), 1u) << r;
  EXPECT_EQ(lines[0].value("sequence", ""), "1");
  EXPECT_LT(elapsed, 5s) << "the follower notices the closed pipe within a poll or two";
}

TEST_P(EventsTest, TailFollowPrintsEventsCommittedWhileItWaits) {
  add_user("alice");
  // Wait for the next two events after 1 (head -n 2 then closes the pipe, which ends the follower).
  const std::string command = shell_quote(usersctl_binary()) + " --db " + shell_quote(db_url()) +
                              " events tail --follow --since 1 | head -n 2";
  RunOptions options;
  options.replace_env = env();
  options.timeout = 30s;
  auto follower = std::async(std::launch::async, [&] {
    return run_process("/bin/sh", {"-c", command}, options);
  });
  std::this_thread::sleep_for(700ms);  // let it print nothing yet and start polling
  EXPECT_EQ(follower.wait_for(0s), std::future_status::timeout) << "--follow waits for new events";
  add_user("bob");
  add_group("staff");
  const RunResult r = follower.get();
  ASSERT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  auto events = parse_jsonl(r.out);
  ASSERT_EQ(events.size(), 2u) << r;
  EXPECT_EQ(events[0].value("subject", ""), "users/bob");
  EXPECT_EQ(events[1].value("subject", ""), "groups/staff");
  EXPECT_EQ(events, feed({"--since", "1"}));
}

TEST_P(EventsTest, EightWritersAtOnceEachCommittedChangeHasExactlyOneEventAndSequencesHaveNoGaps) {
  constexpr int kWorkers = 8;
  constexpr int kPerWorker = 50;
  std::mutex mutex;
  std::vector<std::string> failures;
  int committed = 0;
  std::latch start(kWorkers);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerWorker; ++i) {
        const std::string name = "w" + std::to_string(w) + "_" + std::to_string(i);
        // An add, and for every third user an update too: two kinds of writes interleaving.
        std::vector<std::vector<std::string>> commands{{"add", name, "-q"}};
        if (i % 3 == 0) commands.push_back({"update", name, "--name", "N" + name, "-q"});
        for (const auto& args : commands) {
          const RunResult r = cli(args);
          const std::lock_guard lock(mutex);
          if (r.exit_code == 0 && r.out.empty() && r.err.empty()) {
            ++committed;
          } else if (failures.size() < 5) {
            std::ostringstream text;
            text << args[0] << " " << name << ": " << r;
            failures.push_back(text.str());
          }
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures) ADD_FAILURE() << failure;
  const int expected = kWorkers * (kPerWorker + (kPerWorker + 2) / 3);
  EXPECT_EQ(committed, expected);

  const auto events = feed();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(committed)) << "one event per committed change";
  std::set<std::string> ids;
  std::set<std::string> created;
  std::set<std::string> updated;
  for (std::size_t i = 0; i < events.size(); ++i) {
    json event = events[i];
    EXPECT_EQ(sequence_of(event), static_cast<std::int64_t>(i + 1)) << "unique and gap-free, in order";
    ids.insert(event.value("id", ""));
    const std::string username = event["data"]["user"].value("username", "");
    if (event.value("type", "") == "user.created") {
      EXPECT_TRUE(created.insert(username).second) << "two user.created events for " << username;
    } else if (event.value("type", "") == "user.updated") {
      EXPECT_TRUE(updated.insert(username).second) << "two user.updated events for " << username;
      EXPECT_EQ(created.count(username), 1u) << username << " updated before its user.created event";
    } else {
      ADD_FAILURE() << "unexpected event " << event.dump();
    }
  }
  EXPECT_EQ(ids.size(), events.size()) << "event ids are unique";
  EXPECT_EQ(created.size(), static_cast<std::size_t>(kWorkers * kPerWorker));
  EXPECT_EQ(list_usernames().size(), created.size()) << "every user has its event, every event its user";
}

}  // namespace
}  // namespace usersctl::e2e
