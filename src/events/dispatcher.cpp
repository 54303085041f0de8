#include "events/dispatcher.hpp"

#include <algorithm>

#include "events/exec_sink.hpp"
#include "events/retry_schedule.hpp"
#include "events/webhook_sink.hpp"
#include "util/clock.hpp"

namespace usersctl::events {

namespace {

constexpr std::int64_t kLeaseMs = 120000;
constexpr std::int64_t kBatch = 100;
constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;

std::string hook_label(const model::Hook& hook) { return "hook " + std::to_string(hook.id); }

class HookWorker {
 public:
  HookWorker(store::Transactions& transactions, store::Outbox& outbox, const model::Hook& hook,
             const model::DispatchOptions& options, model::DispatchSummary& summary)
      : transactions_(transactions), outbox_(outbox), hook_(hook), options_(options), summary_(summary) {}

  void run() {
    while (true) {
      std::vector<model::Delivery> batch;
      transactions_.read([&] { batch = outbox_.pending_deliveries(hook_.id, kBatch); });
      if (batch.empty() || !due(batch.front())) return;
      // Only the due prefix goes out: a later event never overtakes an earlier one.
      const auto not_due = std::find_if(batch.begin(), batch.end(), [&](const auto& d) { return !due(d); });
      batch.erase(not_due, batch.end());
      if (!(hook_.kind == model::HookKind::Exec ? send_exec(batch) : send_webhooks(batch))) return;
    }
  }

 private:
  bool due(const model::Delivery& delivery) const {
    return options_.backoff == model::Backoff::Ignore || delivery.next_attempt_ms <= util::now_unix_ms();
  }

  // Returns whether every delivery in the batch went through.
  bool send_webhooks(const std::vector<model::Delivery>& batch) {
    for (const auto& delivery : batch) {
      WebhookRequest request{hook_.target,
                             hook_.secret,
                             delivery.event_id,
                             delivery.body,
                             static_cast<long>(options_.connect_timeout.count()),
                             static_cast<long>(options_.total_timeout.count())};
      const model::DeliveryResult result = post_webhook(request);
      if (!settle({delivery}, result)) return false;
    }
    return true;
  }

  bool send_exec(const std::vector<model::Delivery>& batch) {
    std::string jsonl;
    for (const auto& delivery : batch) jsonl += delivery.body + "\n";
    return settle(batch, run_exec_hook(hook_.target, jsonl, options_.total_timeout));
  }

  // Records the result for the deliveries; true when they were delivered.
  bool settle(const std::vector<model::Delivery>& deliveries, const model::DeliveryResult& result) {
    const std::int64_t now = util::now_unix_ms();
    if (result.outcome == model::DeliveryOutcome::Delivered) {
      const std::string time = util::now_rfc3339();
      transactions_.write([&] {
        for (const auto& d : deliveries) outbox_.mark_delivered(d.hook_id, d.sequence, time);
      });
      summary_.delivered += static_cast<std::int64_t>(deliveries.size());
      return true;
    }
    if (result.outcome == model::DeliveryOutcome::Gone) {
      // The receiver asked us to stop: disable the hook and fail what it still had.
      transactions_.write([&] {
        outbox_.set_hook_disabled(hook_.id, true);
        for (const auto& d : outbox_.pending_deliveries(hook_.id, -1)) {
          outbox_.mark_failed(d.hook_id, d.sequence, d.attempts + 1, "hook disabled: " + result.detail);
        }
      });
      summary_.problems.push_back(hook_label(hook_) + " answered " + result.detail +
                                  "; the hook is now disabled");
      return false;
    }
    transactions_.write([&] {
      for (const auto& d : deliveries) {
        const int attempts = d.attempts + 1;
        auto delay = jittered_retry_delay(attempts);
        if (!delay) {
          outbox_.mark_failed(d.hook_id, d.sequence, attempts, result.detail);
          continue;
        }
        if (result.retry_after_seconds) {
          delay = std::chrono::seconds(std::min(*result.retry_after_seconds, kMaxRetryAfterSeconds));
        }
        outbox_.mark_retry(d.hook_id, d.sequence, attempts, now + delay->count(), result.detail);
      }
    });
    summary_.problems.push_back(hook_label(hook_) + " (" + hook_.target + "): " + result.detail);
    return false;
  }

  store::Transactions& transactions_;
  store::Outbox& outbox_;
  const model::Hook& hook_;
  const model::DispatchOptions& options_;
  model::DispatchSummary& summary_;
};

}  // namespace

model::DispatchSummary dispatch_pending(store::Transactions& transactions, store::Outbox& outbox,
                                        const model::DispatchOptions& options) {
  model::DispatchSummary summary;
  std::vector<model::Hook> hooks;
  transactions.read([&] {
    outbox.list_hooks([&](const model::Hook& hook) {
      if (!hook.disabled) hooks.push_back(hook);
    });
  });
  for (const auto& hook : hooks) {
    bool claimed = false;
    transactions.write([&] { claimed = outbox.claim_hook(hook.id, util::now_unix_ms(), kLeaseMs); });
    if (!claimed) continue;  // another process is delivering this hook's events right now
    try {
      HookWorker(transactions, outbox, hook, options, summary).run();
    } catch (...) {
      transactions.write([&] { outbox.release_hook(hook.id); });
      throw;
    }
    transactions.write([&] { outbox.release_hook(hook.id); });
  }
  return summary;
}

}  // namespace usersctl::events
