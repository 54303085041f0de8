#include "events/dispatcher.hpp"

#include <algorithm>
#include <optional>

#include "events/exec_sink.hpp"
#include "events/retry_schedule.hpp"
#include "events/webhook_sink.hpp"
#include "util/clock.hpp"

namespace usersctl::events {

namespace {

constexpr std::int64_t kLeaseMs = 120000;
constexpr std::int64_t kBatch = 100;
constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string hook_label(const model::Hook& hook) {
  std::string label = "hook " + std::to_string(hook.id);
  if (hook.name) label += " (" + *hook.name + ")";
  return label;
}

// "hook 3 (https://…)", or "hook 3 (crm: https://…)" for a named one.
std::string with_target(const model::Hook& hook) {
  return "hook " + std::to_string(hook.id) + " (" + (hook.name ? *hook.name + ": " : "") + hook.target + ")";
}

std::string seconds_text(milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

class HookWorker {
 public:
  HookWorker(store::Transactions& transactions, store::Outbox& outbox, const model::Hook& hook,
             const model::DispatchOptions& options, std::optional<milliseconds>& budget_left,
             model::DispatchSummary& summary)
      : transactions_(transactions),
        outbox_(outbox),
        hook_(hook),
        options_(options),
        budget_left_(budget_left),
        summary_(summary) {}

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

  // The next attempt's total timeout: the configured one, or what is left of the round's budget.
  milliseconds attempt_timeout() const {
    if (!budget_left_) return options_.total_timeout;
    return std::max(milliseconds(0), std::min(options_.total_timeout, *budget_left_));
  }

  // Runs one attempt and takes the time it took from the budget. Only the hooks' time counts:
  // waiting for the database (other writers) is not theirs to answer for.
  template <typename Attempt>
  model::DeliveryResult timed(Attempt attempt) {
    const auto start = Clock::now();
    model::DeliveryResult result = attempt();
    if (budget_left_) *budget_left_ -= std::chrono::ceil<milliseconds>(Clock::now() - start);
    return result;
  }

  // The budget left no time for this hook: nothing is tried or recorded.
  bool untried() {
    summary_.postponed.push_back(with_target(hook_) + " was not tried: the " +
                                 seconds_text(*options_.budget) + " for deliveries were used up");
    return false;
  }

  // Returns whether every delivery in the batch went through.
  bool send_webhooks(const std::vector<model::Delivery>& batch) {
    for (const auto& delivery : batch) {
      const milliseconds timeout = attempt_timeout();
      if (timeout.count() == 0) return untried();
      WebhookRequest request{hook_.target,
                             hook_.secret,
                             delivery.event_id,
                             delivery.body,
                             static_cast<long>(std::min(options_.connect_timeout, timeout).count()),
                             static_cast<long>(timeout.count())};
      if (hook_.old_secret && hook_.old_secret_until_ms > util::now_unix_ms())
        request.old_secret = hook_.old_secret;
      const model::DeliveryResult result = timed([&] { return post_webhook(request); });
      if (!settle({delivery}, result, timeout < options_.total_timeout)) return false;
    }
    return true;
  }

  bool send_exec(const std::vector<model::Delivery>& batch) {
    const milliseconds timeout = attempt_timeout();
    if (timeout.count() == 0) return untried();
    std::string jsonl;
    for (const auto& delivery : batch) jsonl += delivery.body + "\n";
    const auto result = timed([&] { return run_exec_hook(hook_.target, jsonl, timeout); });
    return settle(batch, result, timeout < options_.total_timeout);
  }

  // An attempt the budget cut short is not the receiver's failure: it is not counted and the
  // deliveries stay due, for `events deliver` and its full timeout. Only the reason is kept.
  bool cut_short(const std::vector<model::Delivery>& deliveries) {
    const std::string why =
        "did not finish within the " + seconds_text(*options_.budget) + " allowed right after a change";
    transactions_.write([&] {
      for (const auto& d : deliveries)
        outbox_.mark_retry(d.hook_id, d.sequence, d.attempts, d.next_attempt_ms, why);
    });
    summary_.postponed.push_back(with_target(hook_) + " " + why);
    return false;
  }

  // Records the result for the deliveries; true when they were delivered.
  // `clipped`: the attempt had less than the configured timeout (the budget's rest).
  bool settle(const std::vector<model::Delivery>& deliveries, const model::DeliveryResult& result,
              bool clipped) {
    if (clipped && result.timed_out && result.outcome == model::DeliveryOutcome::Retry) {
      return cut_short(deliveries);
    }
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
    summary_.problems.push_back(with_target(hook_) + ": " + result.detail);
    return false;
  }

  store::Transactions& transactions_;
  store::Outbox& outbox_;
  const model::Hook& hook_;
  const model::DispatchOptions& options_;
  std::optional<milliseconds>& budget_left_;
  model::DispatchSummary& summary_;
};

}  // namespace

model::DispatchSummary dispatch_pending(store::Transactions& transactions, store::Outbox& outbox,
                                        const model::DispatchOptions& options) {
  model::DispatchSummary summary;
  std::optional<milliseconds> budget_left = options.budget;
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
      HookWorker(transactions, outbox, hook, options, budget_left, summary).run();
    } catch (...) {
      transactions.write([&] { outbox.release_hook(hook.id); });
      throw;
    }
    transactions.write([&] { outbox.release_hook(hook.id); });
  }
  return summary;
}

}  // namespace usersctl::events
