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
  explicit CallChannel(std::size_t capacity = 16) : capacity_(capacity) {}

  // Worker side. push() waits while the queue is full; false once the call was abandoned.
  bool push(std::string message);
  void close();  // no more replies
  bool abandoned() const;

  // Connection side.
  enum class Status { Message, Closed, TimedOut };
  Status pop(std::string& message, std::chrono::steady_clock::time_point deadline);
  void abandon();

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  bool abandoned_ = false;
};

}  // namespace usersctl::userdb
