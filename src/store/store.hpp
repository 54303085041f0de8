#pragma once
// The storage interface the service runs on. Backends (sqlite/, later postgres/) implement it;
// nothing above this layer sees SQL. Every method other than write()/read() must be called
// from inside one of them, so that a command's reads and writes form one transaction.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/group.hpp"
#include "core/search_query.hpp"
#include "core/user.hpp"
#include "core/user_query.hpp"
#include "store/outbox_types.hpp"

namespace usersctl::store {

enum class IdSpace { Uid, Gid };
// Whose names list_names() returns.
enum class NameKind { Users, Groups };

// One user of a bulk load (import): the record, its password hash and the groups it joins.
struct NewUserRow {
  core::User user;  // user.id is set by insert_users()
  std::optional<std::string> password_hash;
  std::vector<std::int64_t> group_ids;
};

// A bulk insert hit a uniqueness rule (username, uid or email) at rows[row]: the caller names
// the input line. Rows before it may have been written; the caller's transaction rolls back.
struct RowConflict : Conflict {
  RowConflict(std::size_t row_index, const std::string& what) : Conflict(what), row(row_index) {}
  std::size_t row;
};

struct StoreInfo {
  std::string backend;            // "sqlite", "postgresql"
  std::string location;           // the URL with any password redacted
  int schema_version = 0;         // what the database has
  int binary_schema_version = 0;  // what this binary writes
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `work` in one write transaction: commits when it returns, rolls back when it throws.
  // Concurrent writers are serialised; waiting past the busy timeout throws Unavailable.
  virtual void write(const std::function<void()>& work) = 0;
  // Runs `work` against one consistent snapshot.
  virtual void read(const std::function<void()>& work) = 0;
  virtual StoreInfo info() = 0;

  // Users. Lookups return records complete with groups and attributes.
  virtual std::optional<core::User> find_user(std::string_view username) = 0;
  virtual std::optional<std::string> password_hash(std::int64_t user_id) = 0;
  // The username holding this case-folded email, if any.
  virtual std::optional<std::string> user_with_email_key(std::string_view email_key) = 0;
  virtual std::int64_t insert_user(const core::User& user,
                                   const std::optional<std::string>& password_hash) = 0;
  // Writes every field of `user` (attributes replaced whole) to the row `user.id`.
  virtual void update_user(const core::User& user) = 0;
  virtual void set_password_hash(std::int64_t user_id, std::string_view hash) = 0;
  // Deletes the user and its memberships.
  virtual void delete_user(std::int64_t user_id) = 0;
  // Streams matching users in order to `sink`; memory does not grow with the result.
  virtual void list_users(const core::UserQuery& query,
                          const std::function<void(const core::User&)>& sink) = 0;
  virtual std::int64_t count_users() = 0;
  // Up to `limit` user or group names starting with `prefix`, in byte order, through an index range
  // scan (shell completion: fast on any table size).
  virtual void list_names(NameKind kind, std::string_view prefix, std::int64_t limit,
                          const std::function<void(const std::string&)>& sink) = 0;
  // The first `query.limit` users whose selected fields contain the folded text, ranked:
  // the exact username, then usernames starting with it (by name), then the other matches
  // (oldest first).
  virtual void search_users(const core::SearchQuery& query,
                            const std::function<void(const core::User&)>& sink) = 0;
  // Every attribute key some user has, distinct, in byte order (the attrs.* columns of a CSV export).
  virtual std::vector<std::string> attribute_keys() = 0;

  // Bulk loading (import), inside write(). The defaults loop over the single-row methods; a
  // backend may override them with a faster path (COPY) that gives the same result.
  // Inserts `rows` in order with their attributes, memberships and hashes, setting each
  // row's user.id; a row breaking a uniqueness rule throws RowConflict.
  virtual void insert_users(std::vector<NewUserRow>& rows);
  // Appends events (sequences already assigned, rising by one).
  virtual void insert_events(const std::vector<StoredEvent>& events);

  // Ids: who holds one, the highest in [low, high), the lowest free one in [low, high).
  virtual bool id_in_use(IdSpace space, std::int64_t id) = 0;
  virtual std::optional<std::int64_t> highest_id(IdSpace space, std::int64_t low, std::int64_t high) = 0;
  virtual std::optional<std::int64_t> lowest_free_id(IdSpace space, std::int64_t low, std::int64_t high) = 0;

  // Groups. Lookups return records complete with member names.
  virtual std::optional<core::Group> find_group(std::string_view name) = 0;
  // The gid of the group called `name`, without its members (a cheap per-row lookup).
  virtual std::optional<std::int64_t> group_gid(std::string_view name) = 0;
  virtual std::int64_t insert_group(const core::Group& group) = 0;
  // Writes name, gid, description, version and updated_* of the row `group.id`.
  virtual void update_group(const core::Group& group) = 0;
  // Deletes the group and its memberships.
  virtual void delete_group(std::int64_t group_id) = 0;
  // Return whether the membership changed.
  virtual bool add_member(std::int64_t group_id, std::int64_t user_id) = 0;
  virtual bool remove_member(std::int64_t group_id, std::int64_t user_id) = 0;
  // All groups by name, or those `member` belongs to.
  virtual void list_groups(const std::optional<std::string>& member,
                           const std::function<void(const core::Group&)>& sink) = 0;
  virtual std::int64_t count_groups() = 0;

  // Events: appended in the transaction of the change they record.
  virtual std::int64_t last_event_sequence() = 0;
  virtual void insert_event(const StoredEvent& event) = 0;
  // Events with sequence > `after`, in order; `type_prefix` filters "user." or exact types.
  virtual void list_events(std::int64_t after, const std::optional<std::string>& type,
                           std::optional<std::int64_t> limit,
                           const std::function<void(const StoredEvent&)>& sink) = 0;
  virtual std::optional<StoredEvent> find_event(std::int64_t sequence) = 0;

  // Hooks.
  virtual std::int64_t insert_hook(const Hook& hook) = 0;
  virtual std::optional<Hook> find_hook(std::int64_t id) = 0;
  virtual void list_hooks(const std::function<void(const Hook&)>& sink) = 0;
  virtual void delete_hook(std::int64_t id) = 0;
  virtual void set_hook_disabled(std::int64_t id, bool disabled) = 0;
  // Takes the hook's delivery lease so one process at a time sends its events in order;
  // false while another process holds an unexpired lease.
  virtual bool claim_hook(std::int64_t id, std::int64_t now_ms, std::int64_t lease_ms) = 0;
  virtual void release_hook(std::int64_t id) = 0;

  // Deliveries: one per (hook, event), queued with the event.
  virtual void queue_delivery(std::int64_t hook_id, std::int64_t sequence, std::int64_t due_ms) = 0;
  // The hook's pending deliveries in sequence order, bodies included.
  virtual std::vector<Delivery> pending_deliveries(std::int64_t hook_id, std::int64_t limit) = 0;
  virtual void mark_delivered(std::int64_t hook_id, std::int64_t sequence, std::string_view time) = 0;
  virtual void mark_retry(std::int64_t hook_id, std::int64_t sequence, int attempts,
                          std::int64_t next_attempt_ms, std::string_view error) = 0;
  virtual void mark_failed(std::int64_t hook_id, std::int64_t sequence, int attempts,
                           std::string_view error) = 0;
  // Back to pending, due now: these sequences (for every hook that had them), or every failed one.
  virtual std::int64_t requeue_sequences(const std::vector<std::int64_t>& sequences, std::int64_t now_ms) = 0;
  virtual std::int64_t requeue_failed(std::int64_t now_ms) = 0;
  virtual std::vector<HookDeliveryCounts> delivery_counts() = 0;
};

}  // namespace usersctl::store
