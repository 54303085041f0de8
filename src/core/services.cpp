#include "core/services.hpp"

#include <chrono>
#include <utility>

#include "events/dispatcher.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

namespace usersctl::core {
namespace {

// A service is made on first use: a read command never pays for the runner or an outbox.
// Its arguments are evaluated on every call, so they must be cheap and without side effects.
template <class Service, class Slots, class... Args>
Service& made_once(Slots& slots, Args&&... args) {
  auto& slot = std::get<std::unique_ptr<Service>>(slots);
  if (!slot) slot = std::make_unique<Service>(std::forward<Args>(args)...);
  return *slot;
}

}  // namespace

Services::Services(std::string_view db_url, std::function<std::string()> actor, model::OpenMode mode)
    : db_(store::open_database(db_url, mode)), actor_(std::move(actor)) {}

std::vector<model::BackendSchema> Services::built_in_backends() { return store::built_in_backends(); }

Services::~Services() = default;

// The actor is asked for only when a service that records it is made (it may look up the login).
MutationRunner& Services::runner() {
  if (!runner_) runner_ = std::make_unique<MutationRunner>(*db_, db_->records(), db_->outbox(), actor_());
  return *runner_;
}

void Services::set_review(MutationRunner::Review review) { runner().set_review(std::move(review)); }

UserService& Services::users() { return made_once<UserService>(services_, runner(), *db_); }

GroupService& Services::groups() { return made_once<GroupService>(services_, runner(), *db_); }

BulkService& Services::bulk() { return made_once<BulkService>(services_, runner(), *db_); }

AccountService& Services::accounts() { return made_once<AccountService>(services_, *db_); }

SettingsService& Services::settings() { return made_once<SettingsService>(services_, runner(), *db_); }

SshKeyService& Services::ssh_keys() { return made_once<SshKeyService>(services_, runner(), *db_); }

DirectoryExport& Services::directory_export() { return made_once<DirectoryExport>(services_, *db_); }

RecycleBinService& Services::recycle_bin() { return made_once<RecycleBinService>(services_, runner(), *db_); }

HistoryService& Services::history() { return made_once<HistoryService>(services_, *db_); }

// Not made_once: the actor is asked for only when the service is made (it may look up the login).
EventService& Services::events() {
  auto& slot = std::get<std::unique_ptr<EventService>>(services_);
  if (!slot) slot = std::make_unique<EventService>(*db_, actor_());
  return *slot;
}

ConsumerService& Services::consumers() { return made_once<ConsumerService>(services_, *db_); }

void Services::complete_names(model::NameKind kind, std::string_view prefix, std::int64_t limit,
                              const std::function<void(const std::string&)>& sink) {
  db_->read([&] { db_->records().list_names(kind, prefix, limit, sink); });
}

void Services::committed_events(const std::function<void(const model::StoredEvent&)>& sink) {
  if (runner_) runner_->committed_events(sink);
}

bool Services::housekeeping_due() const { return runner_ && runner_->housekeeping_due(); }

std::vector<std::string> Services::deliver_committed() {
  std::vector<std::string> warnings;
  if (!runner_ || !runner_->queued_deliveries()) return warnings;
  // The command waits for this: 2 s at most in all, whatever the hooks do. What does not get
  // through in that time stays pending for `events deliver`, which gives each its full timeout.
  model::DispatchOptions quick;
  quick.connect_timeout = std::chrono::milliseconds(2000);
  quick.budget = std::chrono::milliseconds(2000);
  try {
    const auto summary = events::dispatch_pending(*db_, db_->outbox(), quick);
    for (const auto& problem : summary.problems) {
      warnings.push_back("delivery failed: " + problem + "; it stays pending for 'usersctl events deliver'");
    }
    for (const auto& postponed : summary.postponed) {
      warnings.push_back("delivery postponed: " + postponed +
                         "; it stays pending for 'usersctl events deliver'");
    }
    // A hook backing off after a failure was not tried now, yet this change's event waits behind
    // it (per-hook order): say so too. A hook another process is working on has no error and
    // needs no warning.
    if (summary.problems.empty() && summary.postponed.empty()) {
      for (const auto& hook : events().status()) {
        if (hook.pending == 0 || !hook.last_error || hook.disabled) continue;
        warnings.push_back("delivery failed: hook " + std::to_string(hook.hook_id) + " last answered " +
                           *hook.last_error + "; " + std::to_string(hook.pending) +
                           " deliveries wait for 'usersctl events deliver'");
      }
    }
  } catch (const Error& error) {
    // The change is committed whatever happens here; the outbox keeps the delivery.
    warnings.push_back(std::string("delivery postponed: ") + error.what() +
                       "; run 'usersctl events deliver'");
  }
  return warnings;
}

}  // namespace usersctl::core
