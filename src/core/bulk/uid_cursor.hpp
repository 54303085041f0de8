#pragma once
// Hands out uids for a bulk load as useradd would ("highest in uid_range plus one"), without a
// query per user: a cursor moves past each uid the file gives, and once the range top is taken
// allocation falls back to a gap search. Neither ever hands out an id that a later line of the
// file gives explicitly (`file_ids`), so a valid file is never refused for a collision of its own.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "store/store.hpp"
#include "util/id_range.hpp"

namespace usersctl::core::bulk {

class UidCursor {
 public:
  // `flush` writes the users still batched, so the store's answers include them. `file_ids`
  // (sorted) are every uid and gid the input names.
  UidCursor(store::Store& store, util::IdRange range, const std::vector<std::int64_t>& file_ids,
            std::function<void()> flush)
      : store_(store), range_(range), file_ids_(file_ids), flush_(std::move(flush)) {}
  // The uid for the next user: `requested` when the file gives one, else a free one. An
  // exhausted range is a Conflict naming the setting to widen.
  std::int64_t next(std::optional<std::int64_t> requested);

 private:
  bool avoided(std::int64_t id) const;  // reserved, or given by the file
  std::int64_t skip_avoided(std::int64_t id) const;
  std::int64_t from_gap();

  store::Store& store_;
  util::IdRange range_;  // the uid_range setting
  const std::vector<std::int64_t>& file_ids_;
  std::function<void()> flush_;
  std::optional<std::int64_t> cursor_;  // the next uid to hand out while the range has room
  std::int64_t gap_from_ = 0;           // once the top is taken: where the next gap search starts
};

}  // namespace usersctl::core::bulk
