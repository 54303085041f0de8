#include "store/store.hpp"

namespace usersctl::store {

void Store::insert_users(std::vector<NewUserRow>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    NewUserRow& row = rows[i];
    try {
      row.user.id = insert_user(row.user, row.password_hash);
    } catch (const Conflict& conflict) {
      throw RowConflict(i, conflict.what());
    }
    for (const auto group_id : row.group_ids) add_member(group_id, row.user.id);
  }
}

// A user private group has no row of its own: it stands for the user, so it takes the user's
// times and version, and id 0 (no usergroups row).
void Store::list_private_groups(const std::function<void(const model::Group&)>& sink) {
  list_users(model::UserQuery{}, [&](const model::User& user) {
    if (user.gid != user.uid || find_group_by_gid(user.gid)) return;
    model::Group group;
    group.name = user.username;
    group.gid = user.gid;
    group.members = {user.username};
    group.created_at = user.created_at;
    group.updated_at = user.updated_at;
    group.created_by = user.created_by;
    group.updated_by = user.updated_by;
    group.version = user.version;
    sink(group);
  });
}

}  // namespace usersctl::store
