#pragma once
// Rows of the transactional outbox: events, hooks and per-hook deliveries.

#include <cstdint>
#include <optional>
#include <string>

namespace usersctl::model {

struct StoredEvent {
  std::int64_t sequence = 0;  // gap-free, +1 per event in the database
  std::string id;             // uuid, also the webhook-id
  std::string type;
  std::string time;
  std::string body;  // the CloudEvents JSON, one line
  // The surrogate ids of the records it is about (0: none), so history follows renames.
  std::int64_t user_id = 0;
  std::int64_t group_id = 0;
  std::string subject = {};  // "users/alice", as in the body
};

// Which records' events: a user's (user.*, and memberships naming it) or a group's.
enum class RecordKind { User, Group };

// The event log as kept (health): how many events, and the oldest.
struct EventStats {
  std::int64_t count = 0;
  std::int64_t oldest_sequence = 0;  // 0: no events
  std::string oldest_time;
};

enum class HookKind { Url, Exec };

// What `hook add` asks for: the part of a hook its creator chooses.
struct HookSpec {
  std::optional<std::string> name;  // unique when set (the rule of group names)
  HookKind kind = HookKind::Url;
  std::string target;                 // URL or shell command
  std::optional<std::string> secret;  // whsec_…; never printed
  std::string types = "*";            // comma-separated patterns: user.*,group.member_added
  int timeout_seconds = 30;           // each attempt's limit (1 to 3600) in `events deliver` and `hook test`
  std::optional<std::string> exclude_actor;  // events this actor caused are not queued for it
};

struct Hook : HookSpec {
  std::int64_t id = 0;    // never reused, even after the hook is removed
  bool disabled = false;  // hook disable, or the receiver answered 410 Gone
  std::string created_at;
  std::string created_by;
  // hook rotate-secret --keep-old: the previous secret also signs until then (unix ms).
  std::optional<std::string> old_secret;
  std::int64_t old_secret_until_ms = 0;
};

enum class DeliveryState { Pending, Delivered, Failed };

struct Delivery {
  std::int64_t hook_id = 0;
  std::int64_t sequence = 0;
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;  // unix milliseconds
  std::string event_id;
  std::string body;
};

struct HookDeliveryCounts {
  std::int64_t hook_id = 0;
  std::int64_t pending = 0;
  std::int64_t failed = 0;
  std::int64_t delivered = 0;
  std::optional<std::string> last_error;
  std::optional<std::string> name;
  bool disabled = false;
  // When the hook's next try is due: its first pending delivery's (later ones wait behind it).
  std::optional<std::int64_t> next_attempt_ms;
};

}  // namespace usersctl::model
