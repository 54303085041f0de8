#include "core/id_allocator.hpp"

#include <string>

#include "core/validation.hpp"
#include "model/errors.hpp"

namespace usersctl::core {

std::int64_t allocate_id(store::Store& store, model::IdSpace space, std::optional<std::int64_t> requested) {
  const char* what = space == model::IdSpace::Uid ? "uid" : "gid";
  if (requested) {
    validate_id(*requested, what);
    if (store.id_in_use(space, *requested)) {
      throw Conflict(std::string(what) + " " + std::to_string(*requested) + " is already in use");
    }
    return *requested;
  }
  const auto highest = store.highest_id(space, kFirstAllocatedId, kAllocatedIdLimit);
  if (!highest) return kFirstAllocatedId;
  if (*highest + 1 < kAllocatedIdLimit) return *highest + 1;
  if (const auto gap = store.lowest_free_id(space, kFirstAllocatedId, kAllocatedIdLimit)) return *gap;
  throw Conflict(std::string("no free ") + what + " left in [1000, 60000)", "pass one explicitly");
}

}  // namespace usersctl::core
