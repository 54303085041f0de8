#pragma once
// The SQLite user and group records (store::Store) on one connection, shared with the outbox.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"
#include "store/user_list_sql.hpp"

namespace usersctl::store::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(Connection& db) : db_(db) {}

  std::optional<model::User> find_user(std::string_view username) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<std::string> user_with_email_key(std::string_view email_key) override;
  std::int64_t insert_user(const model::User& user, const std::optional<std::string>& hash) override;
  // A bulk load inserts users many rows to a statement: the FTS5 index behind the users table
  // does its statement-end work once per statement, which dominates row-at-a-time inserts.
  void insert_users(std::vector<NewUserRow>& rows) override;
  void update_user(const model::User& user) override;
  void set_password_hash(std::int64_t user_id, std::string_view hash) override;
  void delete_user(std::int64_t user_id) override;
  void list_users(const model::UserQuery& query,
                  const std::function<void(const model::User&)>& sink) override;
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

 private:
  void stream_users(const UserListSql& sql, const std::function<void(const model::User&)>& sink);
  static std::optional<std::string> email_key(const model::User& user);
  std::int64_t count(const char* sql);
  // One INSERT of `count` rows with ids given explicitly (the next after the highest), so each
  // row learns its id. False when a uniqueness rule failed: the statement undid itself.
  bool insert_user_chunk(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count);
  // Finds the row that broke a uniqueness rule, inserting the ones before it.
  void insert_users_one_by_one(std::vector<NewUserRow>& rows, std::size_t start, std::size_t count);
  std::unique_ptr<Statement> chunk_insert(std::size_t count);
  Statement& full_chunk_insert();
  // INSERT of one row without id, parameters as bind_user_row() binds them from 1.
  Statement& single_insert();
  void bind_user_row(Statement& stmt, int first, const model::User& user,
                     const std::optional<std::string>& hash);
  void insert_attrs(std::int64_t user_id, const model::Attributes& attrs);
  Connection& db_;
  std::unique_ptr<Statement> full_chunk_insert_;  // finalized before the connection closes
};

}  // namespace usersctl::store::sqlite
