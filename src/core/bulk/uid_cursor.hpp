#pragma once
// Hands out uids for a bulk load as useradd would ("highest in uid_range plus one"), without a
// query per user: a cursor moves past each uid the file gives, and once the range top is taken
// allocation falls back to the store's gap search.

#include <cstdint>
#include <functional>
#include <optional>

#include "store/store.hpp"
#include "util/id_range.hpp"

namespace usersctl::core::bulk {

class UidCursor {
 public:
  // `flush` writes the users still batched, so the store's answers include them.
  UidCursor(store::Store& store, util::IdRange range, std::function<void()> flush)
      : store_(store), range_(range), flush_(std::move(flush)) {}
  // The uid for the next user: `requested` when the file gives one, else a free one.
  std::int64_t next(std::optional<std::int64_t> requested);

 private:
  store::Store& store_;
  util::IdRange range_;  // the uid_range setting
  std::function<void()> flush_;
  std::optional<std::int64_t> cursor_;  // the next uid to hand out while the range has room
};

}  // namespace usersctl::core::bulk
