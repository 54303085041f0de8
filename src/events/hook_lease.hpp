#pragma once
// A deliverer's lease on one hook: it keeps the hook's events to one process at a time, so they
// go out once each and in order. The lease carries an owner token: a deliverer renews it while
// it works (it always covers the attempt under way) and releases only its own, never one another
// process took over after it ran out.

#include <chrono>
#include <cstdint>
#include <string>

#include "store/outbox.hpp"
#include "store/transactions.hpp"

namespace usersctl::events {

// The lease a deliverer takes: 120 s, or USERSCTL_HOOK_LEASE_SECONDS (undocumented; for tests
// that need a lease shorter than a run).
std::chrono::milliseconds hook_lease_length();

class HookLease {
 public:
  HookLease(store::Transactions& transactions, store::Outbox& outbox, std::int64_t hook_id,
            std::chrono::milliseconds length);
  HookLease(const HookLease&) = delete;
  HookLease& operator=(const HookLease&) = delete;

  // Takes the lease; false while another process holds it.
  bool claim();
  // Before an attempt that may take `work`: renews the lease when it would not outlast the
  // attempt by half its length. False when the lease was lost (it ran out and was taken).
  bool cover(std::chrono::milliseconds work);
  // Inside a write transaction, before recording a result: renews the lease in that transaction,
  // so a result is recorded only while the lease is ours. False when it was lost.
  bool keep();
  // Frees the lease if it is still ours (a write transaction of its own).
  void release();

 private:
  bool renew(std::int64_t until_ms);

  store::Transactions& transactions_;
  store::Outbox& outbox_;
  std::int64_t hook_id_;
  std::chrono::milliseconds length_;
  std::string owner_;
  std::int64_t until_ms_ = 0;
  std::chrono::milliseconds covered_{0};  // the attempt the lease must outlast
};

}  // namespace usersctl::events
