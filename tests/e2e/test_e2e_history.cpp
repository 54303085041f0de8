// usersctl history and show --as-of: a record's changes read back from the event log, through
// renames, attribute edits and group changes, on both backends.

#include <string>
#include <vector>

#include "e2e_fixture.hpp"

namespace usersctl::e2e {
namespace {

class HistoryTest : public E2eTest {
 protected:
  std::vector<json> history(std::vector<std::string> args) {
    args.insert(args.begin(), "history");
    const RunResult r = cli(args);
    EXPECT_TRUE(Succeeded(r)) << r;
    return parse_jsonl(r.out);
  }
  std::int64_t last_sequence() {
    const auto events = parse_jsonl(cli({"events", "list"}).out);
    return events.empty() ? 0 : std::stoll(events.back()["sequence"].get<std::string>());
  }
};
USERSCTL_E2E_INSTANTIATE(HistoryTest);

TEST_P(HistoryTest, FollowsRenamesAttributeEditsAndGroupChanges) {
  add_group("dev");
  add_user("alice", {"--email", "alice@example.com"});
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--attr", "team=ops", "--email", "a@example.org"})));
  ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "dev", "alice"})));
  ASSERT_TRUE(MutationSucceeded(cli({"update", "alice", "--rename", "alicia"})));
  ASSERT_TRUE(MutationSucceeded(cli({"passwd", "alicia", "--password-stdin"}, "s3cret-pass\n")));

  std::vector<json> lines = history({"alicia"});
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["type"], "user.updated");  // newest first: the password
  EXPECT_EQ(lines[0]["changes"]["password"], (json{{"before", "changed"}, {"after", "changed"}}));
  EXPECT_EQ(lines[1]["changes"]["username"], (json{{"before", "alice"}, {"after", "alicia"}}));
  EXPECT_EQ(lines[2]["type"], "group.member_added");
  EXPECT_EQ(lines[2]["changes"]["groups"], (json{{"before", json::array()}, {"after", {"dev"}}}));
  EXPECT_EQ(lines[3]["changes"]["email"],
            (json{{"before", "alice@example.com"}, {"after", "a@example.org"}}));
  EXPECT_EQ(lines[3]["changes"]["attrs"], (json{{"before", json::object()}, {"after", {{"team", "ops"}}}}));
  EXPECT_EQ(lines[4]["type"], "user.created");
  EXPECT_EQ(lines[4]["actor"], "tester");
  EXPECT_GT(lines[0]["sequence"].get<std::int64_t>(), lines[1]["sequence"].get<std::int64_t>());
  EXPECT_TRUE(is_rfc3339_utc(lines[0]["time"].get<std::string>()));
  EXPECT_EQ(lines[0].size(), 5u);  // sequence, time, actor, type, changes

  EXPECT_EQ(history({"alicia", "--limit", "2"}).size(), 2u);
  const std::int64_t rename = lines[1]["sequence"].get<std::int64_t>();
  EXPECT_EQ(history({"alicia", "--since", std::to_string(rename)}).size(), 1u);
  // The old name still finds the record it was.
  EXPECT_EQ(history({"alice"}).size(), 5u);
}

TEST_P(HistoryTest, GroupHistoryThroughRenameAndMembers) {
  add_group("dev");
  add_user("bob");
  ASSERT_TRUE(MutationSucceeded(cli({"group", "add", "dev", "bob"})));
  ASSERT_TRUE(MutationSucceeded(cli({"group", "rename", "dev", "developers"})));
  std::vector<json> lines = history({"--group", "developers"});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["changes"]["name"], (json{{"before", "dev"}, {"after", "developers"}}));
  EXPECT_EQ(lines[1]["changes"]["members"], (json{{"before", json::array()}, {"after", {"bob"}}}));
  EXPECT_EQ(lines[2]["type"], "group.created");
}

TEST_P(HistoryTest, WorksForDeletedUsers) {
  add_user("carol", {"--name", "Carol"});
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "carol"})));
  std::vector<json> lines = history({"carol"});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["type"], "user.deleted");
  EXPECT_EQ(lines[0]["changes"]["name"], (json{{"before", "Carol"}, {"after", nullptr}}));
}

TEST_P(HistoryTest, UnknownRecordAndBadArguments) {
  add_user("alice");
  EXPECT_TRUE(Failed(cli({"history", "ghost"}), 3, "ghost"));
  EXPECT_TRUE(Failed(cli({"history", "--group", "ghosts"}), 3, "ghosts"));
  EXPECT_TRUE(Failed(cli({"history"}), 2));
  EXPECT_TRUE(Failed(cli({"history", "alice", "--since", "yesterday"}), 2, "--since"));
}

TEST_P(HistoryTest, ShowAsOfASequence) {
  add_user("alice", {"--email", "alice@example.com"});
  const std::int64_t created = last_sequence();
  ASSERT_TRUE(
      MutationSucceeded(cli({"update", "alice", "--email", "new@example.com", "--rename", "alicia"})));
  const std::int64_t renamed = last_sequence();

  RunResult r = cli({"show", "alice", "--as-of", std::to_string(created)});
  ASSERT_TRUE(Succeeded(r)) << r;
  json then = parse_json(r.out);
  EXPECT_EQ(then["email"], "alice@example.com");
  EXPECT_EQ(then["username"], "alice");
  // After the rename no user was called alice; alicia was.
  EXPECT_TRUE(Failed(cli({"show", "alice", "--as-of", std::to_string(renamed)}), 3, "alice"));
  EXPECT_TRUE(Failed(cli({"show", "alicia", "--as-of", std::to_string(created)}), 3, "alicia"));
  r = cli({"show", "alicia", "--as-of", std::to_string(renamed)});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(parse_json(r.out)["email"], "new@example.com");
  // Before anything existed, and by time.
  EXPECT_TRUE(Failed(cli({"show", "alice", "--as-of", "2000-01-01"}), 3));
  r = cli({"show", "alicia", "--as-of", "2999-01-01T00:00:00Z"});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(parse_json(r.out)["username"], "alicia");
}

TEST_P(HistoryTest, ShowAsOfAfterDeleteIsNotFound) {
  add_user("dave");
  const std::int64_t created = last_sequence();
  ASSERT_TRUE(MutationSucceeded(cli({"delete", "dave"})));
  EXPECT_TRUE(Succeeded(cli({"show", "dave", "--as-of", std::to_string(created)})));
  EXPECT_TRUE(Failed(cli({"show", "dave", "--as-of", std::to_string(last_sequence())}), 3, "dave"));
}

// A bulk load writes its events many to a statement (and by COPY on PostgreSQL): each still
// names its record, so the history and --as-of of every imported user are there, whichever
// batch its event went in (the 64-row batches once lost them; the remainder rows kept them).
TEST_P(HistoryTest, EveryImportedUserHasItsHistory) {
  std::string lines;
  for (int i = 0; i < 150; ++i) {
    lines += R"({"username":"bulk)" + std::to_string(i) + R"(","email":"bulk)" + std::to_string(i) +
             R"(@example.com"})" + "\n";
  }
  ASSERT_TRUE(MutationSucceeded(cli({"import", temp_file("users.jsonl", lines)})));
  const std::int64_t loaded = last_sequence();
  ASSERT_TRUE(MutationSucceeded(cli({"update", "bulk0", "--rename", "first"})));
  for (const std::string name : {"first", "bulk63", "bulk64", "bulk149"}) {
    const std::vector<json> events = history({name});
    ASSERT_FALSE(events.empty()) << name;
    EXPECT_EQ(events.back()["type"], "user.created") << name;
    EXPECT_EQ(events.back()["changes"]["email"]["before"], nullptr) << name;
  }
  const RunResult r = cli({"show", "bulk0", "--as-of", std::to_string(loaded)});
  ASSERT_TRUE(Succeeded(r)) << r;
  EXPECT_EQ(parse_json(r.out)["email"], "bulk0@example.com");
}

}  // namespace
}  // namespace usersctl::e2e
