#include "core/event_service.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/hook_secret.hpp"
#include "core/hook_types.hpp"
#include "core/validation.hpp"
#include "events/dispatcher.hpp"
#include "events/exec_sink.hpp"
#include "events/webhook_sink.hpp"
#include "model/records.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"
#include "util/url_redaction.hpp"
#include "util/uuid.hpp"

namespace usersctl::core {

namespace {

void validate_hook(const NewHook& hook) {
  if (hook.name) validate_name(*hook.name, "hook name");
  if (hook.target.empty()) throw Invalid("hook target is empty");
  if (auto problem = util::text_problem(hook.target)) throw Invalid("hook target " + *problem);
  if (hook.kind == model::HookKind::Url) {
    const bool http = hook.target.rfind("http://", 0) == 0 || hook.target.rfind("https://", 0) == 0;
    if (!http || hook.target.find_first_of(" \t") != std::string::npos) {
      throw Invalid("--url '" + util::redact_url(hook.target) + "': expected an http:// or https:// URL");
    }
  }
  if (hook.secret) validate_hook_secret(*hook.secret, "webhook secret");
  if (hook.timeout_seconds < 1 || hook.timeout_seconds > 3600) {
    throw Invalid("--timeout " + std::to_string(hook.timeout_seconds) + ": expected 1 to 3600 seconds");
  }
  validate_hook_types(hook.types);
  if (hook.exclude_actor) {
    if (hook.exclude_actor->empty()) throw Invalid("--exclude-actor is empty");
    if (auto problem = util::text_problem(*hook.exclude_actor)) throw Invalid("--exclude-actor " + *problem);
  }
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

// A hook id is digits; a name never starts with one (the group-name rule).
std::optional<std::int64_t> hook_id_of(std::string_view ref) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ref.empty() || error != std::errc() || end != ref.data() + ref.size() || ref.front() == '-') {
    return std::nullopt;
  }
  return id;
}

NotFound no_such_hook(std::string_view ref) {
  return NotFound("hook '" + std::string(ref) + "' does not exist", "see usersctl hook list");
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

std::optional<model::Hook> EventService::lookup_hook(std::string_view ref) {
  if (const auto id = hook_id_of(ref)) return db_.outbox().find_hook(*id);
  try {
    validate_name(ref, "hook name");
  } catch (const Invalid&) {
    throw UsageError("'" + std::string(ref) + "' is neither a hook id nor a hook name",
                     "see usersctl hook list");
  }
  return db_.outbox().find_hook_named(ref);
}

model::Hook EventService::find_hook(std::string_view ref) {
  std::optional<model::Hook> hook;
  db_.read([&] { hook = lookup_hook(ref); });
  if (!hook) throw no_such_hook(ref);
  return *hook;
}

HookOutcome EventService::add_hook(const NewHook& request, IfExists if_exists) {
  validate_hook(request);
  model::Hook hook;
  static_cast<model::HookSpec&>(hook) = request;
  hook.created_at = util::now_rfc3339();
  hook.created_by = actor_;
  HookOutcome added;
  db_.write([&] {
    if (request.name) {
      if (auto existing = db_.outbox().find_hook_named(*request.name)) {
        if (if_exists == IfExists::Fail)
          throw Conflict(hook_label(*existing) + " already exists",
                         "give --if-not-exists to accept it as it is");
        added.hook = *existing;
        return;
      }
    }
    hook.id = db_.outbox().insert_hook(hook);
    added = {hook, true};
  });
  return added;
}

void EventService::list_hooks(const std::function<void(const model::Hook&)>& sink) {
  db_.read([&] { db_.outbox().list_hooks(sink); });
}

model::Hook EventService::remove_hook(std::string_view ref) {
  std::optional<model::Hook> hook;
  db_.write([&] {
    hook = lookup_hook(ref);
    if (!hook) throw no_such_hook(ref);
    db_.outbox().delete_hook(hook->id);
  });
  return *hook;
}

HookOutcome EventService::set_hook_enabled(std::string_view ref, bool enabled) {
  HookOutcome outcome;
  db_.write([&] {
    auto hook = lookup_hook(ref);
    if (!hook) throw no_such_hook(ref);
    outcome.hook = *hook;
    if (hook->disabled == !enabled) return;
    db_.outbox().set_hook_disabled(hook->id, !enabled);
    outcome.hook.disabled = !enabled;
    outcome.changed = true;
  });
  return outcome;
}

model::Hook EventService::rotate_hook_secret(std::string_view ref, const std::string& secret,
                                             std::int64_t keep_old_ms) {
  validate_hook_secret(secret, "webhook secret");
  model::Hook hook;
  db_.write([&] {
    auto found = lookup_hook(ref);
    if (!found) throw no_such_hook(ref);
    if (found->kind != model::HookKind::Url)
      throw Invalid(hook_label(*found) + " runs a command: it has no secret");
    hook = *found;
    const bool keep = keep_old_ms > 0 && hook.secret.has_value();
    hook.old_secret = keep ? hook.secret : std::nullopt;
    hook.old_secret_until_ms = keep ? util::now_unix_ms() + keep_old_ms : 0;
    hook.secret = secret;
    db_.outbox().set_hook_secret(hook.id, secret, hook.old_secret, hook.old_secret_until_ms);
  });
  return hook;
}

model::DeliveryResult EventService::test_hook(const model::Hook& hook) {
  // The hook's own timeout, as `events deliver` gives it: what passes here gets through there.
  const std::string body = test_event_json();
  const std::chrono::milliseconds timeout = std::chrono::seconds(hook.timeout_seconds);
  if (hook.kind == model::HookKind::Exec) return events::run_exec_hook(hook.target, body + "\n", timeout);
  const long total_ms = static_cast<long>(timeout.count());
  events::WebhookRequest request{hook.target,
                                 hook.secret,
                                 model::Record::parse(body)["id"].get<std::string>(),
                                 body,
                                 std::min(5000L, total_ms),
                                 total_ms};
  if (hook.old_secret && hook.old_secret_until_ms > util::now_unix_ms()) request.old_secret = hook.old_secret;
  return events::post_webhook(request);
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
    if (hook.disabled) {
      totals.held += hook.pending + hook.failed;
      continue;
    }
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
