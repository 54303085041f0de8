#include "model/change.hpp"

#include <array>
#include <iterator>
#include <string_view>
#include <utility>

namespace usersctl::model {

Change membership_change(ChangeType type, User user, Group group, std::int64_t member_count) {
  group.members.clear();
  group.members.shrink_to_fit();
  Change change{type, std::move(user), std::move(group), {"members"}};
  change.member_count = member_count;
  return change;
}

namespace {

constexpr std::size_t kCount = static_cast<std::size_t>(ChangeType::GroupPurged) + 1;

// Column by column, in the enum's order (UserCreated, UserUpdated, UserDeleted, GroupCreated,
// GroupUpdated, GroupDeleted, MemberAdded, MemberRemoved, SettingChanged, UserRestored, UserPurged,
// GroupRestored, GroupPurged): a type added after GroupPurged must be added to kCount too.
constexpr const char* kEvents[] = {
    "user.created",  "user.updated",       "user.deleted",         "group.created",    "group.updated",
    "group.deleted", "group.member_added", "group.member_removed", "settings.changed", "user.restored",
    "user.purged",   "group.restored",     "group.purged"};
constexpr const char* kActions[] = {"create", "update",     "delete",        "create", "update",
                                    "delete", "add_member", "remove_member", "set",    "restore",
                                    "purge",  "restore",    "purge"};
constexpr const char* kPast[] = {"created", "updated", "deleted",  "created", "updated",  "deleted", "added",
                                 "removed", "set",     "restored", "purged",  "restored", "purged"};
static_assert(std::size(kEvents) == kCount && std::size(kActions) == kCount && std::size(kPast) == kCount,
              "one name per ChangeType in each column");

constexpr std::array<ChangeTypeNames, kCount> table() {
  std::array<ChangeTypeNames, kCount> rows{};
  for (std::size_t i = 0; i < kCount; ++i) {
    const std::string_view event = kEvents[i];
    rows[i] = {static_cast<ChangeType>(i), kEvents[i], kActions[i], kPast[i], event.substr(0, 6) == "group."};
  }
  return rows;
}

constexpr std::array<ChangeTypeNames, kCount> kChangeTypes = table();

}  // namespace

std::span<const ChangeTypeNames> change_types() { return kChangeTypes; }

const ChangeTypeNames& names_of(ChangeType type) { return kChangeTypes[static_cast<std::size_t>(type)]; }

}  // namespace usersctl::model
