#pragma once
// The database-wide settings (`usersctl settings`): which keys exist, their defaults and rules,
// and the values the account rules read (id ranges for allocation, defaults for new users).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutation.hpp"
#include "model/change.hpp"
#include "store/database.hpp"
#include "util/id_range.hpp"

namespace usersctl::core {

// uid_range, gid_range, home_base, default_shell, in that order.
const std::vector<std::string>& setting_keys();
// Throws UsageError (exit 2) for a key that is not one of setting_keys().
void check_setting_key(std::string_view key);
// Throws Invalid (exit 5) with a line naming the key and the rule.
void validate_setting(std::string_view key, std::string_view value);

// What the account rules read, each value stored or else its default.
struct AccountSettings {
  util::IdRange uid_range;
  util::IdRange gid_range;
  std::string home_base;
  std::string default_shell;
};
// Inside a transaction of the store's database.
AccountSettings read_account_settings(store::Store& store);

// Inside a write transaction: validates `value`, stores it when it differs from the current one
// and returns that change (for its settings.changed event); nothing when it is the same.
std::optional<model::Change> write_setting(store::Store& store, std::string_view key, std::string_view value);

class SettingsService {
 public:
  SettingsService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  // Every known key with its value (stored or default), in setting_keys() order.
  void list(const std::function<void(const std::string& key, const std::string& value)>& sink);
  std::string get(std::string_view key);
  // One settings.changed event; no change (and no event) when the value is the current one.
  std::vector<model::Change> set(std::string_view key, std::string_view value);

 private:
  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
