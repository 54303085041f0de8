#include "core/user_service.hpp"

#include <algorithm>

#include "core/account_window.hpp"
#include "core/field_change.hpp"
#include "core/id_allocator.hpp"
#include "core/password.hpp"
#include "core/record_change.hpp"
#include "core/recycle_bin.hpp"
#include "core/user_fields.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

namespace usersctl::core {

bool exists_already(bool exists, IfExists if_exists, const std::string& what) {
  if (exists && if_exists == IfExists::Fail) throw Conflict(what + " already exists");
  return exists;
}

namespace {

void validate_new_user(const NewUser& user) {
  validate_name(user.username, "user name");
  if (user.email) validate_email(*user.email);
  validate_display_name(user.name);
  validate_attrs(user.attrs);
  for (const auto& group : user.groups) validate_name(group, "group name");
  if (user.password_hash) validate_password_hash(*user.password_hash);
  validate_posix_request(user.posix);
  if (user.valid_from) parse_window_bound(*user.valid_from, "--valid-from");
  if (user.expires_at) parse_window_bound(*user.expires_at, "--expires-at");
}

void validate_update(const UserUpdate& update) {
  if (update.email && !update.email->empty()) validate_email(*update.email);
  if (update.name) validate_display_name(*update.name);
  if (update.rename) validate_name(*update.rename, "new user name");
  for (const auto& [key, value] : update.set_attrs) {
    validate_attr_key(key);
    validate_attr_value(key, value);
  }
  for (const auto& key : update.unset_attrs) {
    validate_attr_key(key);
    // Which would win is anyone's guess (unset ran first, so the key stayed): refuse the pair.
    if (update.set_attrs.count(key) > 0) {
      throw UsageError("--attr and --unset-attr both name '" + key + "'",
                       "give a key to one of them: --attr to set it, --unset-attr to remove it");
    }
  }
  validate_posix_request(update.posix);
}

// Applies `update` to `user`, returning the names of the fields that really changed.
std::vector<std::string> apply_update(model::User& user, const UserUpdate& update) {
  std::vector<std::string> changed;
  if (update.rename) change_field(user.username, *update.rename, "username", changed);
  if (update.email) change_field(user.email, empty_as_none(update.email), "email", changed);
  if (update.name) change_field(user.name, *update.name, "name", changed);
  const model::Attributes before = user.attrs;
  for (const auto& key : update.unset_attrs) user.attrs.erase(key);
  for (const auto& [key, value] : update.set_attrs) user.attrs[key] = value;
  if (user.attrs != before) changed.emplace_back("attrs");
  if (update.disabled) change_field(user.disabled, *update.disabled, "disabled", changed);
  if (update.posix.home) change_field(user.home, *update.posix.home, "home", changed);
  if (update.posix.shell) change_field(user.shell, *update.posix.shell, "shell", changed);
  if (update.valid_from) {
    change_field(user.valid_from, parse_window_bound(*update.valid_from, "--valid-from"), "valid_from",
                 changed);
  }
  if (update.expires_at) {
    change_field(user.expires_at, parse_window_bound(*update.expires_at, "--expires-at"), "expires_at",
                 changed);
  }
  return changed;
}

// The uid and primary gid an update asks for; a private group follows its uid.
void apply_id_update(store::Store& store, model::User& user, const PosixRequest& request,
                     std::vector<std::string>& changed) {
  const std::int64_t old_uid = user.uid;
  if (request.uid && *request.uid != user.uid) {
    check_id_free(store, model::IdSpace::Uid, *request.uid);
    user.uid = *request.uid;
    changed.emplace_back("uid");
  }
  std::int64_t gid = user.gid == old_uid ? user.uid : user.gid;
  if (request.gid || request.primary_group) gid = resolve_primary_gid(store, request, user.uid);
  change_field(user.gid, gid, "gid", changed);
}

}  // namespace

bool UserUpdate::empty() const {
  return !email && !name && !rename && posix.empty() && set_attrs.empty() && unset_attrs.empty() &&
         !password && !disabled && !valid_from && !expires_at;
}

model::User UserService::require_user(std::string_view username) {
  auto user = db_.records().find_user(username);
  if (!user) throw NotFound("user '" + std::string(username) + "' does not exist");
  return std::move(*user);
}

void UserService::check_email_free(const std::optional<std::string>& email, std::string_view owner) {
  if (!email) return;
  const auto holder = db_.records().user_with_email_key(util::fold_case(*email));
  if (holder && *holder != owner) {
    throw Conflict("email '" + *email + "' is already used by user '" + *holder + "'");
  }
}

std::vector<model::Change> UserService::add(const NewUser& request, IfExists if_exists) {
  validate_new_user(request);
  // Hash outside the transaction: yescrypt takes tens of milliseconds and the write lock
  // should not wait for it.
  std::optional<std::string> hash = request.password_hash;
  if (request.password) hash = hash_password(request.password->view());

  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    if (exists_already(store.user_exists(request.username), if_exists, "user '" + request.username + "'")) {
      return;
    }
    model::User user;
    user.username = request.username;
    user.email = empty_as_none(request.email);
    user.name = request.name;
    user.attrs = request.attrs;
    user.disabled = request.disabled;
    check_email_free(user.email, user.username);
    const AccountSettings settings = read_account_settings(store);
    user.uid = allocate_id(store, model::IdSpace::Uid, settings.uid_range, request.posix.uid);
    user.gid = resolve_primary_gid(store, request.posix, user.uid);
    user.home = request.posix.home.value_or(default_home(settings, user.username));
    user.shell = request.posix.shell.value_or(settings.default_shell);
    user.created_at = user.updated_at = util::now_rfc3339();
    user.created_by = user.updated_by = runner_.actor();
    if (request.valid_from) user.valid_from = parse_window_bound(*request.valid_from, "--valid-from");
    if (request.expires_at) user.expires_at = parse_window_bound(*request.expires_at, "--expires-at");
    if (hash) user.password_changed_at = user.created_at;
    user.version = 1;

    std::vector<std::int64_t> group_ids;
    for (const auto& group_name : request.groups) {
      const auto group = store.find_group(group_name);
      if (!group) throw NotFound("group '" + group_name + "' does not exist");
      if (std::find(group_ids.begin(), group_ids.end(), group->id) != group_ids.end()) continue;
      group_ids.push_back(group->id);
      user.groups.push_back(group->name);
    }
    user.id = store.insert_user(user, hash);
    for (const auto group_id : group_ids) store.add_member(group_id, user.id);
    // The record as `show` would print it, without reading it back: its groups sorted by name.
    std::sort(user.groups.begin(), user.groups.end());
    changes.push_back({model::ChangeType::UserCreated, user, std::nullopt, {}});
  });
}

std::vector<model::Change> UserService::update(std::string_view username, const UserUpdate& update) {
  if (update.empty()) throw UsageError("update: nothing to change", "give at least one option, see --help");
  validate_update(update);
  std::optional<std::string> hash;
  if (update.password) hash = hash_password(update.password->view());

  return runner_.run([&](std::vector<model::Change>& changes) {
    store::Store& store = db_.records();
    model::User user = require_user(username);
    if (update.if_version && *update.if_version != user.version) {
      throw Conflict("user '" + user.username + "' is at version " + std::to_string(user.version) + ", not " +
                     std::to_string(*update.if_version));
    }
    const model::User before = user;
    std::vector<std::string> changed = apply_update(user, update);
    apply_id_update(store, user, update.posix, changed);
    if (update.rename && *update.rename != username && store.user_exists(*update.rename)) {
      throw Conflict("user '" + *update.rename + "' already exists");
    }
    validate_attrs(user.attrs);
    check_email_free(user.email, username);
    if (hash) {
      store.set_password_hash(user.id, *hash);
      changed.emplace_back("password");
    }
    if (changed.empty()) return;
    stamp_change(user, runner_.actor());
    if (hash) user.password_changed_at = user.updated_at;
    store.update_user(user);
    changes.push_back({model::ChangeType::UserUpdated, user, std::nullopt, std::move(changed)});
    changes.back().user_before = std::make_shared<const model::User>(before);
  });
}

std::vector<model::Change> UserService::remove(const std::vector<std::string>& usernames,
                                               IfMissing if_missing, bool purge) {
  for (const auto& name : usernames) validate_name(name, "user name");
  return runner_.run([&](std::vector<model::Change>& changes) {
    std::vector<model::User> doomed;
    for (const auto& name : usernames) {
      auto user = db_.records().find_user(name);
      if (!user) {
        if (if_missing == IfMissing::Skip) continue;
        throw NotFound("user '" + name + "' does not exist", "nothing was deleted");
      }
      const bool repeated =
          std::any_of(doomed.begin(), doomed.end(), [&](const model::User& u) { return u.id == user->id; });
      if (!repeated) doomed.push_back(std::move(*user));
    }
    for (const auto& user : doomed) {
      // To the recycle bin (`restore`), unless recycle_days is 0 or --purge.
      bin_or_delete_user(db_.records(), user, runner_.actor(), purge);
      changes.push_back({model::ChangeType::UserDeleted, user, std::nullopt, {}});
      // Gone for good: its event joins its history under the negated id, as the store re-keyed
      // the earlier ones (store/lifecycle_sql.hpp).
      const auto binned = db_.records().find_binned_user(user.username);
      if (!binned || binned->id != user.id) changes.back().user->id = -user.id;
      if (purge) changes.push_back({model::ChangeType::UserPurged, changes.back().user, std::nullopt, {}});
    }
  });
}

std::vector<model::Change> UserService::set_password(std::string_view username, std::string_view password) {
  UserUpdate update;
  update.password = util::SecretString(password);
  return this->update(username, update);
}

model::User UserService::show(std::string_view username) {
  validate_name(username, "user name");
  model::User user;
  db_.read([&] { user = require_user(username); });
  return user;
}

model::User UserService::show_by_uid(std::int64_t uid) {
  validate_id(uid, "uid");
  std::optional<model::User> user;
  db_.read([&] { user = db_.records().find_user_by_uid(uid); });
  if (!user) throw NotFound("no user has uid " + std::to_string(uid));
  return std::move(*user);
}

std::vector<std::string> UserService::authorized_keys(std::string_view username) {
  try {
    validate_name(username, "user name");
  } catch (const Invalid&) {
    return {};  // no such user can exist
  }
  std::vector<std::string> lines;
  db_.read([&] {
    lines = db_.records().authorized_keys(username);
    if (lines.empty()) return;
    // An expired account gets no key (a second indexed lookup, only for users that have keys).
    const auto user = db_.records().find_user(username);
    if (!user || !within_window(*user, util::now_rfc3339())) lines.clear();
  });
  return lines;
}

void UserService::list(const model::UserQuery& query, const std::function<void(const model::User&)>& sink) {
  check_user_query(query);
  db_.read([&] {
    if (query.group && !db_.records().find_group(*query.group)) {
      throw NotFound("group '" + *query.group + "' does not exist");
    }
    db_.records().list_users(query, sink);
  });
}

void UserService::search(model::SearchQuery query, const std::function<void(const model::User&)>& sink) {
  if (query.text.empty()) throw Invalid("search text is empty");
  if (auto problem = util::text_problem(query.text)) throw Invalid("search text " + *problem);
  if (query.limit < 0) throw UsageError("--limit must not be negative");
  query.text = util::fold_case(query.text);
  db_.read([&] { db_.records().search_users(query, sink); });
}

void UserService::export_users(const std::function<void(const std::vector<std::string>&)>& attribute_keys,
                               const std::function<void(const model::User&)>& sink) {
  store::Store& store = db_.records();
  db_.read([&] {
    if (attribute_keys) attribute_keys(store.attribute_keys());
    store.list_users(model::UserQuery{}, sink);  // the default query: all users, by username
  });
}

bool UserService::check_password(std::string_view username, std::string_view password) {
  validate_name(username, "user name");
  std::optional<std::string> hash;
  bool in_window = false;
  db_.read([&] {
    const model::User user = require_user(username);
    in_window = within_window(user, util::now_rfc3339());
    hash = db_.records().password_hash(user.id);
  });
  // An expired account matches no password (exit 1, as a wrong one).
  return in_window && hash && verify_password(password, *hash);
}

std::string UserService::password_state(std::string_view username) {
  validate_name(username, "user name");
  std::string state;
  db_.read([&] {
    const model::User user = require_user(username);
    if (user.disabled) {
      state = "locked";
    } else if (!within_window(user, util::now_rfc3339())) {
      state = "expired";
    } else {
      const auto hash = db_.records().password_hash(user.id);
      state = hash && !hash->empty() ? "set" : "none";
    }
  });
  return state;
}

}  // namespace usersctl::core
