#pragma once
// One declaration of the user and group records (store::Store) for every backend: a backend
// names it with its own Connection type (sqlite::SqliteStore, postgres::PgStore) and defines each
// member for that type in its .cpp files (explicit specializations, `template <>`). A method added
// to Store is declared here once and defined once per backend; a backend that has no member
// definition for a method fails to link, so none can be forgotten.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace usersctl::store {

template <class Connection>
class BackendStore final : public Store {
 public:
  explicit BackendStore(Connection& db) : db_(db) {}

  std::optional<model::User> find_user(std::string_view username) override;
  bool user_exists(std::string_view username) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<std::string> user_with_email_key(std::string_view email_key) override;
  std::int64_t insert_user(const model::User& user, const std::optional<std::string>& hash) override;
  // Both backends insert a bulk load many rows to a statement (SQLite: multi-row INSERTs, as the
  // FTS5 index does its statement-end work once per statement; PostgreSQL: unnest() of arrays).
  void insert_users(std::vector<NewUserRow>& rows) override;
  void update_user(const model::User& user) override;
  void set_password_hash(std::int64_t user_id, std::string_view hash) override;
  void delete_user(std::int64_t user_id) override;
  void list_users(const model::UserQuery& query,
                  const std::function<void(const model::User&)>& sink) override;
  void list_users_with_credentials(const std::function<void(const UserWithCredentials&)>& sink) override;
  void search_users(const model::SearchQuery& query,
                    const std::function<void(const model::User&)>& sink) override;
  std::int64_t count_users() override;
  void list_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                  const std::function<void(const std::string&)>& sink) override;
  std::vector<std::string> attribute_keys() override;
  bool id_in_use(model::IdSpace space, std::int64_t id) override;
  std::optional<std::int64_t> highest_id(std::int64_t low, std::int64_t high) override;
  std::optional<std::int64_t> lowest_free_id(std::int64_t low, std::int64_t high) override;
  std::optional<model::User> find_user_by_uid(std::int64_t uid) override;
  std::optional<model::Group> find_group_by_gid(std::int64_t gid) override;
  std::vector<model::SshKey> ssh_keys(std::int64_t user_id) override;
  void insert_ssh_key(std::int64_t user_id, const model::SshKey& key) override;
  bool delete_ssh_key(std::int64_t user_id, std::string_view fingerprint) override;
  std::vector<std::string> authorized_keys(std::string_view username) override;
  std::optional<std::string> setting(std::string_view key) override;
  void set_setting(std::string_view key, std::string_view value) override;
  std::optional<model::Group> find_group(std::string_view name) override;
  std::optional<std::int64_t> group_gid(std::string_view name) override;
  std::int64_t insert_group(const model::Group& group) override;
  void update_group(const model::Group& group) override;
  void delete_group(std::int64_t group_id) override;
  bool add_member(std::int64_t group_id, std::int64_t user_id) override;
  bool remove_member(std::int64_t group_id, std::int64_t user_id) override;
  void list_groups(const std::optional<std::string>& member,
                   const std::function<void(const model::Group&)>& sink) override;
  std::int64_t count_groups() override;
  void bin_user(std::int64_t user_id, std::string_view deleted_at, std::string_view deleted_by) override;
  void unbin_user(std::int64_t user_id, std::string_view username) override;
  std::optional<model::User> find_binned_user(std::string_view username) override;
  void list_binned_users(const std::function<void(const model::User&)>& sink) override;
  std::optional<std::string> oldest_binned_at() override;
  void bin_group(std::int64_t group_id, std::string_view deleted_at, std::string_view deleted_by) override;
  void unbin_group(std::int64_t group_id, std::string_view name) override;
  std::optional<model::Group> find_binned_group(std::string_view name) override;
  void list_binned_groups(const std::function<void(const model::Group&)>& sink) override;

 private:
  Connection& db_;  // shared with the backend's Outbox; outlives this
};

}  // namespace usersctl::store
