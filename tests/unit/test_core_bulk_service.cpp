#include <gtest/gtest.h>

#include <sstream>

#include "core/bulk_service.hpp"
#include "core/user_reader.hpp"
#include "core/user_service.hpp"
#include "store/database.hpp"

namespace usersctl::core {
namespace {

using namespace usersctl::model;

class BulkServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Database> store = store::open_database("sqlite::memory:");
  MutationRunner runner{*store, store->records(), store->outbox(), "tester"};
  BulkService bulk{runner, *store};
  UserService users{runner, *store};

  BulkSummary load(const std::string& jsonl, BulkOptions options = {},
                   const std::vector<GroupInput>& groups = {}, std::vector<std::string>* plan = nullptr) {
    std::istringstream in(jsonl);
    auto reader = make_user_reader(InputFormat::Jsonl, in, "t.jsonl", nullptr);
    PlanSink sink;
    if (plan)
      sink = [plan](const PlannedChange& step) { plan->push_back(change_type_name(step.change.type)); };
    return bulk.load(*reader, groups, options, sink, {});
  }
  std::int64_t event_count() {
    std::int64_t n = 0;
    store->read([&] { n = store->outbox().last_event_sequence(); });
    return n;
  }
  std::vector<std::string> usernames() {
    std::vector<std::string> names;
    users.list(UserQuery{}, [&](const User& user) { names.push_back(user.username); });
    return names;
  }
};

TEST_F(BulkServiceTest, CreatesEveryUserWithOneEventEachAndAllocatesUids) {
  const auto summary =
      load("{\"username\":\"a\"}\n{\"username\":\"b\",\"uid\":5000}\n{\"username\":\"c\"}\n");
  EXPECT_EQ(summary.created, 3);
  EXPECT_EQ(event_count(), 3);
  EXPECT_EQ(users.show("a").uid, 1000);
  EXPECT_EQ(users.show("c").uid, 5001) << "past the explicit uid, as useradd's highest plus one";
}

TEST_F(BulkServiceTest, ManyUsersSpanSeveralBatches) {
  std::string lines;
  for (int i = 0; i < 2500; ++i) lines += "{\"username\":\"u" + std::to_string(i) + "\"}\n";
  EXPECT_EQ(load(lines).created, 2500);
  EXPECT_EQ(event_count(), 2500);
  EXPECT_EQ(users.show("u2499").uid, 3499);
}

TEST_F(BulkServiceTest, AnyProblemWritesNothingAndReportsEachByLine) {
  try {
    load("{\"username\":\"a\"}\n{\"username\":\"B\"}\n{\"username\":\"a\"}\n");
    FAIL() << "expected a BulkFailure";
  } catch (const BulkFailure& failure) {
    EXPECT_EQ(failure.code(), ExitCode::Invalid);
    ASSERT_EQ(failure.problems.size(), 2u);
    EXPECT_NE(failure.problems[0].find("t.jsonl: line 2"), std::string::npos);
    EXPECT_NE(failure.problems[1].find("line 3: user 'a' appears more than once"), std::string::npos);
  }
  EXPECT_TRUE(usernames().empty());
  EXPECT_EQ(event_count(), 0);
}

TEST_F(BulkServiceTest, OnlyConflictsWithTheDatabaseAreExitFour) {
  load("{\"username\":\"a\",\"email\":\"a@example.org\"}\n");
  try {
    load("{\"username\":\"b\",\"email\":\"A@example.org\"}\n");
    FAIL();
  } catch (const BulkFailure& failure) {
    EXPECT_EQ(failure.code(), ExitCode::Conflict);
    EXPECT_NE(failure.problems[0].find("already used by user 'a'"), std::string::npos);
  }
}

TEST_F(BulkServiceTest, ProblemsStopAtTheLimit) {
  BulkOptions options;
  options.max_problems = 3;
  std::string lines;
  for (int i = 0; i < 10; ++i) lines += "{\"username\":\"BAD\"}\n";
  try {
    load(lines, options);
    FAIL();
  } catch (const BulkFailure& failure) {
    EXPECT_EQ(failure.problems.size(), 3u);
    EXPECT_TRUE(failure.truncated);
  }
}

TEST_F(BulkServiceTest, DryRunReportsThePlanAndWritesNothing) {
  BulkOptions options;
  options.run = BulkRun::DryRun;
  std::vector<std::string> plan;
  const auto summary = load("{\"username\":\"a\"}\n", options, {}, &plan);
  EXPECT_EQ(summary.created, 1);
  EXPECT_EQ(plan, std::vector<std::string>{"user.created"});
  EXPECT_TRUE(usernames().empty());
  EXPECT_EQ(event_count(), 0);
}

TEST_F(BulkServiceTest, UpdateChangesOnlyWhatDiffersAndPruneDeletesTheRest) {
  load("{\"username\":\"a\",\"name\":\"A\"}\n{\"username\":\"b\"}\n{\"username\":\"c\"}\n");
  BulkOptions options;
  options.existing = ExistingUser::Update;
  options.absent = AbsentUser::Delete;
  std::vector<std::string> plan;
  const auto summary =
      load("{\"username\":\"a\",\"name\":\"New\"}\n{\"username\":\"b\"}\n", options, {}, &plan);
  EXPECT_EQ(summary.updated, 1);
  EXPECT_EQ(summary.unchanged, 1);
  EXPECT_EQ(summary.deleted, 1);
  EXPECT_EQ(plan, (std::vector<std::string>{"user.updated", "user.deleted"}));
  EXPECT_EQ(usernames(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(users.show("a").name, "New");
  const auto again = load("{\"username\":\"a\",\"name\":\"New\"}\n{\"username\":\"b\"}\n", options);
  EXPECT_EQ(again.changes(), 0);
}

TEST_F(BulkServiceTest, UpdateModeStillFindsAUserTheFileNamesTwice) {
  load("{\"username\":\"old\"}\n");
  BulkOptions options;
  options.existing = ExistingUser::Update;
  for (const char* file : {"{\"username\":\"new\"}\n{\"username\":\"new\"}\n",
                           "{\"username\":\"old\"}\n{\"username\":\"old\"}\n"}) {
    try {
      load(file, options);
      FAIL() << file;
    } catch (const BulkFailure& failure) {
      EXPECT_EQ(failure.code(), ExitCode::Invalid);
      EXPECT_NE(failure.problems[0].find("line 2: user '"), std::string::npos) << failure.problems[0];
      EXPECT_NE(failure.problems[0].find("appears more than once"), std::string::npos) << failure.problems[0];
    }
  }
  EXPECT_EQ(usernames(), std::vector<std::string>{"old"});
}

TEST_F(BulkServiceTest, GroupFileCreatesGroupsAndJoinsMembers) {
  std::vector<GroupInput> groups = {{1, "devs", 2000, {"a"}, "", std::nullopt}};
  const auto summary = load("{\"username\":\"a\"}\n", {}, groups);
  EXPECT_EQ(summary.groups_created, 1);
  EXPECT_EQ(users.show("a").groups, std::vector<std::string>{"devs"});
}

}  // namespace
}  // namespace usersctl::core

namespace usersctl::core {

// The text scan must find every id the reader would, or allocation could hand out one a later
// line asks for: spaced keys, ids in any field order, escaped key names (parsed properly).
TEST(CollectJsonlIds, FindsEveryUidAndGidTheReaderWould) {
  std::istringstream in(
      "{\"username\":\"a\",\"uid\" : 1500}\n"
      "{\"gid\":700,\"username\":\"b\"}\n"
      "{\"username\":\"c\",\"\\u0075id\":1600}\n"
      "{\"username\":\"d\"}\n"
      "not json at all\n"
      "{\"username\":\"e\",\"uid\":1500}\n");
  EXPECT_EQ(collect_jsonl_ids(in, "f"), (std::vector<std::int64_t>{700, 1500, 1600}));
}

// The text scan matches what collect_file_ids finds through the reader on ordinary input.
TEST(CollectJsonlIds, AgreesWithTheReaderOnPlainLines) {
  const std::string text =
      "{\"username\":\"a\",\"uid\":2001,\"gid\":3001}\n{\"username\":\"b\"}\n{\"username\":\"c\",\"uid\":"
      "2002}\n";
  std::istringstream scanned(text);
  std::istringstream parsed(text);
  const auto reader = make_user_reader(InputFormat::Jsonl, parsed, "f", nullptr);
  EXPECT_EQ(collect_jsonl_ids(scanned, "f"), collect_file_ids(*reader));
}

}  // namespace usersctl::core
