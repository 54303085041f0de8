#pragma once
// uid/gid allocation as useradd and groupadd do it.

#include <cstdint>
#include <optional>

#include "store/store.hpp"

namespace usersctl::core {

inline constexpr std::int64_t kFirstAllocatedId = 1000;
inline constexpr std::int64_t kAllocatedIdLimit = 60000;  // exclusive

// An explicit id is checked for range and uniqueness (Conflict when taken). Otherwise the
// highest id in [1000, 60000) plus one; gaps are reused only once the range top is taken,
// so a deleted account's files never pass to a newcomer while ids remain.
std::int64_t allocate_id(store::Store& store, model::IdSpace space, std::optional<std::int64_t> requested);

}  // namespace usersctl::core
