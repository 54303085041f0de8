#pragma once
// One event of the log as a step of a record's history: who, when, what, and each changed field
// with its value before and after (`usersctl history`). Pure: it reads only the event's JSON.

#include <cstdint>
#include <string>

#include "model/outbox_types.hpp"
#include "model/records.hpp"

namespace usersctl::core {

struct HistoryEntry {
  std::int64_t sequence = 0;
  std::string time;
  std::string actor;
  std::string type;
  model::Record changes = model::Record::object();  // field -> {"before": …, "after": …}
};

// The entry for `event` as seen from a user's or a group's history. Created and restored records
// show every field as after (before null), deleted ones every field as before; an update shows
// the fields its `changes` names (before null where an older event carried no `before`); a
// membership shows the user's `groups` or the group's `members`. Passwords only as "changed".
HistoryEntry history_entry(const model::StoredEvent& event, model::RecordKind kind);

// {"sequence", "time", "actor", "type", "changes"}: one line of `history -o jsonl`.
model::Record history_record(const HistoryEntry& entry);

}  // namespace usersctl::core
