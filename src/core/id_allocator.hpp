#pragma once
// uid/gid allocation as useradd and groupadd do it, in one id space: a user's private group has
// the gid of its uid, so no uid is ever a usergroups gid and no gid a uid.

#include <cstdint>
#include <optional>

#include "model/id_space.hpp"
#include "store/store.hpp"
#include "util/id_range.hpp"

namespace usersctl::core {

// An explicit id is checked for range, reserved ids (Invalid) and the shared id space (Conflict
// naming who holds it). Otherwise the highest uid or gid in `range` plus one (skipping reserved
// ids); gaps are reused only once the range top is taken, so a deleted account's files never pass
// to a newcomer while ids remain. An exhausted range is a Conflict saying which setting to widen.
std::int64_t allocate_id(store::Store& store, model::IdSpace space, const util::IdRange& range,
                         std::optional<std::int64_t> requested);

// The Conflict of an exhausted range: "no free uid in uid_range 1000-1999; widen it with: ...".
[[noreturn]] void throw_range_exhausted(model::IdSpace space, const util::IdRange& range);

// `id`, or the first id after it that is not reserved (util::reserved_id_reason).
std::int64_t skip_reserved_ids(std::int64_t id);

// Conflict when `id` (a uid or a gid, per `space`) is taken in the shared id space.
void check_id_free(store::Store& store, model::IdSpace space, std::int64_t id);

}  // namespace usersctl::core
