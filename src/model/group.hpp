#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/record_stamps.hpp"

namespace usersctl::model {

struct Group : RecordStamps {
  std::int64_t id = 0;
  std::string name;
  std::int64_t gid = 0;
  std::string description;
  std::vector<std::string> members;  // usernames, sorted
  // Set while the group is in the recycle bin.
  std::optional<std::string> deleted_at = std::nullopt;
  std::optional<std::string> deleted_by = std::nullopt;
};

}  // namespace usersctl::model
