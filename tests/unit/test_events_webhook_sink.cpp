#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/webhook_signature.hpp"
#include "events/webhook_sink.hpp"
#include "util/usersctl_version.hpp"

using namespace usersctl::events;
using namespace usersctl::model;
using namespace std::chrono_literals;

namespace {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// A one-thread HTTP/1.1 receiver on 127.0.0.1 answering each request with whatever `respond` returns;
// an empty answer means "never answer" (the connection is held open until the server stops).
class TestServer {
 public:
  using Responder = std::function<std::string(const ReceivedRequest&)>;

  explicit TestServer(Responder respond) : respond_(std::move(respond)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("test server cannot listen");
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;
  ~TestServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listen_fd_);
  }

  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ReceivedRequest request;
      if (!read_request(fd, request)) {
        ::close(fd);
        continue;
      }
      const std::string answer = respond_(request);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      if (answer.empty()) {
        held_.push_back(fd);
        continue;
      }
      for (std::size_t sent = 0; sent < answer.size();) {
        const ssize_t n = ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
    }
  }

  bool read_some(int fd, std::string& buffer) {
    while (!stop_) {
      pollfd pfd{fd, POLLIN, 0};
      const int ready = ::poll(&pfd, 1, 20);
      if (ready < 0) return false;
      if (ready == 0) continue;
      char chunk[65536];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    return false;
  }

  bool read_request(int fd, ReceivedRequest& request) {
    std::string buffer;
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_some(fd, buffer)) return false;
    }
    const std::string head = buffer.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    request.method = request_line.substr(0, request_line.find(' '));
    request.target =
        request_line.substr(request.method.size() + 1, request_line.rfind(' ') - request.method.size() - 1);
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[name] = value;
    }
    const std::size_t length =
        request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    request.body = buffer.substr(header_end + 4);
    while (request.body.size() < length) {
      if (!read_some(fd, request.body)) return false;
    }
    return true;
  }

  Responder respond_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<int> held_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
};

std::string answer(int status, const std::string& reason, const std::string& extra_headers = {},
                   const std::string& body = {}) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

TestServer::Responder always(const std::string& canned) {
  return [canned](const ReceivedRequest&) { return canned; };
}

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kEventId = "0b6f3c1e-3f0a-4f43-9d55-2a1c2b7c9e10";
constexpr const char* kBody =
    R"({"specversion":"1.0","id":"0b6f3c1e-3f0a-4f43-9d55-2a1c2b7c9e10","type":"user.created","data":{"name":"Zoë"}})";

WebhookRequest request_to(const std::string& url, std::optional<std::string> secret = kSecret) {
  WebhookRequest request;
  request.url = url;
  request.secret = std::move(secret);
  request.event_id = kEventId;
  request.body = kBody;
  return request;
}

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

TEST(WebhookSink, DeliversWithStandardWebhooksHeadersAndTheExactBody) {
  TestServer server(always(answer(200, "OK")));
  const std::int64_t before = unix_now();
  const DeliveryResult result = post_webhook(request_to(server.url()));
  const std::int64_t after = unix_now();
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_EQ(result.detail, "HTTP 200");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& received = requests[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/hook");
  EXPECT_EQ(received.body, kBody);
  auto header = [&](const std::string& name) {
    const auto it = received.headers.find(name);
    return it == received.headers.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(header("content-type"), "application/cloudevents+json");
  EXPECT_EQ(header("webhook-id"), kEventId);
  EXPECT_EQ(header("user-agent"), std::string("usersctl/") + usersctl::kVersion);
  const std::int64_t timestamp = std::stoll(header("webhook-timestamp"));
  EXPECT_GE(timestamp, before);
  EXPECT_LE(timestamp, after);
  EXPECT_EQ(header("webhook-signature"), sign_webhook(kSecret, kEventId, timestamp, kBody));
  EXPECT_EQ(header("webhook-signature").substr(0, 3), "v1,");
}

TEST(WebhookSink, NoSecretMeansNoSignatureHeader) {
  TestServer server(always(answer(204, "No Content")));
  const DeliveryResult result = post_webhook(request_to(server.url(), std::nullopt));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.count("webhook-signature"), 0u);
  EXPECT_EQ(requests[0].headers.count("webhook-id"), 1u);
  EXPECT_EQ(requests[0].headers.count("webhook-timestamp"), 1u);
}

TEST(WebhookSink, LargeBodyIsSentWholeWithoutExpectContinue) {
  TestServer server(always(answer(200, "OK")));
  WebhookRequest request = request_to(server.url());
  request.body = std::string(1u << 20, 'x');
  const auto start = std::chrono::steady_clock::now();
  const DeliveryResult result = post_webhook(request);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);  // no 1 s wait for "100 Continue"
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, request.body);
  EXPECT_EQ(requests[0].headers.count("expect"), 0u);
}

TEST(WebhookSink, LargeResponseBodyIsDroppedAndStillDelivered) {
  TestServer server(always(answer(200, "OK", {}, std::string(1u << 20, 'y'))));
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Delivered) << result.detail;
}

TEST(WebhookSink, ServerErrorIsRetry) {
  TestServer server(always(answer(500, "Internal Server Error")));
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "HTTP 500");
  EXPECT_FALSE(result.retry_after_seconds.has_value());
}

TEST(WebhookSink, GoneMeansDisableTheHook) {
  TestServer server(always(answer(410, "Gone")));
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Gone);
  EXPECT_EQ(result.detail, "HTTP 410");
}

TEST(WebhookSink, TooManyRequestsHonoursRetryAfterSeconds) {
  TestServer server(always(answer(429, "Too Many Requests", "Retry-After: 7\r\n")));
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "HTTP 429");
  ASSERT_TRUE(result.retry_after_seconds.has_value());
  EXPECT_EQ(*result.retry_after_seconds, 7);
}

TEST(WebhookSink, ServiceUnavailableHonoursRetryAfterHttpDate) {
  const std::time_t when = std::time(nullptr) + 120;
  std::tm tm{};
  ::gmtime_r(&when, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  TestServer server(always(answer(503, "Service Unavailable", std::string("Retry-After: ") + date + "\r\n")));
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  ASSERT_TRUE(result.retry_after_seconds.has_value());
  EXPECT_GE(*result.retry_after_seconds, 110);
  EXPECT_LE(*result.retry_after_seconds, 120);
}

TEST(WebhookSink, RetryAfterIsIgnoredWhenMalformedOrOnOtherStatuses) {
  {
    TestServer server(always(answer(429, "Too Many Requests", "Retry-After: soon\r\n")));
    const DeliveryResult result = post_webhook(request_to(server.url()));
    EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
    EXPECT_FALSE(result.retry_after_seconds.has_value());
  }
  {
    TestServer server(always(answer(500, "Internal Server Error", "Retry-After: 7\r\n")));
    const DeliveryResult result = post_webhook(request_to(server.url()));
    EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
    EXPECT_FALSE(result.retry_after_seconds.has_value());
  }
}

TEST(WebhookSink, RedirectsAreNotFollowed) {
  TestServer server([](const ReceivedRequest& request) {
    if (request.target == "/elsewhere") return answer(200, "OK");
    return answer(302, "Found", "Location: /elsewhere\r\n");
  });
  const DeliveryResult result = post_webhook(request_to(server.url()));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "HTTP 302 (redirects are not followed)");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/hook");
}

TEST(WebhookSink, ConnectionRefusedIsRetryQuickly) {
  // A bound socket that does not listen: connecting to its port is refused, and no one else can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const auto start = std::chrono::steady_clock::now();
  const DeliveryResult result =
      post_webhook(request_to("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/hook"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  ::close(fd);
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "connection refused");
}

TEST(WebhookSink, SilentServerTimesOut) {
  TestServer server(always(""));  // reads the request, never answers
  WebhookRequest request = request_to(server.url());
  request.total_timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  const DeliveryResult result = post_webhook(request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_EQ(result.detail, "timed out after 300 ms");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1s);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(WebhookSink, OnlyHttpAndHttpsAreAllowed) {
  const DeliveryResult file = post_webhook(request_to("file:///etc/passwd"));
  EXPECT_EQ(file.outcome, DeliveryOutcome::Retry);
  EXPECT_NE(file.detail.find("file"), std::string::npos) << file.detail;
  const DeliveryResult ftp = post_webhook(request_to("ftp://127.0.0.1/"));
  EXPECT_EQ(ftp.outcome, DeliveryOutcome::Retry);
}

TEST(WebhookSink, MalformedSecretIsRetryAndSendsNothing) {
  TestServer server(always(answer(200, "OK")));
  const DeliveryResult result = post_webhook(request_to(server.url(), std::string("whsec_not base64")));
  EXPECT_EQ(result.outcome, DeliveryOutcome::Retry);
  EXPECT_NE(result.detail.find("cannot sign"), std::string::npos) << result.detail;
  EXPECT_TRUE(server.requests().empty());
}
