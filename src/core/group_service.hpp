#pragma once
// Groups and memberships, as groupadd/gpasswd manage them; each call one transaction.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutation.hpp"
#include "core/user_service.hpp"
#include "model/change.hpp"
#include "model/group.hpp"
#include "store/database.hpp"

namespace usersctl::core {

enum class MemberPolicy { RefuseMembers, RemoveMembers };  // group delete [--force]

struct NewGroup {
  std::string name;
  std::optional<std::int64_t> gid;
  std::string description;
};

class GroupService {
 public:
  GroupService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  std::vector<model::Change> create(const NewGroup& group, IfExists if_exists);
  std::vector<model::Change> remove(std::string_view name, MemberPolicy members, IfMissing if_missing);
  std::vector<model::Change> rename(std::string_view old_name, std::string_view new_name);
  // Membership changes are all or nothing: one unknown user changes nothing. Members
  // already there (or already absent) are skipped without error.
  std::vector<model::Change> add_members(std::string_view group, const std::vector<std::string>& users);
  std::vector<model::Change> remove_members(std::string_view group, const std::vector<std::string>& users);
  // Makes the membership exactly `users` (gpasswd -M).
  std::vector<model::Change> set_members(std::string_view group, const std::vector<std::string>& users);

  model::Group show(std::string_view name);
  // All groups, or those `member` belongs to (NotFound when that user does not exist).
  void list(const std::optional<std::string>& member, const std::function<void(const model::Group&)>& sink);

 private:
  std::vector<model::Change> change_members(std::string_view group, const std::vector<std::string>& users,
                                            model::ChangeType type);
  model::Group require_group(std::string_view name);
  // A user a membership command names: only what the change needs before its event, so that
  // memory per member stays small (the event's full record is read when the change is recorded).
  struct Member {
    std::int64_t id = 0;
    std::string username;
  };
  std::vector<Member> require_users(const std::vector<std::string>& names);
  // Records one membership change per user and bumps the group's version once.
  void record_membership(model::Group group, const std::vector<std::string>& usernames,
                         model::ChangeType type, std::vector<model::Change>& changes);

  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
