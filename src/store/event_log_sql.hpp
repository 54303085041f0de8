#pragma once
// The event log's history and retention statements, which both backends run as they are (the
// conventions of shared_sql.hpp: $1, $2, ... in order of first use, no casts).

namespace usersctl::store::event_log_sql {

inline constexpr const char* kInsertEvent =
    "INSERT INTO events (sequence, id, type, time, body, user_id, group_id, subject) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// A record's events in [$2, $3], newest first, at most $4 (-1: all) — user_id or group_id is $1.
#define USERSCTL_RECORD_EVENTS(column)                              \
  "SELECT sequence, id, type, time, body FROM events WHERE " column \
  " = $1 AND sequence >= $2 "                                       \
  "AND sequence <= $3 ORDER BY sequence DESC LIMIT $4"
inline constexpr const char* kUserEvents = USERSCTL_RECORD_EVENTS("user_id");
inline constexpr const char* kGroupEvents = USERSCTL_RECORD_EVENTS("group_id");
#undef USERSCTL_RECORD_EVENTS

inline constexpr const char* kSubjectUser =
    "SELECT user_id FROM events WHERE subject = $1 AND sequence <= $2 AND user_id IS NOT NULL "
    "ORDER BY sequence DESC LIMIT 1";
inline constexpr const char* kSubjectGroup =
    "SELECT group_id FROM events WHERE subject = $1 AND sequence <= $2 AND group_id IS NOT NULL "
    "ORDER BY sequence DESC LIMIT 1";

inline constexpr const char* kSequenceAt = "SELECT coalesce(max(sequence), 0) FROM events WHERE time <= $1";

inline constexpr const char* kEventStats =
    "SELECT count(*), coalesce(min(sequence), 0), coalesce((SELECT time FROM events ORDER BY sequence LIMIT "
    "1), '') "
    "FROM events";

// What a prune keeps below its bound: events a delivery still waits for (pending or failed:
// `events redeliver --failed` may still want it), the history of a record in the recycle bin,
// every event after a consumer's cursor and every dead letter (`events consume` hands them out
// later), and the newest event, which the next sequence follows (a sequence is never handed out
// twice).
#define USERSCTL_PRUNABLE                                                                              \
  "sequence < $1 AND sequence < (SELECT max(m.sequence) FROM events m) AND NOT EXISTS (SELECT 1 FROM " \
  "deliveries d WHERE d.sequence = events.sequence "                                                   \
  "AND d.state <> 'delivered') AND (user_id IS NULL OR NOT EXISTS (SELECT 1 FROM users u WHERE "       \
  "u.id = events.user_id AND u.deleted_at IS NOT NULL)) AND (group_id IS NULL OR NOT EXISTS "          \
  "(SELECT 1 FROM usergroups g WHERE g.id = events.group_id AND g.deleted_at IS NOT NULL)) AND "       \
  "sequence <= (SELECT coalesce(min(c.cursor_seq), $1) FROM consumers c) AND sequence NOT IN (SELECT " \
  "l.sequence FROM consumer_dead_letters l)"
inline constexpr const char* kPruneDeliveries =
    "DELETE FROM deliveries WHERE sequence IN (SELECT sequence FROM events WHERE " USERSCTL_PRUNABLE ")";
inline constexpr const char* kPruneEvents = "DELETE FROM events WHERE " USERSCTL_PRUNABLE;
#undef USERSCTL_PRUNABLE

}  // namespace usersctl::store::event_log_sql
