#include "core/settings.hpp"

#include <array>
#include <utility>

#include "core/validation.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

struct KnownSetting {
  const char* key;
  const char* default_value;
};

constexpr std::array<KnownSetting, 6> kSettings = {{
    {"uid_range", "1000-59999"},
    {"gid_range", "1000-59999"},
    {"home_base", "/home"},
    {"default_shell", "/bin/bash"},
    {"events_keep_days", "0"},  // 0: keep every event
    {"recycle_days", "30"},     // 0: delete is final
}};

// A count of days: digits only, at most 36500 (a century).
void validate_days(std::string_view key, std::string_view value) {
  const bool digits =
      !value.empty() && value.size() <= 5 && value.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits || std::stoi(std::string(value)) > 36500) {
    throw Invalid(std::string(key) + " '" + std::string(value) +
                  "' must be a number of days from 0 to 36500");
  }
}

const char* default_of(std::string_view key) {
  for (const auto& setting : kSettings) {
    if (key == setting.key) return setting.default_value;
  }
  return nullptr;
}

std::string value_or_default(store::Store& store, std::string_view key) {
  if (auto stored = store.setting(key)) return std::move(*stored);
  return default_of(key);
}

}  // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> names;
    for (const auto& setting : kSettings) names.emplace_back(setting.key);
    return names;
  }();
  return keys;
}

void check_setting_key(std::string_view key) {
  if (default_of(key)) return;
  throw UsageError(
      "unknown setting '" + std::string(key) + "'",
      "settings: uid_range, gid_range, home_base, default_shell, events_keep_days, recycle_days");
}

void validate_setting(std::string_view key, std::string_view value) {
  check_setting_key(key);
  if (key == "uid_range" || key == "gid_range") {
    util::parse_id_range(value, key);
  } else if (key == "events_keep_days" || key == "recycle_days") {
    validate_days(key, value);
  } else {
    // The base of home folders is a path as a home folder is; "/" alone would give "//alice".
    validate_path(value, key);
    if (key == "home_base" && value.size() > 1 && value.back() == '/') {
      throw Invalid(std::string(key) + " '" + std::string(value) + "' must not end with '/'");
    }
  }
}

AccountSettings read_account_settings(store::Store& store) {
  AccountSettings settings;
  settings.uid_range = util::parse_id_range(value_or_default(store, "uid_range"), "uid_range");
  settings.gid_range = util::parse_id_range(value_or_default(store, "gid_range"), "gid_range");
  settings.home_base = value_or_default(store, "home_base");
  settings.default_shell = value_or_default(store, "default_shell");
  return settings;
}

void SettingsService::list(const std::function<void(const std::string&, const std::string&)>& sink) {
  db_.read([&] {
    for (const auto& key : setting_keys()) sink(key, value_or_default(db_.records(), key));
  });
}

std::string SettingsService::get(std::string_view key) {
  check_setting_key(key);
  std::string value;
  db_.read([&] { value = value_or_default(db_.records(), key); });
  return value;
}

std::optional<model::Change> write_setting(store::Store& store, std::string_view key,
                                           std::string_view value) {
  validate_setting(key, value);
  const std::string previous = value_or_default(store, key);
  if (previous == value) return std::nullopt;
  store.set_setting(key, value);
  model::Change change{model::ChangeType::SettingChanged, std::nullopt, std::nullopt, {"value"}};
  change.setting = model::Setting{std::string(key), std::string(value), previous};
  return change;
}

std::vector<model::Change> SettingsService::set(std::string_view key, std::string_view value) {
  validate_setting(key, value);
  return runner_.run([&](std::vector<model::Change>& changes) {
    if (auto change = write_setting(db_.records(), key, value)) changes.push_back(std::move(*change));
  });
}

}  // namespace usersctl::core
