#include "userdb/call_channel.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace usersctl::userdb {

bool CallChannel::send_directly(std::string& message) {
  for (;;) {
    const ssize_t n = ::send(reply_fd_, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      message.erase(0, static_cast<std::size_t>(n));
      return true;
    }
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

bool CallChannel::push(std::string message) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return abandoned_ || queue_.size() < capacity_; });
  if (abandoned_ || answered_) return false;
  if (reply_fd_ >= 0) {
    answered_ = true;
    if (!send_directly(message)) {
      abandoned_ = true;
      changed_.notify_all();
      return false;
    }
    // All sent: the call is over. Otherwise the connection sends the rest, with its timeout.
    if (message.empty()) closed_ = true;
  }
  if (!message.empty()) queue_.push_back(std::move(message));
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
  if (!changed_.wait_until(lock, deadline, [&] { return !queue_.empty() || closed_; })) {
    // Abandoned under the same lock: from here the worker never writes to the peer itself.
    abandoned_ = true;
    queue_.clear();
    changed_.notify_all();
    return Status::TimedOut;
  }
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
