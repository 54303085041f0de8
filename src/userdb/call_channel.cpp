#include "userdb/call_channel.hpp"

namespace usersctl::userdb {

bool CallChannel::push(std::string message) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return abandoned_ || queue_.size() < capacity_; });
  if (abandoned_) return false;
  queue_.push_back(std::move(message));
  changed_.notify_all();
  return true;
}

void CallChannel::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

bool CallChannel::abandoned() const {
  std::lock_guard lock(mutex_);
  return abandoned_;
}

CallChannel::Status CallChannel::pop(std::string& message, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_until(lock, deadline, [&] { return !queue_.empty() || closed_; }))
    return Status::TimedOut;
  if (queue_.empty()) return Status::Closed;
  message = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return Status::Message;
}

void CallChannel::abandon() {
  std::lock_guard lock(mutex_);
  abandoned_ = true;
  queue_.clear();
  changed_.notify_all();
}

}  // namespace usersctl::userdb
