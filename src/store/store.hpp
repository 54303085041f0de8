#pragma once
// The user and group records: lookups, writes, listing, search and id queries. Backends
// (sqlite/, postgres/) implement it; nothing above this layer sees SQL. Every method runs inside
// Transactions::write() or read() of the same Database.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/group.hpp"
#include "model/id_space.hpp"
#include "model/search_query.hpp"
#include "model/ssh_key.hpp"
#include "model/user.hpp"
#include "model/user_query.hpp"
#include "util/errors.hpp"

namespace usersctl::store {

// One user of a bulk load (import): the record, its password hash and the groups it joins.
struct NewUserRow {
  model::User user;  // user.id is set by insert_users()
  std::optional<std::string> password_hash;
  std::vector<std::int64_t> group_ids;
};

// A user as the directory exports (dump, shadow, LDIF) need it: the record, its password hash and
// its SSH keys whole (added_at and all). `user.ssh_keys` holds the keys' lines, as list_users gives.
struct UserWithCredentials {
  model::User user;
  std::optional<std::string> password_hash;
  std::vector<model::SshKey> keys;
};

// A bulk insert hit a uniqueness rule (username, uid or email) at rows[row]: the caller names
// the input line. Rows before it may have been written; the caller's transaction rolls back.
struct RowConflict : Conflict {
  RowConflict(std::size_t row_index, const std::string& what) : Conflict(what), row(row_index) {}
  std::size_t row;
};

class Store {
 public:
  virtual ~Store() = default;

  // Users. Lookups return records complete with groups and attributes.
  virtual std::optional<model::User> find_user(std::string_view username) = 0;
  // Whether find_user would find it, reading the users table only: on PostgreSQL a fresh session
  // pays about a millisecond to open each further table (memberships, ssh_keys) find_user reads.
  virtual bool user_exists(std::string_view username) = 0;
  virtual std::optional<model::User> find_user_by_uid(std::int64_t uid) = 0;
  virtual std::optional<std::string> password_hash(std::int64_t user_id) = 0;
  // The username holding this case-folded email, if any.
  virtual std::optional<std::string> user_with_email_key(std::string_view email_key) = 0;
  virtual std::int64_t insert_user(const model::User& user,
                                   const std::optional<std::string>& password_hash) = 0;
  // Writes every field of `user` (attributes replaced whole) to the row `user.id`.
  virtual void update_user(const model::User& user) = 0;
  virtual void set_password_hash(std::int64_t user_id, std::string_view hash) = 0;
  // Deletes the user and its memberships.
  virtual void delete_user(std::int64_t user_id) = 0;
  // Streams matching users in order to `sink`; memory does not grow with the result.
  virtual void list_users(const model::UserQuery& query,
                          const std::function<void(const model::User&)>& sink) = 0;
  // Every user by username, as list_users(UserQuery{}) streams them, each with its hash and keys
  // read by the same statement: a directory export would otherwise ask for them user by user.
  virtual void list_users_with_credentials(const std::function<void(const UserWithCredentials&)>& sink) = 0;
  virtual std::int64_t count_users() = 0;
  // Up to `limit` user or group names starting with `prefix`, in byte order, through an index range
  // scan (shell completion: fast on any table size).
  virtual void list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                          const std::function<void(const std::string&)>& sink) = 0;
  // The first `query.limit` users whose selected fields contain the folded text, ranked:
  // the exact username, then usernames starting with it (by name), then the other matches
  // (oldest first).
  virtual void search_users(const model::SearchQuery& query,
                            const std::function<void(const model::User&)>& sink) = 0;
  // Every attribute key some user has, distinct, in byte order (the attrs.* columns of a CSV export).
  virtual std::vector<std::string> attribute_keys() = 0;

  // Bulk loading (import), inside write(). The defaults loop over the single-row methods; a
  // backend may override them with a faster path (COPY) that gives the same result.
  // Inserts `rows` in order with their attributes, memberships and hashes, setting each
  // row's user.id; a row breaking a uniqueness rule throws RowConflict.
  virtual void insert_users(std::vector<NewUserRow>& rows);

  // Ids: whether a uid (users) or gid (usergroups) is taken; then, over uids and gids together (one
  // id space, as a user's private group has the gid of its uid), the highest in [low, high) and the
  // lowest in [low, high) that neither table holds.
  virtual bool id_in_use(model::IdSpace space, std::int64_t id) = 0;
  virtual std::optional<std::int64_t> highest_id(std::int64_t low, std::int64_t high) = 0;
  virtual std::optional<std::int64_t> lowest_free_id(std::int64_t low, std::int64_t high) = 0;

  // SSH public keys, oldest first. insert_ssh_key throws Conflict when the user has the fingerprint.
  virtual std::vector<model::SshKey> ssh_keys(std::int64_t user_id) = 0;
  virtual void insert_ssh_key(std::int64_t user_id, const model::SshKey& key) = 0;
  // Whether a key went.
  virtual bool delete_ssh_key(std::int64_t user_id, std::string_view fingerprint) = 0;
  // The canonical lines of the keys of `username` when that user exists and is enabled, else
  // nothing: one indexed query (sshd's AuthorizedKeysCommand waits on it at every login).
  virtual std::vector<std::string> authorized_keys(std::string_view username) = 0;

  // Database-wide settings as stored (a key never set is absent: its default is the caller's).
  virtual std::optional<std::string> setting(std::string_view key) = 0;
  virtual void set_setting(std::string_view key, std::string_view value) = 0;

  // Groups. Lookups return records complete with member names.
  virtual std::optional<model::Group> find_group(std::string_view name) = 0;
  // The usergroups row with this gid (never a user private group).
  virtual std::optional<model::Group> find_group_by_gid(std::int64_t gid) = 0;
  // The gid of the group called `name`, without its members (a cheap per-row lookup).
  virtual std::optional<std::int64_t> group_gid(std::string_view name) = 0;
  virtual std::int64_t insert_group(const model::Group& group) = 0;
  // Writes name, gid, description, version and updated_* of the row `group.id`.
  virtual void update_group(const model::Group& group) = 0;
  // Deletes the group and its memberships.
  virtual void delete_group(std::int64_t group_id) = 0;
  // Return whether the membership changed.
  virtual bool add_member(std::int64_t group_id, std::int64_t user_id) = 0;
  virtual bool remove_member(std::int64_t group_id, std::int64_t user_id) = 0;
  // All groups by name, or those `member` belongs to.
  virtual void list_groups(const std::optional<std::string>& member,
                           const std::function<void(const model::Group&)>& sink) = 0;
  virtual std::int64_t count_groups() = 0;

  // The recycle bin. A binned record keeps its row (a user its uid, hash, SSH keys, attributes
  // and memberships; a group its gid and member list) but gives up its name, which waits in
  // deleted_name: every lookup and listing above skips it, and its ids stay taken.
  virtual void bin_user(std::int64_t user_id, std::string_view deleted_at, std::string_view deleted_by) = 0;
  // Back under `username` (then update_user() writes the rest, its email key included).
  virtual void unbin_user(std::int64_t user_id, std::string_view username) = 0;
  // The user most recently binned under this name; its username is that name again.
  virtual std::optional<model::User> find_binned_user(std::string_view username) = 0;
  // Binned users, oldest deletion first.
  virtual void list_binned_users(const std::function<void(const model::User&)>& sink) = 0;
  // When the user or group longest in the bin went there (deleted_at); none when it is empty.
  virtual std::optional<std::string> oldest_binned_at() = 0;
  virtual void bin_group(std::int64_t group_id, std::string_view deleted_at, std::string_view deleted_by) = 0;
  virtual void unbin_group(std::int64_t group_id, std::string_view name) = 0;
  virtual std::optional<model::Group> find_binned_group(std::string_view name) = 0;
  virtual void list_binned_groups(const std::function<void(const model::Group&)>& sink) = 0;
};

}  // namespace usersctl::store
