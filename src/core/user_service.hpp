#pragma once
// The user lifecycle: every rule of docs/ARCHITECTURE.md, "Record rules", each mutation one transaction.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutation.hpp"
#include "core/posix_account.hpp"
#include "model/change.hpp"
#include "model/search_query.hpp"
#include "model/user.hpp"
#include "model/user_query.hpp"
#include "store/database.hpp"
#include "util/secret_string.hpp"

namespace usersctl::core {

enum class IfExists { Fail, Skip };   // add --if-not-exists
enum class IfMissing { Fail, Skip };  // delete --if-exists

// A create finding `what` ("user 'alice'") there already: true to skip it (--if-not-exists);
// refused (exit 4) without. False when it does not exist.
bool exists_already(bool exists, IfExists if_exists, const std::string& what);

struct NewUser {
  std::string username;
  std::optional<std::string> email;
  std::string name;
  PosixRequest posix;  // uid, primary group, home, shell
  std::vector<std::string> groups;
  model::Attributes attrs;
  bool disabled = false;
  std::optional<util::SecretString> password;  // plain text, hashed before the transaction, wiped
  std::optional<std::string> password_hash;    // an existing crypt(3) hash (migration)
  // The validity window as typed (a date or time; absent: unbounded). See core/account_window.hpp.
  std::optional<std::string> valid_from;
  std::optional<std::string> expires_at;
};

struct UserUpdate {
  std::optional<std::string> email;  // empty string clears the email
  std::optional<std::string> name;
  std::optional<std::string> rename;
  PosixRequest posix;
  model::Attributes set_attrs;
  std::vector<std::string> unset_attrs;
  std::optional<util::SecretString> password;
  std::optional<bool> disabled;
  std::optional<std::int64_t> if_version;
  // A date or time, or "never" to remove the bound.
  std::optional<std::string> valid_from;
  std::optional<std::string> expires_at;

  bool empty() const;
};

class UserService {
 public:
  UserService(MutationRunner& runner, store::Database& db) : runner_(runner), db_(db) {}

  // Changes are empty when --if-not-exists found the user already there.
  std::vector<model::Change> add(const NewUser& user, IfExists if_exists);
  // Changes are empty when every value given equals the current one.
  std::vector<model::Change> update(std::string_view username, const UserUpdate& update);
  // All or nothing: any missing user fails the whole call unless IfMissing::Skip. `purge` skips
  // the recycle bin: user.deleted then user.purged for each, in the same transaction.
  std::vector<model::Change> remove(const std::vector<std::string>& usernames, IfMissing if_missing,
                                    bool purge = false);
  std::vector<model::Change> set_password(std::string_view username, std::string_view password);

  model::User show(std::string_view username);
  // NotFound for a uid no user has.
  model::User show_by_uid(std::int64_t uid);
  // The canonical authorized_keys lines of an enabled user; nothing for a disabled or unknown
  // user or an impossible name (sshd's AuthorizedKeysCommand: one indexed query, no writes).
  std::vector<std::string> authorized_keys(std::string_view username);
  void list(const model::UserQuery& query, const std::function<void(const model::User&)>& sink);
  // `query.text` as typed; folded here.
  void search(model::SearchQuery query, const std::function<void(const model::User&)>& sink);
  bool check_password(std::string_view username, std::string_view password);
  // "set", "none" or "locked" (a disabled account); never the hash (show's password field).
  std::string password_state(std::string_view username);

  // Export: every user by username, in one read snapshot so the parts agree. When
  // `attribute_keys` is set it first gets the sorted distinct attribute keys (the CSV columns).
  void export_users(const std::function<void(const std::vector<std::string>&)>& attribute_keys,
                    const std::function<void(const model::User&)>& sink);

 private:
  model::User require_user(std::string_view username);
  void check_email_free(const std::optional<std::string>& email, std::string_view owner);

  MutationRunner& runner_;
  store::Database& db_;
};

}  // namespace usersctl::core
