#pragma once
// What a lossless dump carries beyond a record's fields: its history stamps and version, kept
// as they were when `import --format dump` recreates the record.

#include <cstdint>
#include <string>

namespace usersctl::core {

struct KeptState {
  std::string created_at;
  std::string created_by;
  std::string updated_at;
  std::string updated_by;
  std::int64_t version = 1;
};

}  // namespace usersctl::core
