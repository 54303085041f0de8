#include "output/records.hpp"

namespace usersctl::output {

const std::vector<std::string>& user_table_columns() {
  static const std::vector<std::string> columns{"username", "uid", "name", "email", "groups", "disabled"};
  return columns;
}

const std::vector<std::string>& group_table_columns() {
  static const std::vector<std::string> columns{"name", "gid", "description", "members"};
  return columns;
}

}  // namespace usersctl::output
