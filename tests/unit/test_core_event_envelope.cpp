#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/event_envelope.hpp"

using namespace usersctl::core;
using namespace usersctl::model;

namespace {

User alice() {
  User user;
  user.username = "alice";
  user.uid = 1000;
  user.email = "alice@example.com";
  user.created_at = user.updated_at = "2026-11-22T10:00:00.123Z";
  user.created_by = user.updated_by = "root";
  return user;
}

}  // namespace

TEST(EventEnvelope, IsCloudEventsWithSequenceAsString) {
  const Change change{ChangeType::UserUpdated, alice(), std::nullopt, {"email"}};
  const auto event = nlohmann::ordered_json::parse(
      event_json(change, {42, "0b5e1c9e-0000-4000-8000-000000000000", "2026-11-22T10:00:00.123Z", "root"}));
  EXPECT_EQ(event["specversion"], "1.0");
  EXPECT_EQ(event["id"], "0b5e1c9e-0000-4000-8000-000000000000");
  EXPECT_EQ(event["source"], "usersctl");
  EXPECT_EQ(event["type"], "user.updated");
  EXPECT_EQ(event["time"], "2026-11-22T10:00:00.123Z");
  EXPECT_EQ(event["subject"], "users/alice");
  EXPECT_EQ(event["sequence"], "42");
  EXPECT_EQ(event["datacontenttype"], "application/json");
  EXPECT_EQ(event["data"]["user"]["email"], "alice@example.com");
  EXPECT_EQ(event["data"]["changes"], nlohmann::ordered_json::array({"email"}));
  EXPECT_EQ(event["data"]["actor"], "root");
  EXPECT_FALSE(event["data"]["user"].contains("password_hash"));
}

TEST(EventEnvelope, MemberEventsCarryTheGroupTheMemberAndTheCountNotTheMemberList) {
  Group group;
  group.name = "dev";
  for (int i = 0; i < 1000; ++i) group.members.push_back("member" + std::to_string(i));
  const Change change = membership_change(ChangeType::MemberAdded, alice(), group, 1001);
  EXPECT_EQ(event_subject(change), "groups/dev");
  const auto event = nlohmann::json::parse(event_json(change, {1, "id", "t", "root"}));
  EXPECT_EQ(event["type"], "group.member_added");
  EXPECT_EQ(event["data"]["group"]["name"], "dev");
  EXPECT_FALSE(event["data"]["group"].contains("members")) << event.dump();
  EXPECT_EQ(event["data"]["group"]["member_count"], 1001);
  EXPECT_EQ(event["data"]["user"]["username"], "alice");
  EXPECT_EQ(event["data"]["changes"], nlohmann::json::array({"members"}));
  EXPECT_LT(event["data"].dump().size(), 1024u);
}

TEST(EventEnvelope, IsOneLine) {
  User user = alice();
  user.name = "Zoë";
  const std::string line = event_json({ChangeType::UserCreated, user, std::nullopt, {}}, {1, "id", "t", "a"});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("Zoë"), std::string::npos);
}

TEST(EventEnvelope, PartitionKeyIsTheRecordsStableIdNotItsName) {
  User user = alice();
  user.id = 17;
  const Change created{ChangeType::UserCreated, user, std::nullopt, {}};
  EXPECT_EQ(event_partition_key(created), "user:17");
  user.username = "alicia";  // a rename keeps the key
  const auto event = nlohmann::json::parse(
      event_json({ChangeType::UserUpdated, user, std::nullopt, {"username"}}, {2, "id", "t", "root"}));
  EXPECT_EQ(event["partitionkey"], "user:17");
  Group group;
  group.id = 3;
  group.name = "dev";
  EXPECT_EQ(event_partition_key({ChangeType::MemberAdded, user, group, {"members"}}), "group:3");
  Change setting{ChangeType::SettingChanged, std::nullopt, std::nullopt, {}};
  setting.setting = Setting{"uid_range", "1000-1999", "1000-59999"};
  EXPECT_EQ(event_partition_key(setting), "setting:uid_range");
}
