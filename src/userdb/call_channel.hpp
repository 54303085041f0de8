#pragma once
// The hand-over between a connection thread and the worker answering its call: a small bounded
// queue of framed replies. Bounded so that an enumeration of any size holds a few records at a
// time (the worker waits for the connection to send); abandonable so that a call past its
// deadline is dropped without waiting for a slow source.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

namespace usersctl::userdb {

class CallChannel {
 public:
  // `reply_fd` >= 0: a call with exactly one reply (no `more`), which the worker writes to the
  // peer itself when the socket takes it at once -- one thread hand-over less on every lookup,
  // which on a busy machine is a scheduler wait less. Only while the call is not abandoned (an
  // abandoned call's connection may have closed the descriptor), and never blocking.
  explicit CallChannel(std::size_t capacity = 16, int reply_fd = -1)
      : capacity_(capacity), reply_fd_(reply_fd) {}

  // Worker side. push() waits while the queue is full; false once the call was abandoned (or,
  // with a reply_fd, answered).
  bool push(std::string message);
  void close();  // no more replies
  bool abandoned() const;

  // Connection side.
  enum class Status { Message, Closed, TimedOut };
  Status pop(std::string& message, std::chrono::steady_clock::time_point deadline);
  void abandon();

 private:
  // Under the lock: sends what the socket takes now; false when the peer is gone.
  bool send_directly(std::string& message);

  const std::size_t capacity_;
  const int reply_fd_;
  bool answered_ = false;  // with a reply_fd: the one reply was sent or queued
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  bool abandoned_ = false;
};

}  // namespace usersctl::userdb
