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

std::vector<model::SshKey> parse_ssh_key_parts(std::string_view text) {
  std::vector<model::SshKey> keys;
  for (const std::string& item : split_items(text, kKeySeparator)) {
    auto parts = split_items(item, kKeyPartSeparator);
    parts.resize(5);  // a malformed item reads as empty parts rather than out of bounds
    keys.push_back({std::move(parts[0]), std::move(parts[1]), std::move(parts[2]), std::move(parts[3]),
                    std::move(parts[4])});
  }
  return keys;
}

std::optional<std::string> email_key(const model::User& user) {
  if (!user.email) return std::nullopt;
  return util::fold_case(*user.email);
}

}  // namespace usersctl::store
