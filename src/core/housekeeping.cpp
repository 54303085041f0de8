#include "core/housekeeping.hpp"

#include "core/history_service.hpp"
#include "core/recycle_bin.hpp"

namespace usersctl::core {

bool housekeeping_may_be_due(store::Store& store) {
  return bin_has_expired(store) || events_keep_days(store) > 0;
}

}  // namespace usersctl::core
