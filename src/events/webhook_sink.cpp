#include "events/webhook_sink.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "events/curl_library.hpp"
#include "events/webhook_signature.hpp"
#include "util/errors.hpp"
#include "util/url_redaction.hpp"
#include "util/usersctl_version.hpp"

namespace usersctl::events {
namespace {

// Read (and drop) at most this much of an answer; the status line and headers are all we use.
constexpr std::size_t kMaxResponseBytes = std::size_t{64} * 1024;

model::DeliveryResult retry(std::string detail) {
  return model::DeliveryResult{model::DeliveryOutcome::Retry, std::nullopt, std::move(detail)};
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (a != prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// What the header and write callbacks collect.
struct Response {
  std::optional<std::string> retry_after;
  std::size_t body_bytes = 0;
  bool body_too_large = false;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->retry_after.reset();  // a new response (after a 1xx) starts over
  } else if (iequals_prefix(line, "retry-after:")) {
    response->retry_after = std::string(trim(line.substr(std::strlen("retry-after:"))));
  }
  return size * count;
}

std::size_t on_body(char*, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  response->body_bytes += size * count;
  if (response->body_bytes > kMaxResponseBytes) {
    response->body_too_large = true;
    return 0;  // stop reading; the status line is all we need
  }
  return size * count;
}

// Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return seconds;
  }
  const std::string date(value);
  const std::time_t when = curl_library().getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(when) - now);
}

std::string format_duration_ms(long ms) {
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string describe_error(CURL* curl, CURLcode code, const char* error_buffer,
                           const WebhookRequest& request) {
  const CurlLibrary& lib = curl_library();
  if (code == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t connected_after = 0;
    long request_bytes = 0;
    lib.easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_after);
    lib.easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
    const bool connected = connected_after > 0 || request_bytes > 0;
    if (!connected && request.connect_timeout_ms < request.total_timeout_ms) {
      return "connection timed out after " + format_duration_ms(request.connect_timeout_ms);
    }
    return "timed out after " + format_duration_ms(request.total_timeout_ms);
  }
  if (code == CURLE_COULDNT_CONNECT) {
    long os_errno = 0;
    lib.easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    if (os_errno == ECONNREFUSED) return "connection refused";
  }
  // libcurl may quote the URL (a bad port, an unknown scheme): never with its credentials.
  std::string detail = error_buffer[0] != '\0' ? error_buffer : lib.easy_strerror(code);
  return util::scrub_secrets(one_line(std::move(detail)), util::url_secrets(request.url));
}

model::DeliveryResult classify_status(long status, const Response& response, std::int64_t now) {
  const std::string detail = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300)
    return model::DeliveryResult{model::DeliveryOutcome::Delivered, std::nullopt, detail};
  if (status == 410) return model::DeliveryResult{model::DeliveryOutcome::Gone, std::nullopt, detail};
  if (status == 429 || status == 503) {
    model::DeliveryResult result = retry(detail);
    if (response.retry_after) result.retry_after_seconds = parse_retry_after(*response.retry_after, now);
    return result;
  }
  if (status >= 300 && status < 400) return retry(detail + " (redirects are not followed)");
  return retry(detail);
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_library().easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_library().slist_free_all(list); }
};

// The request headers (Standard Webhooks: id, timestamp, signature when the hook has a secret);
// an error message instead when they cannot be made.
std::variant<std::unique_ptr<curl_slist, SlistDeleter>, std::string> request_headers(
    const CurlLibrary& lib, const WebhookRequest& request, std::int64_t now) {
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&headers, &lib](const std::string& line) {
    curl_slist* list = lib.slist_append(headers.get(), line.c_str());
    if (list == nullptr) return false;
    static_cast<void>(headers.release());  // `list` is the head of the old nodes plus the new one
    headers.reset(list);
    return true;
  };
  bool ok = add_header("Content-Type: application/cloudevents+json") &&
            add_header("webhook-id: " + request.event_id) &&
            add_header("webhook-timestamp: " + std::to_string(now)) &&
            add_header("Expect:");  // no 100-continue round trip for larger bodies
  if (ok && request.secret) {
    std::string signature;
    try {
      signature = sign_webhook(*request.secret, request.event_id, now, request.body);
      if (request.old_secret)
        signature += " " + sign_webhook(*request.old_secret, request.event_id, now, request.body);
    } catch (const Error& error) {
      return std::string("cannot sign: ") + error.what();
    }
    ok = add_header("webhook-signature: " + signature);
  }
  if (!ok) return std::string("out of memory");
  return headers;
}

void set_request_options(const CurlLibrary& lib, CURL* h, const WebhookRequest& request, curl_slist* headers,
                         const std::string& user_agent, Response& response, char* error_buffer) {
  lib.easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  lib.easy_setopt(h, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  lib.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  lib.easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  lib.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, request.connect_timeout_ms);
  lib.easy_setopt(h, CURLOPT_TIMEOUT_MS, request.total_timeout_ms);
  lib.easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
  lib.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  lib.easy_setopt(h, CURLOPT_POST, 1L);
  lib.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  lib.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  lib.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  lib.easy_setopt(h, CURLOPT_HEADERDATA, &response);
  lib.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  lib.easy_setopt(h, CURLOPT_WRITEDATA, &response);
  // TLS peer and host verification stay at libcurl's defaults (on).
}

}  // namespace

model::DeliveryResult post_webhook(const WebhookRequest& request) {
  const CurlLibrary& lib = curl_library();
  if (!lib.loaded) return retry(lib.error);
  if (request.event_id.find_first_of("\r\n") != std::string::npos ||
      request.event_id.find('\0') != std::string::npos) {
    return retry("invalid event id");
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  auto headers = request_headers(lib, request, now);
  if (const auto* problem = std::get_if<std::string>(&headers)) return retry(*problem);

  std::unique_ptr<CURL, CurlDeleter> curl(lib.easy_init());
  if (!curl) return retry("cannot initialise libcurl");
  CURL* const h = curl.get();
  Response response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  const std::string user_agent = std::string("usersctl/") + kVersion;
  set_request_options(lib, h, request, std::get<0>(headers).get(), user_agent, response, error_buffer);

  const CURLcode code = lib.easy_perform(h);
  long status = 0;
  lib.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && response.body_too_large && status != 0)) {
    return classify_status(status, response, now);
  }
  model::DeliveryResult result = retry(describe_error(h, code, error_buffer, request));
  result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
  return result;
}

}  // namespace usersctl::events
