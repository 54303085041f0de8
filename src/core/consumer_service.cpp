#include "core/consumer_service.hpp"

#include <algorithm>
#include <future>
#include <thread>

#include "core/hook_types.hpp"
#include "core/validation.hpp"
#include "events/exec_sink.hpp"
#include "model/records.hpp"
#include "store/consumers.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/uuid.hpp"

namespace usersctl::core {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxRetryDelay{300000};
constexpr milliseconds kBusyPoll{100};  // another process has a batch out
constexpr milliseconds kIdlePoll{250};  // --follow without a wake-up

// One batch as the claiming transaction left it.
struct Batch {
  enum class Kind { Busy, Waiting, Empty, Events } kind = Kind::Empty;
  bool requeued = false;  // dead letters handed out again
  int attempts = 0;       // failed attempts so far
  std::int64_t end = 0;   // the cursor after this batch
  std::int64_t due_ms = 0;
  std::vector<model::StoredEvent> events;
};

std::string event_actor(const std::string& body) {
  const auto event = model::Record::parse(body);
  const auto data = event.find("data");
  if (data == event.end() || !data->is_object()) return {};
  const auto actor = data->find("actor");
  return actor != data->end() && actor->is_string() ? actor->get<std::string>() : std::string();
}

milliseconds retry_delay(milliseconds base, int attempts) {
  milliseconds delay = base;
  for (int i = 1; i < attempts && delay < kMaxRetryDelay; ++i) delay *= 2;
  return std::min(delay, kMaxRetryDelay);
}

std::vector<std::int64_t> sequences_of(const Batch& batch) {
  std::vector<std::int64_t> sequences;
  for (const auto& event : batch.events) sequences.push_back(event.sequence);
  return sequences;
}

NotFound no_such_consumer(const std::string& name) {
  return NotFound("consumer '" + name + "' does not exist", "see usersctl events consumers");
}

class ConsumeRun {
 public:
  ConsumeRun(store::Database& db, const ConsumeOptions& options)
      : db_(db), consumers_(db.consumers()), options_(options), owner_(util::random_uuid()) {}

  ConsumeSummary run();

 private:
  Batch claim();
  void fill(Batch& batch, const model::ConsumerState& state);
  bool wanted(const model::StoredEvent& event) const;
  model::DeliveryResult hand_out(const Batch& batch);
  void settle(const Batch& batch, const model::DeliveryResult& result);
  bool renew();
  void warn(const std::string& text) const {
    if (options_.warn) options_.warn(text);
  }
  bool wait(milliseconds time) const {
    if (options_.wait) return options_.wait(time);
    consumers_.wait_for_events(time);
    return true;
  }

  store::Database& db_;
  store::Consumers& consumers_;
  const ConsumeOptions& options_;
  const std::string owner_;  // this process's lease token
  ConsumeSummary summary_;
};

ConsumeSummary ConsumeRun::run() {
  while (true) {
    Batch batch = claim();
    if (batch.kind == Batch::Kind::Busy) {
      std::this_thread::sleep_for(kBusyPoll);
      continue;
    }
    if (batch.kind == Batch::Kind::Waiting) {
      if (!options_.follow) {
        summary_.waiting = true;
        return summary_;
      }
      const auto left = milliseconds(std::max<std::int64_t>(batch.due_ms - util::now_unix_ms(), 1));
      if (!wait(std::min(left, kIdlePoll))) return summary_;
      continue;
    }
    if (batch.kind == Batch::Kind::Empty) {
      if (!options_.follow || !wait(kIdlePoll)) return summary_;
      continue;
    }
    settle(batch, hand_out(batch));
    if (summary_.waiting && !options_.follow) return summary_;
    summary_.waiting = false;
  }
}

// One write transaction: takes the lease, then the requeued dead letters or the next events after
// the cursor. Events no filter wants move the cursor at once.
Batch ConsumeRun::claim() {
  Batch batch;
  db_.write([&] {
    batch = Batch{};
    const std::int64_t now = util::now_unix_ms();
    consumers_.ensure_consumer(options_.name, util::now_rfc3339());
    if (!consumers_.claim_consumer(options_.name, owner_, now, options_.lease.count())) {
      batch.kind = Batch::Kind::Busy;
      return;
    }
    const auto state = consumers_.find_consumer(options_.name);
    if (state->next_attempt_ms > now) {
      batch.kind = Batch::Kind::Waiting;
      batch.due_ms = state->next_attempt_ms;
      consumers_.release_consumer(options_.name, owner_);
      return;
    }
    fill(batch, *state);
    if (batch.kind != Batch::Kind::Events) {
      if (batch.end > state->cursor) consumers_.advance_consumer(options_.name, owner_, batch.end);
      consumers_.release_consumer(options_.name, owner_);
    }
  });
  return batch;
}

void ConsumeRun::fill(Batch& batch, const model::ConsumerState& state) {
  batch.attempts = state.attempts;
  batch.end = state.cursor;
  // The state counts the requeued letters: no query for them when there are none (a round trip
  // less before every batch a follower hands out).
  if (state.requeued > 0) batch.events = consumers_.requeued_events(options_.name, options_.batch);
  if (!batch.events.empty()) {
    batch.requeued = true;
    batch.kind = Batch::Kind::Events;
    return;
  }
  db_.outbox().list_events(state.cursor, std::nullopt, options_.batch, [&](const model::StoredEvent& event) {
    batch.end = event.sequence;
    if (wanted(event)) batch.events.push_back(event);
  });
  batch.kind = batch.events.empty() ? Batch::Kind::Empty : Batch::Kind::Events;
}

bool ConsumeRun::wanted(const model::StoredEvent& event) const {
  if (!hook_wants(options_.types, event.type)) return false;
  return !options_.exclude_actor || event_actor(event.body) != *options_.exclude_actor;
}

// Runs CMD on a thread of its own while this one renews the lease, so a long batch keeps it.
model::DeliveryResult ConsumeRun::hand_out(const Batch& batch) {
  std::string jsonl;
  for (const auto& event : batch.events) jsonl += event.body + '\n';
  auto result = std::async(std::launch::async,
                           [&] { return events::run_exec_hook(options_.command, jsonl, options_.timeout); });
  const auto renew_every = std::max(options_.lease / 3, milliseconds(10));
  while (result.wait_for(renew_every) != std::future_status::ready) {
    if (!renew()) warn("consumer '" + options_.name + "': lost the lease of the batch being handed out");
  }
  return result.get();
}

bool ConsumeRun::renew() {
  bool held = false;
  db_.write([&] {
    held = consumers_.claim_consumer(options_.name, owner_, util::now_unix_ms(), options_.lease.count());
  });
  return held;
}

// One write transaction with the cursor row: the cursor moves (or the failure is recorded, or the
// batch set aside) only while this process still holds the batch's lease.
void ConsumeRun::settle(const Batch& batch, const model::DeliveryResult& result) {
  const bool delivered = result.outcome == model::DeliveryOutcome::Delivered;
  const auto sequences = sequences_of(batch);
  const int attempts = batch.attempts + 1;
  const auto delay = retry_delay(options_.retry_delay, attempts);
  bool lost = false;
  bool dead = false;
  db_.write([&] {
    const std::int64_t now = util::now_unix_ms();
    lost = !consumers_.claim_consumer(options_.name, owner_, now, options_.lease.count());
    if (lost) return;
    dead = !delivered && !batch.requeued && attempts >= options_.max_attempts;
    if (batch.requeued) {
      if (delivered) {
        consumers_.drop_dead_letters(options_.name, sequences);
      } else {
        consumers_.mark_dead_again(options_.name, sequences, result.detail);
      }
    } else if (delivered || dead) {
      if (dead)
        consumers_.insert_dead_letters(options_.name, sequences, attempts, result.detail,
                                       util::now_rfc3339());
      consumers_.advance_consumer(options_.name, owner_, batch.end);
    } else {
      consumers_.record_consumer_failure(options_.name, attempts, now + delay.count(), result.detail);
    }
    consumers_.release_consumer(options_.name, owner_);
  });
  const std::string label = "consumer '" + options_.name + "': events " + std::to_string(sequences.front()) +
                            "-" + std::to_string(sequences.back());
  if (lost) return warn(label + ": the lease expired while CMD ran; the batch will be handed out again");
  if (delivered) {
    summary_.batches += 1;
    summary_.events += static_cast<std::int64_t>(sequences.size());
  } else if (batch.requeued) {
    warn(label + " (requeued dead letters) failed again: " + result.detail);
  } else if (dead) {
    summary_.dead += static_cast<std::int64_t>(sequences.size());
    warn(label + " set aside as dead letters after " + std::to_string(attempts) +
         " attempts: " + result.detail);
  } else {
    summary_.waiting = true;
    warn(label + " failed (attempt " + std::to_string(attempts) + " of " +
         std::to_string(options_.max_attempts) + "): " + result.detail + "; next attempt in " +
         std::to_string(delay.count()) + " ms");
  }
}

void validate_consume(const ConsumeOptions& options) {
  validate_name(options.name, "consumer name");
  if (options.command.empty()) throw UsageError("events consume: --exec CMD is required");
  if (options.batch < 1) throw UsageError("--batch must be at least 1");
  if (options.max_attempts < 1) throw UsageError("--max-attempts must be at least 1");
  if (options.lease < milliseconds(100)) throw UsageError("--lease must be at least 100ms");
  try {
    validate_hook_types(options.types, "--types");
  } catch (const Invalid& bad) {
    throw UsageError(bad.what(), bad.hint());
  }
}

}  // namespace

ConsumeSummary ConsumerService::consume(const ConsumeOptions& options) {
  validate_consume(options);
  return ConsumeRun(db_, options).run();
}

std::vector<ConsumerReport> ConsumerService::consumers() {
  std::vector<ConsumerReport> reports;
  db_.read([&] {
    const std::int64_t last = db_.outbox().last_event_sequence();
    for (auto& state : db_.consumers().list_consumers()) {
      const std::int64_t lag = std::max<std::int64_t>(last - state.cursor, 0);
      reports.push_back({std::move(state), lag});
    }
  });
  return reports;
}

std::vector<model::DeadLetter> ConsumerService::dead_letters(const std::string& name) {
  std::vector<model::DeadLetter> letters;
  db_.read([&] {
    if (!db_.consumers().find_consumer(name)) throw no_such_consumer(name);
    letters = db_.consumers().dead_letters(name);
  });
  return letters;
}

std::int64_t ConsumerService::retry_dead(const std::string& name) {
  std::int64_t count = 0;
  db_.write([&] {
    if (!db_.consumers().find_consumer(name)) throw no_such_consumer(name);
    count = db_.consumers().requeue_dead_letters(name);
  });
  return count;
}

void ConsumerService::wait_for_events(std::chrono::milliseconds timeout) {
  db_.consumers().wait_for_events(timeout);
}

void ConsumerService::remove(const std::string& name) {
  db_.write([&] {
    if (!db_.consumers().delete_consumer(name)) throw no_such_consumer(name);
  });
}

}  // namespace usersctl::core
