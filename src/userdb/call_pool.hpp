#pragma once
// A fixed pool of workers that run calls against the AccountSource. The connection threads never
// call the source themselves: they wait on a CallChannel with a deadline, so a hung database
// costs a caller at most the deadline (ServiceNotAvailable), never the host a stalled login.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "userdb/account.hpp"
#include "userdb/call_channel.hpp"
#include "userdb/userdb_methods.hpp"

namespace usersctl::userdb {

class CallPool {
 public:
  CallPool(AccountSource& source, unsigned workers, std::size_t queue_limit);
  // Joins the workers; a worker inside a slow source call is waited for.
  ~CallPool();
  CallPool(const CallPool&) = delete;
  CallPool& operator=(const CallPool&) = delete;

  // The channel the replies arrive on, or nullptr when the queue is full (the source is not
  // keeping up: the caller answers ServiceNotAvailable at once).
  // `reply_fd`: the peer, for a call with one reply the worker may send itself (CallChannel).
  std::shared_ptr<CallChannel> submit(Request request, CallContext context, int reply_fd = -1);

 private:
  struct Call {
    Request request;
    CallContext context;
    std::shared_ptr<CallChannel> channel;
  };
  void work();
  void run(Call& call);

  AccountSource& source_;
  const std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable pending_;
  std::deque<Call> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace usersctl::userdb
