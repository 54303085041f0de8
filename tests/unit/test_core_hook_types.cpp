#include <gtest/gtest.h>

#include "core/hook_types.hpp"
#include "util/errors.hpp"

using namespace usersctl;
using namespace usersctl::core;

TEST(HookTypes, Matches) {
  EXPECT_TRUE(hook_wants("*", "user.created"));
  EXPECT_TRUE(hook_wants("user.*", "user.deleted"));
  EXPECT_FALSE(hook_wants("user.*", "group.created"));
  EXPECT_TRUE(hook_wants("user.created,group.member_added", "group.member_added"));
  EXPECT_FALSE(hook_wants("user.created,group.member_added", "group.member_removed"));
  EXPECT_FALSE(hook_wants("users.*", "user.created"));
}

TEST(HookTypes, Validates) {
  EXPECT_NO_THROW(validate_hook_types("*"));
  EXPECT_NO_THROW(validate_hook_types("user.*,group.member_removed"));
  EXPECT_THROW(validate_hook_types("user.exploded"), Invalid);
  EXPECT_THROW(validate_hook_types(""), Invalid);
  EXPECT_THROW(validate_hook_types("user.*,"), Invalid);
}

TEST(HookTypes, SettingsChangedIsAKnownType) {
  EXPECT_NO_THROW(usersctl::core::validate_hook_types("settings.changed"));
  EXPECT_NO_THROW(usersctl::core::validate_hook_types("settings.*,user.*"));
  EXPECT_TRUE(usersctl::core::hook_wants("settings.*", "settings.changed"));
}
