#pragma once
// The statements of store::Consumers, which both backends run as they are (shared_sql.hpp's
// rules: $1, $2, ... in order of first use, no casts). Included by the two *_consumers.cpp only.

namespace usersctl::store::consumer_sql {

inline constexpr const char* kEnsure =
    "INSERT INTO consumers (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

// name, cursor, attempts, next_attempt_ms, last_error, lease_until, created_at, dead, requeued.
#define USERSCTL_CONSUMER_COLUMNS                                                                 \
  "SELECT c.name, c.cursor_seq, c.attempts, c.next_attempt_ms, c.last_error, c.lease_until, "     \
  "c.created_at, (SELECT count(*) FROM consumer_dead_letters d WHERE d.consumer = c.name AND "    \
  "d.requeued = 0), (SELECT count(*) FROM consumer_dead_letters d WHERE d.consumer = c.name AND " \
  "d.requeued = 1) FROM consumers c"
inline constexpr const char* kFind = USERSCTL_CONSUMER_COLUMNS " WHERE c.name = $1";
inline constexpr const char* kList = USERSCTL_CONSUMER_COLUMNS " ORDER BY c.name";
#undef USERSCTL_CONSUMER_COLUMNS

inline constexpr const char* kDeleteLetters = "DELETE FROM consumer_dead_letters WHERE consumer = $1";
inline constexpr const char* kDelete = "DELETE FROM consumers WHERE name = $1";

// $1 owner, $2 the new expiry, $3 name, $4 now.
inline constexpr const char* kClaim =
    "UPDATE consumers SET lease_owner = $1, lease_until = $2 WHERE name = $3 AND "
    "(lease_until <= $4 OR lease_owner = $1)";
inline constexpr const char* kRelease =
    "UPDATE consumers SET lease_owner = NULL, lease_until = 0 WHERE name = $1 AND lease_owner = $2";
inline constexpr const char* kAdvance =
    "UPDATE consumers SET cursor_seq = $1, attempts = 0, next_attempt_ms = 0, last_error = NULL "
    "WHERE name = $2 AND lease_owner = $3";
inline constexpr const char* kFailure =
    "UPDATE consumers SET attempts = $1, next_attempt_ms = $2, last_error = $3 WHERE name = $4";

inline constexpr const char* kInsertLetter =
    "INSERT INTO consumer_dead_letters (consumer, sequence, attempts, error, dead_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consumer, sequence) DO UPDATE SET attempts = "
    "excluded.attempts, error = excluded.error, "
    "dead_at = excluded.dead_at, requeued = 0";

// Consumer $1's dead letters with their events.
#define USERSCTL_LETTER_EVENTS \
  " FROM consumer_dead_letters d JOIN events e ON e.sequence = d.sequence WHERE d.consumer = $1"
inline constexpr const char* kLetters =
    "SELECT d.sequence, e.type, d.attempts, d.error, d.dead_at, d.requeued" USERSCTL_LETTER_EVENTS
    " ORDER BY d.sequence";
inline constexpr const char* kRequeuedEvents =
    "SELECT e.sequence, e.id, e.type, e.time, e.body" USERSCTL_LETTER_EVENTS
    " AND d.requeued = 1 ORDER BY d.sequence LIMIT $2";
#undef USERSCTL_LETTER_EVENTS

inline constexpr const char* kDropLetter =
    "DELETE FROM consumer_dead_letters WHERE consumer = $1 AND sequence = $2";
inline constexpr const char* kDeadAgain =
    "UPDATE consumer_dead_letters SET requeued = 0, attempts = attempts + 1, error = $1 WHERE consumer = $2 "
    "AND sequence = $3";
inline constexpr const char* kRequeue =
    "UPDATE consumer_dead_letters SET requeued = 1 WHERE consumer = $1 AND requeued = 0";

}  // namespace usersctl::store::consumer_sql
