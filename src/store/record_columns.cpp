#include "store/record_columns.hpp"

#include "util/text.hpp"

namespace usersctl::store {

std::vector<std::string> split_items(std::string_view text, char separator) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    items.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return items;
}

std::optional<std::string> email_key(const model::User& user) {
  if (!user.email) return std::nullopt;
  return util::fold_case(*user.email);
}

}  // namespace usersctl::store
