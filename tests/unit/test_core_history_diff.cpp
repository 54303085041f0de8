// The before/after diff of `usersctl history`, from events as the envelope writes them.

#include <gtest/gtest.h>

#include "core/event_envelope.hpp"
#include "core/history_diff.hpp"
#include "core/time_point.hpp"
#include "util/errors.hpp"

using namespace usersctl::core;
using namespace usersctl::model;
using Json = nlohmann::ordered_json;

namespace {

User alice() {
  User user;
  user.id = 7;
  user.username = "alice";
  user.uid = 1000;
  user.gid = 1000;
  user.email = "alice@example.com";
  user.name = "Alice";
  user.home = "/home/alice";
  user.shell = "/bin/bash";
  user.created_at = user.updated_at = "2026-11-22T10:00:00.123Z";
  user.created_by = user.updated_by = "root";
  return user;
}

StoredEvent stored(const Change& change, std::int64_t sequence) {
  StoredEvent event;
  event.sequence = sequence;
  event.type = change_type_name(change.type);
  event.time = "2026-11-22T10:00:0" + std::to_string(sequence) + ".000Z";
  event.body = event_json(change, {sequence, "id", event.time, "hr-sync"});
  return event;
}

Change update(User before, User after, std::vector<std::string> fields) {
  Change change{ChangeType::UserUpdated, std::move(after), std::nullopt, std::move(fields)};
  change.user_before = std::make_shared<const User>(std::move(before));
  return change;
}

}  // namespace

TEST(HistoryDiff, UpdateEventCarriesBeforeOfChangedFieldsOnly) {
  User after = alice();
  after.email = "a@example.org";
  after.shell = "/bin/zsh";
  const Json event = Json::parse(stored(update(alice(), after, {"email", "shell"}), 3).body);
  EXPECT_EQ(event["data"]["before"], (Json{{"email", "alice@example.com"}, {"shell", "/bin/bash"}}));
  EXPECT_EQ(event["data"]["user"]["email"], "a@example.org");
}

TEST(HistoryDiff, PasswordIsOnlyChanged) {
  const Json event = Json::parse(stored(update(alice(), alice(), {"password"}), 3).body);
  EXPECT_EQ(event["data"]["before"], (Json{{"password", "changed"}}));
  const HistoryEntry entry =
      history_entry(stored(update(alice(), alice(), {"password"}), 3), RecordKind::User);
  EXPECT_EQ(entry.changes, (Json{{"password", {{"before", "changed"}, {"after", "changed"}}}}));
}

TEST(HistoryDiff, UpdateShowsBeforeAndAfterWithActorAndSequence) {
  User after = alice();
  after.username = "alicia";
  after.attrs = {{"team", "ops"}};
  const HistoryEntry entry =
      history_entry(stored(update(alice(), after, {"username", "attrs"}), 4), RecordKind::User);
  EXPECT_EQ(entry.sequence, 4);
  EXPECT_EQ(entry.actor, "hr-sync");
  EXPECT_EQ(entry.type, "user.updated");
  EXPECT_EQ(entry.changes["username"], (Json{{"before", "alice"}, {"after", "alicia"}}));
  EXPECT_EQ(entry.changes["attrs"], (Json{{"before", Json::object()}, {"after", {{"team", "ops"}}}}));
  EXPECT_EQ(entry.changes.size(), 2u);
  const Json line = history_record(entry);
  std::vector<std::string> keys;
  for (const auto& [key, value] : line.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"sequence", "time", "actor", "type", "changes"}));
}

TEST(HistoryDiff, OlderUpdateWithoutBeforeShowsNull) {
  User after = alice();
  after.name = "Alice B";
  Change change{ChangeType::UserUpdated, after, std::nullopt, {"name"}};
  const HistoryEntry entry = history_entry(stored(change, 2), RecordKind::User);
  EXPECT_EQ(entry.changes["name"], (Json{{"before", nullptr}, {"after", "Alice B"}}));
}

TEST(HistoryDiff, CreationIsEveryFieldAfterDeletionEveryFieldBefore) {
  const HistoryEntry created =
      history_entry(stored({ChangeType::UserCreated, alice(), std::nullopt, {}}, 1), RecordKind::User);
  EXPECT_EQ(created.changes["username"], (Json{{"before", nullptr}, {"after", "alice"}}));
  EXPECT_EQ(created.changes["uid"], (Json{{"before", nullptr}, {"after", 1000}}));
  EXPECT_FALSE(created.changes.contains("version"));
  EXPECT_FALSE(created.changes.contains("created_at"));
  const HistoryEntry deleted =
      history_entry(stored({ChangeType::UserDeleted, alice(), std::nullopt, {}}, 9), RecordKind::User);
  EXPECT_EQ(deleted.changes["email"], (Json{{"before", "alice@example.com"}, {"after", nullptr}}));
}

TEST(HistoryDiff, MembershipFromTheUserAndFromTheGroup) {
  User member = alice();
  member.groups = {"dev", "wheel"};
  Group dev;
  dev.id = 3;
  dev.name = "dev";
  dev.gid = 2000;
  dev.members = {"alice", "bob"};
  const StoredEvent added = stored({ChangeType::MemberAdded, member, dev, {"members"}}, 5);
  EXPECT_EQ(history_entry(added, RecordKind::User).changes["groups"],
            (Json{{"before", {"wheel"}}, {"after", {"dev", "wheel"}}}));
  EXPECT_EQ(history_entry(added, RecordKind::Group).changes["members"],
            (Json{{"before", {"bob"}}, {"after", {"alice", "bob"}}}));
  member.groups = {"wheel"};
  dev.members = {"bob"};
  const StoredEvent removed = stored({ChangeType::MemberRemoved, member, dev, {"members"}}, 6);
  EXPECT_EQ(history_entry(removed, RecordKind::User).changes["groups"],
            (Json{{"before", {"dev", "wheel"}}, {"after", {"wheel"}}}));
}

TEST(HistoryDiff, GroupRenameCarriesTheOldName) {
  Group before;
  before.name = "dev";
  Group after = before;
  after.name = "developers";
  Change change{ChangeType::GroupUpdated, std::nullopt, after, {"name"}};
  change.group_before = std::make_shared<const Group>(before);
  const HistoryEntry entry = history_entry(stored(change, 8), RecordKind::Group);
  EXPECT_EQ(entry.changes["name"], (Json{{"before", "dev"}, {"after", "developers"}}));
}

TEST(HistoryDiff, UnreadableBodyGivesNoChanges) {
  StoredEvent event;
  event.sequence = 1;
  event.type = "user.updated";
  event.body = "not json";
  EXPECT_TRUE(history_entry(event, RecordKind::User).changes.empty());
}

TEST(TimePoint, DatesAndTimesBecomeStoredForm) {
  EXPECT_EQ(parse_time_arg("2026-12-01", "--since"), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(parse_time_arg("2026-12-01T10:20:30Z", "--since"), "2026-12-01T10:20:30.000Z");
  EXPECT_EQ(parse_time_arg("2026-12-01T10:20:30.5+02:00", "--since"), "2026-12-01T08:20:30.500Z");
  EXPECT_THROW(parse_time_arg("2026-02-30", "--since"), usersctl::UsageError);
  EXPECT_THROW(parse_time_arg("yesterday", "--since"), usersctl::UsageError);
  EXPECT_TRUE(is_sequence_arg("42"));
  EXPECT_FALSE(is_sequence_arg("2026-12-01"));
}
