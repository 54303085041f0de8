#pragma once
// The transaction boundary of one database connection. Every method of Store and Outbox runs
// inside write() or read(), so that a command's reads and writes form one transaction.

#include <functional>

namespace usersctl::store {

class Transactions {
 public:
  virtual ~Transactions() = default;
  // Runs `work` in one write transaction: commits when it returns, rolls back when it throws.
  // Concurrent writers are serialised; waiting past the busy timeout throws Unavailable.
  virtual void write(const std::function<void()>& work) = 0;
  // Runs `work` against one consistent snapshot.
  virtual void read(const std::function<void()>& work) = 0;
};

}  // namespace usersctl::store
