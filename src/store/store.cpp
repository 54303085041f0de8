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

}  // namespace usersctl::store
