#pragma once
// What one mutation changed, one entry per changed entity. The service collects these
// inside the write transaction; they become the events of the man page (EVENT FORMAT).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/group.hpp"
#include "model/user.hpp"

namespace usersctl::model {

enum class ChangeType {
  UserCreated,
  UserUpdated,
  UserDeleted,
  GroupCreated,
  GroupUpdated,
  GroupDeleted,
  MemberAdded,
  MemberRemoved,
  SettingChanged,
  UserRestored,  // back from the recycle bin
  UserPurged,    // removed from the recycle bin for good
  GroupRestored,
  GroupPurged,
};

// A database-wide setting (`usersctl settings`), with its value before a change.
struct Setting {
  std::string key;
  std::string value;
  std::string previous;
};

struct Change {
  ChangeType type;
  std::optional<model::User> user;                // the record after the change (its last state for deletes)
  std::optional<model::Group> group;              // likewise for group changes and memberships
  std::vector<std::string> changed_fields;        // for updates
  std::optional<Setting> setting = std::nullopt;  // SettingChanged only
  // Membership changes only: the group's member count after this one. Their `group` has no
  // member list (membership_change()).
  std::optional<std::int64_t> member_count = std::nullopt;
  // The record before an update: the event's data.before holds its value of each changed field.
  // Held by pointer: only updates have one, and a long list of changes (a group's members) should
  // not carry two empty records' room each.
  std::shared_ptr<const model::User> user_before = nullptr;
  std::shared_ptr<const model::Group> group_before = nullptr;
};

// A membership change: `user` joined or left `group`, which then has `member_count` members.
// The group is kept without its member list: one event per member must not carry the whole list
// (20,000 members would make 20,000 copies of 20,000 names).
Change membership_change(ChangeType type, User user, Group group, std::int64_t member_count);

// One step of the work, as it happens (or would, in a dry run): the change, the record as it
// was before (updates), and the line of the file it came from (0: not from a line).
struct PlannedChange {
  const Change& change;
  const User* before;
  std::size_t line;
};
using PlanSink = std::function<void(const PlannedChange&)>;

// What a change type is called: in events ("user.created"), in plans ("create") and in one-line
// summaries ("created"); and whether it is about a group. One row per type, in the enum's order.
struct ChangeTypeNames {
  ChangeType type;
  const char* event;
  const char* action;
  const char* past;
  bool about_group;
};
std::span<const ChangeTypeNames> change_types();
const ChangeTypeNames& names_of(ChangeType type);

// "user.created", "group.member_added", …
inline const char* change_type_name(ChangeType type) { return names_of(type).event; }

}  // namespace usersctl::model
