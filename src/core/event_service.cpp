#include "core/event_service.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/hook_types.hpp"
#include "core/records.hpp"
#include "core/text.hpp"
#include "core/uuid.hpp"
#include "events/exec_sink.hpp"
#include "events/webhook_signature.hpp"
#include "events/webhook_sink.hpp"

namespace usersctl::core {

namespace {

void validate_hook(const NewHook& hook) {
  if (hook.target.empty()) throw Invalid("hook target is empty");
  if (auto problem = text_problem(hook.target)) throw Invalid("hook target " + *problem);
  if (hook.kind == store::HookKind::Url) {
    const bool http = hook.target.rfind("http://", 0) == 0 || hook.target.rfind("https://", 0) == 0;
    if (!http || hook.target.find_first_of(" \t") != std::string::npos) {
      throw Invalid("--url '" + hook.target + "': expected an http:// or https:// URL");
    }
  }
  if (hook.secret) events::decode_webhook_secret(*hook.secret);  // throws when malformed
  validate_hook_types(hook.types);
}

std::string test_event_json() {
  Record event = Record::object();
  event["specversion"] = "1.0";
  event["id"] = random_uuid();
  event["source"] = "usersctl";
  event["type"] = "usersctl.hook.test";
  event["time"] = now_rfc3339();
  event["datacontenttype"] = "application/json";
  event["data"] = Record::object();
  return event.dump();
}

}  // namespace

void EventService::list(std::int64_t after, const std::optional<std::string>& type,
                        std::optional<std::int64_t> limit,
                        const std::function<void(const store::StoredEvent&)>& sink) {
  if (limit && *limit < 0) throw UsageError("--limit must not be negative");
  if (type) validate_hook_types(*type);  // an unknown type could never match: say so
  store_.read([&] { store_.list_events(after, type, limit, sink); });
}

std::int64_t EventService::tail(std::int64_t after,
                                const std::function<void(const store::StoredEvent&)>& sink) {
  std::int64_t last = after;
  store_.read([&] {
    store_.list_events(after, std::nullopt, std::nullopt, [&](const store::StoredEvent& event) {
      sink(event);
      last = event.sequence;
    });
  });
  return last;
}

store::Hook EventService::require_hook(std::int64_t id) {
  std::optional<store::Hook> hook;
  store_.read([&] { hook = store_.find_hook(id); });
  if (!hook) throw NotFound("hook " + std::to_string(id) + " does not exist", "see usersctl hook list");
  return *hook;
}

std::int64_t EventService::add_hook(const NewHook& request) {
  validate_hook(request);
  store::Hook hook;
  hook.kind = request.kind;
  hook.target = request.target;
  hook.secret = request.secret;
  hook.types = request.types;
  hook.created_at = now_rfc3339();
  hook.created_by = actor_;
  std::int64_t id = 0;
  store_.write([&] { id = store_.insert_hook(hook); });
  return id;
}

void EventService::list_hooks(const std::function<void(const store::Hook&)>& sink) {
  store_.read([&] { store_.list_hooks(sink); });
}

void EventService::remove_hook(std::int64_t id) {
  store_.write([&] {
    if (!store_.find_hook(id)) throw NotFound("hook " + std::to_string(id) + " does not exist");
    store_.delete_hook(id);
  });
}

events::DeliveryResult EventService::test_hook(std::int64_t id) {
  const store::Hook hook = require_hook(id);
  const std::string body = test_event_json();
  if (hook.kind == store::HookKind::Exec) return events::run_exec_hook(hook.target, body + "\n");
  return events::post_webhook({hook.target, hook.secret, Record::parse(body)["id"].get<std::string>(), body});
}

events::DispatchSummary EventService::deliver(const events::DispatchOptions& options) {
  return events::dispatch_pending(store_, options);
}

std::int64_t EventService::redeliver(const std::vector<std::int64_t>& sequences) {
  std::int64_t count = 0;
  store_.write([&] {
    for (const auto sequence : sequences) {
      if (!store_.find_event(sequence))
        throw NotFound("event " + std::to_string(sequence) + " does not exist");
    }
    count = store_.requeue_sequences(sequences, now_unix_ms());
  });
  return count;
}

std::int64_t EventService::redeliver_failed() {
  std::int64_t count = 0;
  store_.write([&] { count = store_.requeue_failed(now_unix_ms()); });
  return count;
}

std::vector<store::HookDeliveryCounts> EventService::status() {
  std::vector<store::HookDeliveryCounts> counts;
  store_.read([&] { counts = store_.delivery_counts(); });
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
  store_.read([&] {
    report.store = store_.info();
    report.users = store_.count_users();
    report.groups = store_.count_groups();
    report.last_event = store_.last_event_sequence();
  });
  report.deliveries = totals();
  return report;
}

}  // namespace usersctl::core
