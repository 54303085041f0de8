#include "userdb/call_pool.hpp"

namespace usersctl::userdb {
namespace {

class ChannelSink : public ReplySink {
 public:
  explicit ChannelSink(CallChannel& channel) : channel_(channel) {}
  bool send(std::string message) override { return channel_.push(std::move(message)); }

 private:
  CallChannel& channel_;
};

}  // namespace

CallPool::CallPool(AccountSource& source, unsigned workers, std::size_t queue_limit)
    : source_(source), queue_limit_(queue_limit) {
  workers_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

CallPool::~CallPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& call : queue_) call.channel->close();
    queue_.clear();
  }
  pending_.notify_all();
  for (auto& worker : workers_) worker.join();
}

std::shared_ptr<CallChannel> CallPool::submit(Request request, CallContext context, int reply_fd) {
  auto channel = std::make_shared<CallChannel>(16, request.more ? -1 : reply_fd);
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) return nullptr;
    queue_.push_back({std::move(request), std::move(context), channel});
  }
  pending_.notify_one();
  return channel;
}

void CallPool::work() {
  for (;;) {
    Call call;
    {
      std::unique_lock lock(mutex_);
      pending_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      call = std::move(queue_.front());
      queue_.pop_front();
    }
    run(call);
  }
}

// A call whose caller gave up while it was queued is not started: under a slow source this is
// what keeps the backlog from growing into minutes of stale work.
void CallPool::run(Call& call) {
  if (!call.channel->abandoned()) {
    ChannelSink sink(*call.channel);
    dispatch(call.request, call.context, source_, sink);
  }
  call.channel->close();
}

}  // namespace usersctl::userdb
