#include "core/housekeeping.hpp"

#include <string>

#include "core/history_service.hpp"
#include "core/recycle_bin.hpp"

namespace usersctl::core {

bool housekeeping_may_be_due(store::Store& store) {
  if (bin_has_expired(store)) return true;
  const auto days = store.setting(kKeepDaysSetting);
  return days && std::stoll(*days) > 0;  // as HistoryService::apply_retention reads it
}

}  // namespace usersctl::core
