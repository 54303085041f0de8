#pragma once
// Delivers pending events from the outbox to their hooks: per hook in sequence order, at
// least once. A hook is worked by one process at a time (a lease in the database), and a
// failed delivery holds back the hook's later events until it succeeds or fails for good.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "model/delivery.hpp"
#include "store/outbox.hpp"
#include "store/transactions.hpp"

namespace usersctl::events {

model::DispatchSummary dispatch_pending(store::Transactions& transactions, store::Outbox& outbox,
                                        const model::DispatchOptions& options);

}  // namespace usersctl::events
