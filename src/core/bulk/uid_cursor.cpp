#include "core/bulk/uid_cursor.hpp"

#include "core/id_allocator.hpp"

namespace usersctl::core::bulk {

std::int64_t UidCursor::next(std::optional<std::int64_t> requested) {
  if (requested) {
    // An explicit uid in the allocation range moves the cursor past it, as useradd's
    // "highest used plus one" would.
    if (cursor_ && *requested >= *cursor_ && *requested <= range_.high) cursor_ = *requested + 1;
    return *requested;
  }
  if (!cursor_) {
    flush_();  // the allocator reads the table: let it see this file's users
    cursor_ = allocate_id(store_, model::IdSpace::Uid, range_, std::nullopt);
    return (*cursor_)++;
  }
  cursor_ = skip_reserved_ids(*cursor_);
  if (*cursor_ <= range_.high) return (*cursor_)++;
  flush_();  // the range top is taken: fall back to the allocator's gap search
  return allocate_id(store_, model::IdSpace::Uid, range_, std::nullopt);
}

}  // namespace usersctl::core::bulk
