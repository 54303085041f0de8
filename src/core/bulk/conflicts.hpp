#pragma once
// Names what broke a uniqueness rule during a bulk load, for the problem report: the same value
// twice in the file is bad input (exit 5); a value the database already holds is a conflict (4).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/bulk/pending_user.hpp"
#include "model/user.hpp"
#include "store/store.hpp"
#include "util/errors.hpp"

namespace usersctl::core::bulk {

struct Explanation {
  std::string what;
  ExitCode code = ExitCode::Conflict;
};

class ConflictExplainer {
 public:
  // `ours(id)`: whether the user row `id` was written by this load.
  ConflictExplainer(store::Store& store, std::function<bool(std::int64_t)> ours)
      : store_(store), ours_(std::move(ours)) {}

  // batch[index] could not be inserted; the rows before it in the batch were.
  Explanation new_user(const std::vector<PendingUser>& batch, std::size_t index, const Conflict& conflict);
  // `user` could not be updated.
  std::string update(const model::User& user, const Conflict& conflict);

 private:
  Explanation same_in_batch(const std::vector<PendingUser>& batch, std::size_t index);
  Explanation held_by_database(const model::User& user, const Conflict& conflict);

  store::Store& store_;
  std::function<bool(std::int64_t)> ours_;
};

}  // namespace usersctl::core::bulk
