#include "model/change.hpp"

#include <utility>

namespace usersctl::model {

Change membership_change(ChangeType type, User user, Group group, std::int64_t member_count) {
  group.members.clear();
  group.members.shrink_to_fit();
  Change change{type, std::move(user), std::move(group), {"members"}};
  change.member_count = member_count;
  return change;
}

const char* change_type_name(ChangeType type) {
  switch (type) {
    case ChangeType::UserCreated:
      return "user.created";
    case ChangeType::UserUpdated:
      return "user.updated";
    case ChangeType::UserDeleted:
      return "user.deleted";
    case ChangeType::GroupCreated:
      return "group.created";
    case ChangeType::GroupUpdated:
      return "group.updated";
    case ChangeType::GroupDeleted:
      return "group.deleted";
    case ChangeType::MemberAdded:
      return "group.member_added";
    case ChangeType::MemberRemoved:
      return "group.member_removed";
    case ChangeType::SettingChanged:
      return "settings.changed";
    case ChangeType::UserRestored:
      return "user.restored";
    case ChangeType::UserPurged:
      return "user.purged";
    case ChangeType::GroupRestored:
      return "group.restored";
    case ChangeType::GroupPurged:
      return "group.purged";
  }
  return "unknown";
}

}  // namespace usersctl::model
