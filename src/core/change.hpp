#pragma once
// What one mutation changed, one entry per changed entity. The service collects these
// inside the write transaction; they become the events of DESIGN.md §6.

#include <optional>
#include <string>
#include <vector>

#include "core/group.hpp"
#include "core/user.hpp"

namespace usersctl::core {

enum class ChangeType {
  UserCreated,
  UserUpdated,
  UserDeleted,
  GroupCreated,
  GroupUpdated,
  GroupDeleted,
  MemberAdded,
  MemberRemoved,
};

struct Change {
  ChangeType type;
  std::optional<User> user;                 // the record after the change (its last state for deletes)
  std::optional<Group> group;               // likewise for group changes and memberships
  std::vector<std::string> changed_fields;  // for updates
};

// "user.created", "group.member_added", …
const char* change_type_name(ChangeType type);

}  // namespace usersctl::core
