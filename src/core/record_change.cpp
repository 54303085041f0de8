#include "core/record_change.hpp"

#include "util/clock.hpp"

namespace usersctl::core {

void stamp_change(model::RecordStamps& record, const std::string& actor) {
  record.version += 1;
  record.updated_at = util::now_rfc3339();
  record.updated_by = actor;
}

}  // namespace usersctl::core
