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
};

enum class HookKind { Url, Exec };

struct Hook {
  std::int64_t id = 0;
  HookKind kind = HookKind::Url;
  std::string target;                 // URL or shell command
  std::optional<std::string> secret;  // whsec_…; never printed
  std::string types = "*";            // comma-separated patterns: user.*,group.member_added
  bool disabled = false;              // set when the receiver answered 410 Gone
  std::string created_at;
  std::string created_by;
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
};

}  // namespace usersctl::model
