#pragma once
// Whether the housekeeping after a write (recycle_days, events_keep_days) may have anything to do.

#include "store/store.hpp"

namespace usersctl::core {

// True when a record has been in the recycle bin longer than recycle_days or events_keep_days is
// set: only then do the purge of expired records and the pruning of old events look further. Asked inside the
// write's own transaction (MutationRunner), so a write with nothing to age out takes no more transactions.
bool housekeeping_may_be_due(store::Store& store);

}  // namespace usersctl::core
