// Settings (issue 14): keys, rules, defaults, the event, and the allocation they steer.

#include <gtest/gtest.h>

#include "core/id_allocator.hpp"
#include "core/settings.hpp"
#include "core/user_service.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;

namespace {

class SettingsTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Database> db = store::open_database("sqlite::memory:");
  MutationRunner runner{*db, db->records(), db->outbox(), "tester"};
  SettingsService settings{runner, *db};
  UserService users{runner, *db};
};

}  // namespace

TEST_F(SettingsTest, DefaultsUntilSet) {
  EXPECT_EQ(settings.get("uid_range"), "1000-59999");
  EXPECT_EQ(settings.get("home_base"), "/home");
  const auto changes = settings.set("home_base", "/export/home");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, model::ChangeType::SettingChanged);
  EXPECT_EQ(changes[0].setting->previous, "/home");
  EXPECT_EQ(settings.get("home_base"), "/export/home");
  EXPECT_TRUE(settings.set("home_base", "/export/home").empty());
  std::vector<std::string> keys;
  settings.list([&](const std::string& key, const std::string&) { keys.push_back(key); });
  EXPECT_EQ(keys, setting_keys());
}

TEST_F(SettingsTest, UnknownKeysAreUsageErrorsBadValuesInvalid) {
  EXPECT_THROW(settings.get("colour"), UsageError);
  EXPECT_THROW(settings.set("colour", "red"), UsageError);
  EXPECT_THROW(settings.set("uid_range", "9-1"), Invalid);
  EXPECT_THROW(settings.set("default_shell", "bash"), Invalid);
  EXPECT_THROW(settings.set("home_base", "/home/"), Invalid);
  EXPECT_NO_THROW(validate_setting("home_base", "/"));
}

TEST_F(SettingsTest, AllocationSkipsReservedIdsAndNamesTheSettingWhenFull) {
  settings.set("uid_range", "65533-65536");
  NewUser a;
  a.username = "a";
  EXPECT_EQ(users.add(a, IfExists::Fail).at(0).user->uid, 65533);
  a.username = "b";
  EXPECT_EQ(users.add(a, IfExists::Fail).at(0).user->uid, 65536) << "65534 and 65535 are reserved";
  a.username = "c";
  try {
    users.add(a, IfExists::Fail);
    ADD_FAILURE() << "the range is full";
  } catch (const Conflict& full) {
    EXPECT_STREQ(
        full.what(),
        "no free uid in uid_range 65533-65536; widen it with: usersctl settings set uid_range 65533-99999");
  }
  EXPECT_EQ(skip_reserved_ids(60001), 60514);
  EXPECT_EQ(skip_reserved_ids(1000), 1000);
}
