#include "core/bulk/conflicts.hpp"

#include "util/text.hpp"

namespace usersctl::core::bulk {

Explanation ConflictExplainer::new_user(const std::vector<PendingUser>& batch, std::size_t index,
                                        const Conflict& conflict) {
  Explanation same = same_in_batch(batch, index);
  if (!same.what.empty()) return same;
  return held_by_database(batch[index].row.user, conflict);
}

// The same username, email or uid on an earlier line of the batch.
Explanation ConflictExplainer::same_in_batch(const std::vector<PendingUser>& batch, std::size_t index) {
  const model::User& user = batch[index].row.user;
  const std::string email_key = user.email ? util::fold_case(*user.email) : std::string();
  for (std::size_t i = 0; i < index; ++i) {
    const model::User& earlier = batch[i].row.user;
    std::string same;
    if (earlier.username == user.username) same = "user '" + user.username + "'";
    if (same.empty() && user.email && earlier.email && util::fold_case(*earlier.email) == email_key) {
      same = "email '" + *user.email + "'";
    }
    if (same.empty() && earlier.uid == user.uid) same = "uid " + std::to_string(user.uid);
    if (!same.empty()) {
      return {same + " appears more than once in the file (also line " + std::to_string(batch[i].line) + ")",
              ExitCode::Invalid};
    }
  }
  return {};
}

Explanation ConflictExplainer::held_by_database(const model::User& user, const Conflict& conflict) {
  try {
    if (auto existing = store_.find_user(user.username)) {
      if (ours_(existing->id))
        return {"user '" + user.username + "' appears more than once in the file", ExitCode::Invalid};
      return {"user '" + user.username + "' already exists (use --upsert to update existing users)"};
    }
    if (user.email) {
      if (auto holder = store_.user_with_email_key(util::fold_case(*user.email))) {
        const auto other = store_.find_user(*holder);
        if (other && ours_(other->id)) {
          return {"email '" + *user.email + "' is also given to user '" + *holder + "' in the file",
                  ExitCode::Invalid};
        }
        return {"email '" + *user.email + "' is already used by user '" + *holder + "'"};
      }
    }
    if (store_.id_in_use(model::IdSpace::Uid, user.uid))
      return {"uid " + std::to_string(user.uid) + " is already used"};
  } catch (const Error&) {
    // The backend may refuse further statements after the failed one; fall through.
  }
  return {conflict.what()};
}

std::string ConflictExplainer::update(const model::User& user, const Conflict& conflict) {
  try {
    const auto holder = user.email ? store_.user_with_email_key(util::fold_case(*user.email)) : std::nullopt;
    if (holder && *holder != user.username)
      return "email '" + *user.email + "' is already used by user '" + *holder + "'";
    if (store_.id_in_use(model::IdSpace::Uid, user.uid))
      return "uid " + std::to_string(user.uid) + " is already used";
  } catch (const Error&) {
    // The backend may refuse further statements after the failed one.
  }
  return conflict.what();
}

}  // namespace usersctl::core::bulk
