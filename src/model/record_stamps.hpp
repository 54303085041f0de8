#pragma once
// Who made and last changed a record, when, and its version (bumped by every change): what users
// and groups both carry, read and written in one place by the stores.

#include <cstdint>
#include <string>

namespace usersctl::model {

struct RecordStamps {
  std::string created_at;
  std::string updated_at;
  std::string created_by;
  std::string updated_by;
  std::int64_t version = 1;
};

}  // namespace usersctl::model
