#pragma once
// A record's history read from the event log, by its surrogate id so it follows renames, and a
// user as it was at a point in time (`usersctl history`, `show --as-of`).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/history_diff.hpp"
#include "model/records.hpp"
#include "store/database.hpp"

namespace usersctl::core {

struct HistoryRequest {
  model::RecordKind kind = model::RecordKind::User;
  std::string name;
  std::optional<std::int64_t> limit;
  std::optional<std::string> since;  // a sequence (digits: the entries after it) or a time (from it)
};

// The setting that remembers the lowest sequence a prune kept: history before it is gone.
inline constexpr const char* kPrunedBelowSetting = "events_pruned_below";
// Days of events to keep (0: all), applied after each command that writes.
inline constexpr const char* kKeepDaysSetting = "events_keep_days";
// Its value, 0 when it is not set: read once here for the retention and for the check after a write
// whether any may be due (core/housekeeping.cpp).
std::int64_t events_keep_days(store::Store& store);

class HistoryService {
 public:
  explicit HistoryService(store::Database& db) : db_(db) {}
  // Newest first. Returns a note when the log was pruned below the oldest entry shown, so
  // what came before is no longer known. NotFound when no such record was ever logged.
  std::optional<std::string> history(const HistoryRequest& request,
                                     const std::function<void(const HistoryEntry&)>& sink);
  // The user named `username` at `at` (a sequence or a time), as its last event up to then
  // recorded it; NotFound when no user had that name then.
  model::Record user_as_of(std::string_view username, std::string_view at);

  // Retention. Drops the events before `before` (a sequence, or a time) except those a delivery
  // still waits for and those about a record in the recycle bin; emits no event (the log is
  // not a record). Returns how many went.
  std::int64_t prune(std::string_view before);
  // The events_keep_days setting, after a command wrote: prunes what is older (0: keep all).
  std::int64_t apply_retention();
  model::EventStats event_stats();

 private:
  std::int64_t record_id(model::RecordKind kind, std::string_view name, std::int64_t max_sequence);
  std::int64_t sequence_up_to(std::string_view at, std::string_view option);
  std::optional<std::string> pruned_note(std::int64_t oldest_shown, bool reached_start);
  std::int64_t prune_below(std::int64_t sequence);

  store::Database& db_;
};

}  // namespace usersctl::core
