#include "core/event_service.hpp"

#include "core/hook_types.hpp"
#include "events/dispatcher.hpp"
#include "events/exec_sink.hpp"
#include "events/webhook_signature.hpp"
#include "events/webhook_sink.hpp"
#include "model/records.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"
#include "util/uuid.hpp"

namespace usersctl::core {

namespace {

void validate_hook(const NewHook& hook) {
  if (hook.target.empty()) throw Invalid("hook target is empty");
  if (auto problem = util::text_problem(hook.target)) throw Invalid("hook target " + *problem);
  if (hook.kind == model::HookKind::Url) {
    const bool http = hook.target.rfind("http://", 0) == 0 || hook.target.rfind("https://", 0) == 0;
    if (!http || hook.target.find_first_of(" \t") != std::string::npos) {
      throw Invalid("--url '" + hook.target + "': expected an http:// or https:// URL");
    }
  }
  if (hook.secret) events::decode_webhook_secret(*hook.secret);  // throws when malformed
  validate_hook_types(hook.types);
}

std::string test_event_json() {
  model::Record event = model::Record::object();
  event["specversion"] = "1.0";
  event["id"] = util::random_uuid();
  event["source"] = "usersctl";
  event["type"] = "usersctl.hook.test";
  event["time"] = util::now_rfc3339();
  event["datacontenttype"] = "application/json";
  event["data"] = model::Record::object();
  return event.dump();
}

// An unknown type could never match: say so, naming the flag events list has. A bad filter is a
// usage error (exit 2), as list --where's is.
void validate_type_filter(std::string_view type) {
  try {
    validate_hook_types(type, "--type");
  } catch (const Invalid& bad) {
    throw UsageError(bad.what(), bad.hint());
  }
}

}  // namespace

void EventService::list(std::int64_t after, const std::optional<std::string>& type,
                        std::optional<std::int64_t> limit,
                        const std::function<void(const model::StoredEvent&)>& sink) {
  if (limit && *limit < 0) throw UsageError("--limit must not be negative");
  if (type) validate_type_filter(*type);
  db_.read([&] { db_.outbox().list_events(after, type, limit, sink); });
}

std::int64_t EventService::tail(std::int64_t after,
                                const std::function<void(const model::StoredEvent&)>& sink) {
  std::int64_t last = after;
  db_.read([&] {
    db_.outbox().list_events(after, std::nullopt, std::nullopt, [&](const model::StoredEvent& event) {
      sink(event);
      last = event.sequence;
    });
  });
  return last;
}

model::Hook EventService::require_hook(std::int64_t id) {
  std::optional<model::Hook> hook;
  db_.read([&] { hook = db_.outbox().find_hook(id); });
  if (!hook) throw NotFound("hook " + std::to_string(id) + " does not exist", "see usersctl hook list");
  return *hook;
}

std::int64_t EventService::add_hook(const NewHook& request) {
  validate_hook(request);
  model::Hook hook;
  hook.kind = request.kind;
  hook.target = request.target;
  hook.secret = request.secret;
  hook.types = request.types;
  hook.created_at = util::now_rfc3339();
  hook.created_by = actor_;
  std::int64_t id = 0;
  db_.write([&] { id = db_.outbox().insert_hook(hook); });
  return id;
}

void EventService::list_hooks(const std::function<void(const model::Hook&)>& sink) {
  db_.read([&] { db_.outbox().list_hooks(sink); });
}

void EventService::remove_hook(std::int64_t id) {
  db_.write([&] {
    if (!db_.outbox().find_hook(id)) throw NotFound("hook " + std::to_string(id) + " does not exist");
    db_.outbox().delete_hook(id);
  });
}

model::DeliveryResult EventService::test_hook(std::int64_t id) {
  const model::Hook hook = require_hook(id);
  const std::string body = test_event_json();
  if (hook.kind == model::HookKind::Exec) return events::run_exec_hook(hook.target, body + "\n");
  return events::post_webhook(
      {hook.target, hook.secret, model::Record::parse(body)["id"].get<std::string>(), body});
}

model::DispatchSummary EventService::deliver(const model::DispatchOptions& options) {
  return events::dispatch_pending(db_, db_.outbox(), options);
}

std::int64_t EventService::redeliver(const std::vector<std::int64_t>& sequences) {
  std::int64_t count = 0;
  db_.write([&] {
    for (const auto sequence : sequences) {
      if (!db_.outbox().find_event(sequence))
        throw NotFound("event " + std::to_string(sequence) + " does not exist");
    }
    count = db_.outbox().requeue_sequences(sequences, util::now_unix_ms());
  });
  return count;
}

std::int64_t EventService::redeliver_failed() {
  std::int64_t count = 0;
  db_.write([&] { count = db_.outbox().requeue_failed(util::now_unix_ms()); });
  return count;
}

std::vector<model::HookDeliveryCounts> EventService::status() {
  std::vector<model::HookDeliveryCounts> counts;
  db_.read([&] { counts = db_.outbox().delivery_counts(); });
  return counts;
}

DeliveryTotals EventService::totals() {
  DeliveryTotals totals;
  for (const auto& hook : status()) {
    totals.pending += hook.pending;
    totals.failed += hook.failed;
  }
  return totals;
}

HealthReport EventService::health() {
  HealthReport report;
  db_.read([&] {
    report.database = db_.info();
    report.users = db_.records().count_users();
    report.groups = db_.records().count_groups();
    report.last_event = db_.outbox().last_event_sequence();
  });
  report.deliveries = totals();
  return report;
}

}  // namespace usersctl::core
