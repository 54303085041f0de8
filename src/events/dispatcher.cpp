#include "events/dispatcher.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "events/exec_sink.hpp"
#include "events/retry_schedule.hpp"
#include "events/webhook_sink.hpp"

namespace usersctl::events {

namespace {

constexpr std::int64_t kLeaseMs = 120000;
constexpr std::int64_t kBatch = 100;
constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;

std::string hook_label(const store::Hook& hook) { return "hook " + std::to_string(hook.id); }

class HookWorker {
 public:
  HookWorker(store::Store& store, const store::Hook& hook, const DispatchOptions& options,
             DispatchSummary& summary)
      : store_(store), hook_(hook), options_(options), summary_(summary) {}

  void run() {
    while (true) {
      std::vector<store::Delivery> batch;
      store_.read([&] { batch = store_.pending_deliveries(hook_.id, kBatch); });
      if (batch.empty() || !due(batch.front())) return;
      // Only the due prefix goes out: a later event never overtakes an earlier one.
      const auto not_due = std::find_if(batch.begin(), batch.end(), [&](const auto& d) { return !due(d); });
      batch.erase(not_due, batch.end());
      if (!(hook_.kind == store::HookKind::Exec ? send_exec(batch) : send_webhooks(batch))) return;
    }
  }

 private:
  bool due(const store::Delivery& delivery) const {
    return options_.backoff == Backoff::Ignore || delivery.next_attempt_ms <= core::now_unix_ms();
  }

  // Returns whether every delivery in the batch went through.
  bool send_webhooks(const std::vector<store::Delivery>& batch) {
    for (const auto& delivery : batch) {
      WebhookRequest request{hook_.target,
                             hook_.secret,
                             delivery.event_id,
                             delivery.body,
                             static_cast<long>(options_.connect_timeout.count()),
                             static_cast<long>(options_.total_timeout.count())};
      const DeliveryResult result = post_webhook(request);
      if (!settle({delivery}, result)) return false;
    }
    return true;
  }

  bool send_exec(const std::vector<store::Delivery>& batch) {
    std::string jsonl;
    for (const auto& delivery : batch) jsonl += delivery.body + "\n";
    return settle(batch, run_exec_hook(hook_.target, jsonl, options_.total_timeout));
  }

  // Records the result for the deliveries; true when they were delivered.
  bool settle(const std::vector<store::Delivery>& deliveries, const DeliveryResult& result) {
    const std::int64_t now = core::now_unix_ms();
    if (result.outcome == DeliveryOutcome::Delivered) {
      const std::string time = core::now_rfc3339();
      store_.write([&] {
        for (const auto& d : deliveries) store_.mark_delivered(d.hook_id, d.sequence, time);
      });
      summary_.delivered += static_cast<std::int64_t>(deliveries.size());
      return true;
    }
    if (result.outcome == DeliveryOutcome::Gone) {
      // The receiver asked us to stop: disable the hook and fail what it still had.
      store_.write([&] {
        store_.set_hook_disabled(hook_.id, true);
        for (const auto& d : store_.pending_deliveries(hook_.id, -1)) {
          store_.mark_failed(d.hook_id, d.sequence, d.attempts + 1, "hook disabled: " + result.detail);
        }
      });
      summary_.problems.push_back(hook_label(hook_) + " answered " + result.detail +
                                  "; the hook is now disabled");
      return false;
    }
    store_.write([&] {
      for (const auto& d : deliveries) {
        const int attempts = d.attempts + 1;
        auto delay = jittered_retry_delay(attempts);
        if (!delay) {
          store_.mark_failed(d.hook_id, d.sequence, attempts, result.detail);
          continue;
        }
        if (result.retry_after_seconds) {
          delay = std::chrono::seconds(std::min(*result.retry_after_seconds, kMaxRetryAfterSeconds));
        }
        store_.mark_retry(d.hook_id, d.sequence, attempts, now + delay->count(), result.detail);
      }
    });
    summary_.problems.push_back(hook_label(hook_) + " (" + hook_.target + "): " + result.detail);
    return false;
  }

  store::Store& store_;
  const store::Hook& hook_;
  const DispatchOptions& options_;
  DispatchSummary& summary_;
};

}  // namespace

DispatchSummary dispatch_pending(store::Store& store, const DispatchOptions& options) {
  DispatchSummary summary;
  std::vector<store::Hook> hooks;
  store.read([&] {
    store.list_hooks([&](const store::Hook& hook) {
      if (!hook.disabled) hooks.push_back(hook);
    });
  });
  for (const auto& hook : hooks) {
    bool claimed = false;
    store.write([&] { claimed = store.claim_hook(hook.id, core::now_unix_ms(), kLeaseMs); });
    if (!claimed) continue;  // another process is delivering this hook's events right now
    try {
      HookWorker(store, hook, options, summary).run();
    } catch (...) {
      store.write([&] { store.release_hook(hook.id); });
      throw;
    }
    store.write([&] { store.release_hook(hook.id); });
  }
  return summary;
}

}  // namespace usersctl::events
