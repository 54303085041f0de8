#pragma once
// The recycle bin (`delete` keeps the record; `list --deleted`, `show --deleted`, `restore`,
// `purge`, `group restore`). A binned user keeps its row: uid (never reallocated while binned),
// password hash, SSH keys, attributes and memberships, so a restore brings all of it back.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutation.hpp"
#include "model/change.hpp"
#include "store/database.hpp"

namespace usersctl::core {

// Days a deleted record stays in the bin (0: delete is final); a setting, default 30.
inline constexpr const char* kRecycleDaysSetting = "recycle_days";
std::int64_t recycle_days(store::Store& store);
// Whether a record has been in the bin longer than recycle_days: what purge_expired would purge.
bool bin_has_expired(store::Store& store);

// Inside a write transaction: moves the user, or the group, to the bin (or deletes it for good
// when recycle_days is 0 or `final`). The caller records the user.deleted / group.deleted change.
void bin_or_delete_user(store::Store& store, const model::User& user, const std::string& actor, bool final);
void bin_or_delete_group(store::Store& store, const model::Group& group, const std::string& actor,
                         bool final);

class RecycleBinService {
 public:
  RecycleBinService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  void list_users(const std::function<void(const model::User&)>& sink);
  void list_groups(const std::function<void(const model::Group&)>& sink);
  model::User show_user(std::string_view username);
  // Everything back under its name or `new_name`, with its memberships of every group that still
  // exists (renamed or not: memberships are by id). Conflict when the name or uid is taken now,
  // NotFound when no such user is in the bin.
  std::vector<model::Change> restore_user(std::string_view username,
                                          const std::optional<std::string>& new_name);
  std::vector<model::Change> restore_group(std::string_view name, const std::optional<std::string>& new_name);
  // Final: user.purged (group.purged) for each.
  std::vector<model::Change> purge_user(std::string_view username);
  std::vector<model::Change> purge_older_than(std::int64_t days);
  // After a write: purges what has been in the bin longer than recycle_days.
  std::vector<model::Change> purge_expired();

 private:
  void purge_before(std::string_view cutoff, std::vector<model::Change>& changes);

  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
