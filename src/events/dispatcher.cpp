#include "events/dispatcher.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "events/exec_sink.hpp"
#include "events/hook_lease.hpp"
#include "events/retry_schedule.hpp"
#include "events/webhook_sink.hpp"
#include "util/clock.hpp"
#include "util/url_redaction.hpp"

namespace usersctl::events {

namespace {

constexpr std::int64_t kBatch = 100;
constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string hook_label(const model::Hook& hook) {
  std::string label = "hook " + std::to_string(hook.id);
  if (hook.name) label += " (" + *hook.name + ")";
  return label;
}

// "hook 3 (https://…)", or "hook 3 (crm: https://…)" for a named one; a URL's secrets masked.
std::string with_target(const model::Hook& hook) {
  const std::string target = hook.kind == model::HookKind::Url ? util::redact_url(hook.target) : hook.target;
  return "hook " + std::to_string(hook.id) + " (" + (hook.name ? *hook.name + ": " : "") + target + ")";
}

std::string seconds_text(milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

class HookWorker {
 public:
  HookWorker(store::Transactions& transactions, store::Outbox& outbox, const model::Hook& hook,
             HookLease& lease, const model::DispatchOptions& options,
             std::optional<milliseconds>& budget_left, model::DispatchSummary& summary)
      : transactions_(transactions),
        outbox_(outbox),
        hook_(hook),
        lease_(lease),
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

  // The hook's own timeout (hook add --timeout).
  milliseconds hook_timeout() const { return std::chrono::seconds(hook_.timeout_seconds); }

  // The next attempt's total timeout: the hook's, or what is left of the round's budget.
  milliseconds attempt_timeout() const {
    if (!budget_left_) return hook_timeout();
    return std::max(milliseconds(0), std::min(hook_timeout(), *budget_left_));
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
      if (!lease_.cover(timeout)) return lost();
      WebhookRequest request{hook_.target,
                             hook_.secret,
                             delivery.event_id,
                             delivery.body,
                             static_cast<long>(std::min(options_.connect_timeout, timeout).count()),
                             static_cast<long>(timeout.count())};
      if (hook_.old_secret && hook_.old_secret_until_ms > util::now_unix_ms())
        request.old_secret = hook_.old_secret;
      const model::DeliveryResult result = timed([&] { return post_webhook(request); });
      if (!settle({delivery}, result, timeout < hook_timeout())) return false;
    }
    return true;
  }

  bool send_exec(const std::vector<model::Delivery>& batch) {
    const milliseconds timeout = attempt_timeout();
    if (timeout.count() == 0) return untried();
    if (!lease_.cover(timeout)) return lost();
    std::string jsonl;
    for (const auto& delivery : batch) jsonl += delivery.body + "\n";
    const auto result = timed([&] { return run_exec_hook(hook_.target, jsonl, timeout); });
    return settle(batch, result, timeout < hook_timeout());
  }

  // The lease ran out (this process stalled past it) and another deliverer took the hook: its
  // events are that one's now; nothing more is sent or recorded here.
  bool lost() {
    summary_.held.push_back(hook_label(hook_) +
                            " was taken over by another delivery (this one's lease ran out)");
    return false;
  }

  // Runs `record` in one write transaction if the lease is still ours; false (nothing recorded)
  // when it was lost.
  bool record(const std::function<void()>& work) {
    bool kept = false;
    transactions_.write([&] {
      kept = lease_.keep();
      if (kept) work();
    });
    return kept || lost();
  }

  // An attempt the budget cut short is not the receiver's failure: it is not counted and the
  // deliveries stay due, for `events deliver` and its full timeout. Only the reason is kept.
  bool cut_short(const std::vector<model::Delivery>& deliveries) {
    const std::string why =
        "did not finish within the " + seconds_text(*options_.budget) + " allowed right after a change";
    if (!record([&] {
          for (const auto& d : deliveries)
            outbox_.mark_retry(d.hook_id, d.sequence, d.attempts, d.next_attempt_ms, why);
        }))
      return false;
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
      if (!record([&] {
            for (const auto& d : deliveries) outbox_.mark_delivered(d.hook_id, d.sequence, time);
          }))
        return false;
      summary_.delivered += static_cast<std::int64_t>(deliveries.size());
      return true;
    }
    if (result.outcome == model::DeliveryOutcome::Gone) {
      // The receiver asked us to stop: disable the hook, as `hook disable` does. Nothing is
      // dropped: its deliveries stay pending (this one's attempt counted, due at once) and go out,
      // in order, once `hook enable` lets them.
      if (!record([&] {
            outbox_.set_hook_disabled(hook_.id, true);
            for (const auto& d : deliveries)
              outbox_.mark_retry(d.hook_id, d.sequence, d.attempts + 1, now,
                                 "hook disabled: " + result.detail);
          }))
        return false;
      summary_.problems.push_back(
          hook_label(hook_) + " answered " + result.detail +
          "; the hook is now disabled (its deliveries wait for 'usersctl hook enable')");
      return false;
    }
    if (!record([&] {
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
        }))
      return false;
    // A timeout is the hook's own: say which limit it ran into.
    summary_.problems.push_back(with_target(hook_) + ": " + result.detail +
                                (result.timed_out ? " (the hook's timeout, hook add --timeout)" : ""));
    return false;
  }

  store::Transactions& transactions_;
  store::Outbox& outbox_;
  const model::Hook& hook_;
  HookLease& lease_;
  const model::DispatchOptions& options_;
  std::optional<milliseconds>& budget_left_;
  model::DispatchSummary& summary_;
};

// Another process holds the hook's lease (working on it, or killed while it did): when the hook
// has deliveries waiting, say until when, rather than pass it over in silence.
void report_held(store::Transactions& transactions, store::Outbox& outbox, const model::Hook& hook,
                 model::DispatchSummary& summary) {
  bool waiting = false;
  std::int64_t until = 0;
  transactions.read([&] {
    waiting = !outbox.pending_deliveries(hook.id, 1).empty();
    until = outbox.hook_lease_until(hook.id);
  });
  if (!waiting || until <= util::now_unix_ms()) return;
  summary.held.push_back(hook_label(hook) + " is held by another delivery until " +
                         util::rfc3339_from_unix_ms(until));
}

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
  const milliseconds lease_length = hook_lease_length();
  for (const auto& hook : hooks) {
    HookLease lease(transactions, outbox, hook.id, lease_length);
    if (!lease.claim()) {
      report_held(transactions, outbox, hook, summary);
      continue;
    }
    try {
      HookWorker(transactions, outbox, hook, lease, options, budget_left, summary).run();
    } catch (...) {
      lease.release();
      throw;
    }
    lease.release();
  }
  return summary;
}

}  // namespace usersctl::events
