#include "core/history_service.hpp"

#include <limits>

#include "core/time_point.hpp"
#include "core/validation.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"

namespace usersctl::core {

namespace {

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

const char* kind_word(model::RecordKind kind) { return kind == model::RecordKind::User ? "user" : "group"; }

std::string subject_of(model::RecordKind kind, std::string_view name) {
  return (kind == model::RecordKind::User ? "users/" : "groups/") + std::string(name);
}

bool is_creation(const std::string& type) { return type == "user.created" || type == "group.created"; }

}  // namespace

// The record now called `name` (live or in the recycle bin), else the newest record the log
// knows under that name (a record renamed away or purged since).
std::int64_t HistoryService::record_id(model::RecordKind kind, std::string_view name,
                                       std::int64_t max_sequence) {
  store::Store& store = db_.records();
  if (max_sequence == kNoBound) {
    if (kind == model::RecordKind::User) {
      if (auto user = store.find_user(name)) return user->id;
    } else if (auto group = store.find_group(name)) {
      return group->id;
    }
  }
  if (auto id = db_.outbox().subject_record(kind, subject_of(kind, name), max_sequence)) return *id;
  return 0;
}

std::int64_t HistoryService::sequence_up_to(std::string_view at, std::string_view option) {
  if (is_sequence_arg(at)) return std::stoll(std::string(at));
  return db_.outbox().sequence_at(parse_time_arg(at, option));
}

std::optional<std::string> HistoryService::pruned_note(std::int64_t oldest_shown, bool reached_start) {
  if (!reached_start) return std::nullopt;
  const auto below = db_.records().setting(kPrunedBelowSetting);
  if (!below) return std::nullopt;
  const std::int64_t sequence = std::stoll(*below);
  if (oldest_shown != 0 && oldest_shown < sequence) return std::nullopt;
  return "the event log was pruned below sequence " + *below + ": earlier history is gone";
}

std::optional<std::string> HistoryService::history(const HistoryRequest& request,
                                                   const std::function<void(const HistoryEntry&)>& sink) {
  validate_name(request.name, std::string(kind_word(request.kind)) + " name");
  if (request.limit && *request.limit < 0) throw UsageError("--limit must not be negative");
  std::optional<std::string> note;
  db_.read([&] {
    const std::int64_t id = record_id(request.kind, request.name, kNoBound);
    if (id == 0) {
      throw NotFound(std::string(kind_word(request.kind)) + " '" + request.name + "' has no history",
                     "no such record was ever logged");
    }
    std::int64_t min_sequence = 0;
    if (request.since && is_sequence_arg(*request.since)) {
      min_sequence = std::stoll(*request.since) + 1;
    } else if (request.since) {
      const std::int64_t from_ms = unix_ms_of(parse_time_arg(*request.since, "--since"));
      min_sequence = db_.outbox().sequence_at(util::rfc3339_from_unix_ms(from_ms - 1)) + 1;
    }
    std::int64_t oldest = 0;
    std::int64_t shown = 0;
    bool created = false;
    db_.outbox().record_events(request.kind, id, min_sequence, kNoBound, request.limit,
                               [&](const model::StoredEvent& event) {
                                 oldest = event.sequence;
                                 created = is_creation(event.type);
                                 ++shown;
                                 sink(history_entry(event, request.kind));
                               });
    // Only when the whole history was asked for can its start be missing.
    const bool reached_start = !request.since && (!request.limit || shown < *request.limit) && !created;
    note = pruned_note(oldest, reached_start);
  });
  return note;
}

model::Record HistoryService::user_as_of(std::string_view username, std::string_view at) {
  validate_name(username, "user name");
  model::Record record;
  db_.read([&] {
    const std::int64_t max_sequence = sequence_up_to(at, "--as-of");
    const std::string missing = "user '" + std::string(username) + "' did not exist at " + std::string(at);
    const std::int64_t id = record_id(model::RecordKind::User, username, max_sequence);
    if (id == 0) throw NotFound(missing);
    std::optional<model::StoredEvent> last;
    db_.outbox().record_events(model::RecordKind::User, id, 0, max_sequence, 1,
                               [&](const model::StoredEvent& event) { last = event; });
    if (!last || last->type == "user.deleted" || last->type == "user.purged") throw NotFound(missing);
    const model::Record body = model::Record::parse(last->body, nullptr, false);
    const model::Record* user = nullptr;
    if (body.is_object() && body.contains("data") && body["data"].contains("user"))
      user = &body["data"]["user"];
    if (!user || user->value("username", std::string()) != username) throw NotFound(missing);
    record = *user;
  });
  return record;
}

// Inside a write: prunes and remembers the lowest sequence kept from here on, so that history
// can say where it stops.
std::int64_t HistoryService::prune_below(std::int64_t sequence) {
  const std::int64_t dropped = db_.outbox().prune_events(sequence);
  if (dropped == 0) return 0;
  const auto previous = db_.records().setting(kPrunedBelowSetting);
  if (!previous || std::stoll(*previous) < sequence) {
    db_.records().set_setting(kPrunedBelowSetting, std::to_string(sequence));
  }
  return dropped;
}

std::int64_t HistoryService::prune(std::string_view before) {
  std::int64_t dropped = 0;
  db_.write([&] {
    const std::int64_t bound = is_sequence_arg(before)
                                   ? std::stoll(std::string(before))
                                   : db_.outbox().sequence_at(util::rfc3339_from_unix_ms(
                                         unix_ms_of(parse_time_arg(before, "--before")) - 1)) +
                                         1;
    dropped = prune_below(bound);
  });
  return dropped;
}

std::int64_t events_keep_days(store::Store& store) {
  const auto days = store.setting(kKeepDaysSetting);
  return days ? std::stoll(*days) : 0;
}

std::int64_t HistoryService::apply_retention() {
  // A read first: without the setting (the default) no write lock is taken.
  std::int64_t days = 0;
  db_.read([&] { days = events_keep_days(db_.records()); });
  if (days <= 0) return 0;
  std::int64_t dropped = 0;
  db_.write([&] {
    const std::int64_t cutoff_ms = util::now_unix_ms() - days * 86'400'000;
    const std::int64_t bound = db_.outbox().sequence_at(util::rfc3339_from_unix_ms(cutoff_ms - 1)) + 1;
    if (db_.outbox().event_stats().oldest_sequence < bound) dropped = prune_below(bound);
  });
  return dropped;
}

model::EventStats HistoryService::event_stats() {
  model::EventStats stats;
  db_.read([&] { stats = db_.outbox().event_stats(); });
  return stats;
}

}  // namespace usersctl::core
