#include "core/id_allocator.hpp"

#include <string>

#include "core/validation.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

bool reserved(std::int64_t id) {
  return util::reserved_id_reason(static_cast<std::uint64_t>(id)).has_value();
}

// A range to suggest: the same start, the top raised to the next 10^k - 1.
std::string wider(const util::IdRange& range) {
  std::int64_t top = 9;
  while (top <= static_cast<std::int64_t>(range.high) && top < kMaxId) top = top * 10 + 9;
  if (top > kMaxId) top = kMaxId;
  return std::to_string(range.low) + "-" + std::to_string(top);
}

std::optional<std::int64_t> lowest_gap(store::Store& store, const util::IdRange& range) {
  const std::int64_t end = std::int64_t{range.high} + 1;
  std::int64_t from = range.low;
  while (from < end) {
    const auto gap = store.lowest_free_id(from, end);
    if (!gap) return std::nullopt;
    if (!reserved(*gap)) return gap;
    from = skip_reserved_ids(*gap);
  }
  return std::nullopt;
}

}  // namespace

std::int64_t skip_reserved_ids(std::int64_t id) {
  while (id <= kMaxId && reserved(id)) ++id;
  return id;
}

// A record in the recycle bin keeps its id (a deleted user's files never pass to a newcomer),
// though no lookup above shows it.
static void check_not_binned(store::Store& store, std::int64_t id) {
  if (store.id_in_use(model::IdSpace::Uid, id) || store.id_in_use(model::IdSpace::Gid, id)) {
    throw Conflict("id " + std::to_string(id) + " belongs to a deleted record in the recycle bin",
                   "see usersctl list --deleted; usersctl purge frees it");
  }
}

// An id is taken by a user's uid or a group's gid alike: the two share one space.
void check_id_free(store::Store& store, model::IdSpace space, std::int64_t id) {
  const std::string number = std::to_string(id);
  const bool uid = space == model::IdSpace::Uid;
  const auto user = store.find_user_by_uid(id);
  const auto group = store.find_group_by_gid(id);
  const char* shared = "uids and gids share one id space (user private groups)";
  if (uid && user) throw Conflict("uid " + number + " is already in use by user '" + user->username + "'");
  if (!uid && group) throw Conflict("gid " + number + " is already in use by group '" + group->name + "'");
  if (group) throw Conflict("uid " + number + " is the gid of group '" + group->name + "'", shared);
  if (user) {
    throw Conflict("gid " + number + " is the uid of user '" + user->username + "' (its private group)",
                   shared);
  }
  check_not_binned(store, id);
}

std::int64_t allocate_id(store::Store& store, model::IdSpace space, const util::IdRange& range,
                         std::optional<std::int64_t> requested) {
  const char* what = space == model::IdSpace::Uid ? "uid" : "gid";
  if (requested) {
    validate_id(*requested, what);
    check_id_free(store, space, *requested);
    return *requested;
  }
  const std::int64_t end = std::int64_t{range.high} + 1;
  const auto highest = store.highest_id(range.low, end);
  const std::int64_t next = skip_reserved_ids(highest ? *highest + 1 : std::int64_t{range.low});
  if (next < end) return next;
  if (const auto gap = lowest_gap(store, range)) return *gap;
  throw_range_exhausted(space, range);
}

void throw_range_exhausted(model::IdSpace space, const util::IdRange& range) {
  const std::string what = space == model::IdSpace::Uid ? "uid" : "gid";
  const std::string setting = what + "_range";
  throw Conflict("no free " + what + " in " + setting + " " + std::to_string(range.low) + "-" +
                 std::to_string(range.high) + "; widen it with: usersctl settings set " + setting + " " +
                 wider(range));
}

}  // namespace usersctl::core
