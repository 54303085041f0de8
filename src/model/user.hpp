#pragma once
// The user record as the domain sees it. `id` is the surrogate key rows are joined by,
// so renames keep memberships and history.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace usersctl::model {

using Attributes = std::map<std::string, std::string>;

struct User {
  std::int64_t id = 0;
  std::string username;
  std::int64_t uid = 0;
  std::string name;
  std::optional<std::string> email;
  std::vector<std::string> groups;  // names, sorted
  Attributes attrs;
  bool disabled = false;
  std::string created_at;
  std::string updated_at;
  std::string created_by;
  std::string updated_by;
  std::int64_t version = 1;
};

}  // namespace usersctl::model
