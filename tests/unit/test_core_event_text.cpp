// event_json() writes most events as text directly (core/event_text.cpp); the line must be the
// one the json value dumps, byte for byte, for every kind of record and text.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/event_envelope.hpp"
#include "core/event_text.hpp"
#include "model/records.hpp"
#include "model/user_json.hpp"

using namespace usersctl::core;
using namespace usersctl::model;

namespace {

const EventHeader kHeader{7, "0b5e1c9e-0000-4000-8000-000000000000", "2026-11-22T10:00:00.123Z", "ro\"ot"};

User full_user() {
  User user;
  user.username = "alice";
  user.uid = 4294967294;
  user.gid = -1;
  user.name = "Ålice \"Q\" \\ Müller 日本 🎉";
  user.email = "Alice@Example.com";
  user.home = "/home/alice";
  user.shell = "/bin/zsh";
  user.groups = {"dev", "ops"};
  user.ssh_keys = {"ssh-ed25519 AAAA key one", "ssh-rsa BBBB"};
  user.attrs = {{"location", "north"}, {"room", "12\t\n\x01"}, {"ünï", ""}};
  user.disabled = true;
  user.created_at = "2026-11-22T10:00:00.123Z";
  user.updated_at = "2026-11-23T10:00:00.123Z";
  user.created_by = "root";
  user.updated_by = "bob";
  user.version = 3;
  return user;
}

Group group() {
  Group g;
  g.name = "dev";
  g.gid = 2000;
  g.description = "Developers \"all\"";
  g.members = {"alice", "bob"};
  g.created_at = g.updated_at = "2026-11-22T10:00:00.123Z";
  g.created_by = g.updated_by = "root";
  return g;
}

void expect_same(const Change& change) {
  const auto text = event_text(change, kHeader);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, event_json_value(change, kHeader));
  EXPECT_EQ(event_json(change, kHeader), event_json_value(change, kHeader));
}

}  // namespace

TEST(EventText, UserEventsAreTheBytesTheJsonValueDumps) {
  User bare;
  bare.username = "b";
  for (const User& user : {full_user(), bare}) {
    expect_same({ChangeType::UserCreated, user, std::nullopt, {}});
    expect_same({ChangeType::UserUpdated, user, std::nullopt, {"email", "attrs", "groups"}});
    expect_same({ChangeType::UserDeleted, user, std::nullopt, {}});
  }
}

TEST(EventText, GroupAndMembershipEventsAreTheBytesTheJsonValueDumps) {
  expect_same({ChangeType::GroupCreated, std::nullopt, group(), {}});
  expect_same({ChangeType::GroupUpdated, std::nullopt, group(), {"description"}});
  expect_same({ChangeType::MemberAdded, full_user(), group(), {"members"}});
  expect_same({ChangeType::MemberRemoved, full_user(), Group{}, {"members"}});
}

TEST(EventText, LeavesInvalidUtf8AndSettingsToTheJsonValue) {
  User user = full_user();
  user.name = "bad \xff byte";
  const Change bad{ChangeType::UserCreated, user, std::nullopt, {}};
  EXPECT_FALSE(event_text(bad, kHeader).has_value());
  EXPECT_EQ(event_json(bad, kHeader), event_json_value(bad, kHeader));
  EXPECT_NE(event_json(bad, kHeader).find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD, as dump() replaces";
}

TEST(UserJson, IsTheBytesOfTheRecordsDump) {
  User bare;
  for (const User& user : {full_user(), bare}) {
    std::string text = "prefix";
    ASSERT_TRUE(append_user_json(text, user));
    EXPECT_EQ(text,
              "prefix" + user_record(user).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  User bad = full_user();
  bad.attrs["k"] = "\xc3";
  std::string text = "kept";
  EXPECT_FALSE(append_user_json(text, bad));
  EXPECT_EQ(text, "kept");
}
