#include "core/recycle_bin.hpp"

#include "core/record_change.hpp"
#include "core/time_point.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::core {

namespace {

constexpr std::int64_t kDefaultRecycleDays = 30;

std::string days_ago(std::int64_t days) {
  return util::rfc3339_from_unix_ms(util::now_unix_ms() - days * 86'400'000);
}

// The name a restore gives the record: `--as NEWNAME` or its old one, both checked first.
std::string restore_name(std::string_view name, const std::optional<std::string>& new_name,
                         const std::string& kind) {
  validate_name(name, kind + " name");
  if (new_name) validate_name(*new_name, "new " + kind + " name");
  return new_name.value_or(std::string(name));
}

// The binned record a restore brings back; refused when nothing is binned under `name` (3) or when
// the name it would take is in use now (4).
template <class Record>
Record take_from_bin(std::optional<Record> binned, std::string_view name, const std::string& target,
                     bool target_taken, const std::string& kind) {
  if (!binned) throw NotFound(kind + " '" + std::string(name) + "' is not in the recycle bin");
  if (target_taken) {
    throw Conflict(kind + " '" + target + "' exists now", "restore it under another name: --as NEWNAME");
  }
  return std::move(*binned);
}

}  // namespace

std::int64_t recycle_days(store::Store& store) {
  const auto stored = store.setting(kRecycleDaysSetting);
  return stored ? std::stoll(*stored) : kDefaultRecycleDays;
}

void bin_or_delete_user(store::Store& store, const model::User& user, const std::string& actor, bool final) {
  if (final || recycle_days(store) == 0) {
    store.delete_user(user.id);
  } else {
    store.bin_user(user.id, util::now_rfc3339(), actor);
  }
}

void bin_or_delete_group(store::Store& store, const model::Group& group, const std::string& actor,
                         bool final) {
  if (final || recycle_days(store) == 0) {
    store.delete_group(group.id);
  } else {
    store.bin_group(group.id, util::now_rfc3339(), actor);
  }
}

void RecycleBinService::list_users(const std::function<void(const model::User&)>& sink) {
  db_.read([&] { db_.records().list_binned_users(sink); });
}

void RecycleBinService::list_groups(const std::function<void(const model::Group&)>& sink) {
  db_.read([&] { db_.records().list_binned_groups(sink); });
}

model::User RecycleBinService::show_user(std::string_view username) {
  validate_name(username, "user name");
  std::optional<model::User> user;
  db_.read([&] { user = db_.records().find_binned_user(username); });
  if (!user) throw NotFound("user '" + std::string(username) + "' is not in the recycle bin");
  return std::move(*user);
}

std::vector<model::Change> RecycleBinService::restore_user(std::string_view username,
                                                           const std::optional<std::string>& new_name) {
  const std::string target = restore_name(username, new_name, "user");
  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    model::User user =
        take_from_bin(store.find_binned_user(username), username, target, store.user_exists(target), "user");
    if (const auto holder = store.find_user_by_uid(user.uid)) {
      throw Conflict("uid " + std::to_string(user.uid) + " is taken now by user '" + holder->username + "'");
    }
    if (user.email) {
      if (const auto holder = store.user_with_email_key(util::fold_case(*user.email))) {
        throw Conflict("email '" + *user.email + "' is taken now by user '" + *holder + "'");
      }
    }
    store.unbin_user(user.id, target);
    user.username = target;
    stamp_change(user, runner_.actor());
    store.update_user(user);  // its email key again, among the rest
    changes.push_back({model::ChangeType::UserRestored, store.find_user(target), std::nullopt, {}});
  });
}

std::vector<model::Change> RecycleBinService::restore_group(std::string_view name,
                                                            const std::optional<std::string>& new_name) {
  const std::string target = restore_name(name, new_name, "group");
  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    model::Group group = take_from_bin(store.find_binned_group(name), name, target,
                                       store.find_group(target).has_value(), "group");
    store.unbin_group(group.id, target);
    group.name = target;
    stamp_change(group, runner_.actor());
    store.update_group(group);
    changes.push_back({model::ChangeType::GroupRestored, std::nullopt, store.find_group(target), {}});
  });
}

std::vector<model::Change> RecycleBinService::purge_user(std::string_view username) {
  validate_name(username, "user name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    auto user = db_.records().find_binned_user(username);
    if (!user) throw NotFound("user '" + std::string(username) + "' is not in the recycle bin");
    db_.records().delete_user(user->id);
    user->id = -user->id;  // its history's key once the row is gone (store/lifecycle_sql.hpp)
    changes.push_back({model::ChangeType::UserPurged, std::move(user), std::nullopt, {}});
  });
}

// Everything binned before `cutoff` (RFC 3339 UTC, compared as text), users and groups.
void RecycleBinService::purge_before(std::string_view cutoff, std::vector<model::Change>& changes) {
  store::Store& store = db_.records();
  std::vector<model::User> users;
  store.list_binned_users([&](const model::User& user) {
    if (user.deleted_at && *user.deleted_at < cutoff) users.push_back(user);
  });
  std::vector<model::Group> groups;
  store.list_binned_groups([&](const model::Group& group) {
    if (group.deleted_at && *group.deleted_at < cutoff) groups.push_back(group);
  });
  for (auto& user : users) {
    store.delete_user(user.id);
    user.id = -user.id;  // its history's key once the row is gone
    changes.push_back({model::ChangeType::UserPurged, std::move(user), std::nullopt, {}});
  }
  for (auto& group : groups) {
    store.delete_group(group.id);
    group.id = -group.id;
    changes.push_back({model::ChangeType::GroupPurged, std::nullopt, std::move(group), {}});
  }
}

std::vector<model::Change> RecycleBinService::purge_older_than(std::int64_t days) {
  if (days < 0) throw UsageError("--older-than must not be negative");
  const std::string cutoff = days_ago(days);
  return runner_.run([&](std::vector<model::Change>& changes) { purge_before(cutoff, changes); });
}

bool bin_has_expired(store::Store& store) {
  const auto oldest = store.oldest_binned_at();
  return oldest && *oldest < days_ago(recycle_days(store));
}

std::vector<model::Change> RecycleBinService::purge_expired() {
  // A read first: a bin with nothing expired (the usual case) takes no write lock.
  bool due = false;
  db_.read([&] { due = bin_has_expired(db_.records()); });
  if (!due) return {};
  runner_.set_review({});  // housekeeping after the command: no dry run or confirmation applies
  return runner_.run([&](std::vector<model::Change>& changes) {
    purge_before(days_ago(recycle_days(db_.records())), changes);
  });
}

}  // namespace usersctl::core
