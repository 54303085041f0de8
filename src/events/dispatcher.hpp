#pragma once
// Delivers pending events from the outbox to their hooks: per hook in sequence order, at
// least once. A hook is worked by one process at a time (a lease in the database), and a
// failed delivery holds back the hook's later events until it succeeds or fails for good.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace usersctl::events {

enum class Backoff { Honour, Ignore };  // events deliver [--now]

struct DispatchOptions {
  Backoff backoff = Backoff::Honour;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};
};

struct DispatchSummary {
  std::int64_t delivered = 0;
  std::vector<std::string> problems;  // one line per hook that failed this round
};

DispatchSummary dispatch_pending(store::Store& store, const DispatchOptions& options);

}  // namespace usersctl::events
