#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace usersctl::model {

struct Group {
  std::int64_t id = 0;
  std::string name;
  std::int64_t gid = 0;
  std::string description;
  std::vector<std::string> members;  // usernames, sorted
  std::string created_at;
  std::string updated_at;
  std::string created_by;
  std::string updated_by;
  std::int64_t version = 1;
  // Set while the group is in the recycle bin.
  std::optional<std::string> deleted_at = std::nullopt;
  std::optional<std::string> deleted_by = std::nullopt;
};

}  // namespace usersctl::model
