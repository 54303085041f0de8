#include "core/bulk/uid_cursor.hpp"

#include <algorithm>

#include "core/id_allocator.hpp"

namespace usersctl::core::bulk {

bool UidCursor::avoided(std::int64_t id) const {
  return skip_reserved_ids(id) != id || std::binary_search(file_ids_.begin(), file_ids_.end(), id);
}

std::int64_t UidCursor::skip_avoided(std::int64_t id) const {
  while (id <= range_.high && avoided(id)) ++id;
  return id;
}

// The lowest id of the range that neither the store (with the batch written) nor the file holds.
// Gaps below the last one handed out are filled by then, so a search starts past it; only if
// that finds none is the whole range searched again (an update may have freed a uid).
std::int64_t UidCursor::from_gap() {
  flush_();
  const std::int64_t low = range_.low;
  const std::int64_t end = std::int64_t{range_.high} + 1;
  for (const std::int64_t start : {std::max(gap_from_, low), low}) {
    for (std::int64_t from = start; from < end;) {
      const auto gap = store_.lowest_free_id(from, end);
      if (!gap) break;
      if (!avoided(*gap)) {
        gap_from_ = *gap + 1;
        return *gap;
      }
      from = *gap + 1;
    }
    if (start == low) break;
  }
  throw_range_exhausted(model::IdSpace::Uid, range_);
}

std::int64_t UidCursor::next(std::optional<std::int64_t> requested) {
  if (requested) {
    // An explicit uid in the allocation range moves the cursor past it, as useradd's
    // "highest used plus one" would.
    if (cursor_ && *requested >= *cursor_ && *requested <= range_.high) cursor_ = *requested + 1;
    return *requested;
  }
  if (!cursor_) {
    flush_();  // the highest id is read from the table: let it see this file's users
    const auto highest = store_.highest_id(range_.low, std::int64_t{range_.high} + 1);
    cursor_ = highest ? *highest + 1 : std::int64_t{range_.low};
  }
  cursor_ = skip_avoided(*cursor_);
  if (*cursor_ <= range_.high) return (*cursor_)++;
  return from_gap();
}

}  // namespace usersctl::core::bulk
