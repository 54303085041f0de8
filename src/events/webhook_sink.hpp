#pragma once
// Delivers one webhook attempt with libcurl: an HTTP POST carrying the Standard Webhooks headers.

#include <optional>
#include <string>

#include "model/delivery.hpp"

namespace usersctl::events {

struct WebhookRequest {
  std::string url;                    // http:// or https://; nothing else is allowed
  std::optional<std::string> secret;  // "whsec_…"; when set the request carries webhook-signature
  std::string event_id;               // webhook-id: the same on every retry of the event
  std::string body;                   // sent as is, application/cloudevents+json
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 10000;
  // During a secret rotation: the previous secret, whose signature follows the new one's
  // (space-separated, as Standard Webhooks allows), so receivers may verify with either.
  std::optional<std::string> old_secret = std::nullopt;
};

// One POST attempt; never throws for anything the network or the receiver does.
// 2xx → Delivered; 410 → Gone; 429/503 with Retry-After (seconds or an HTTP-date) → Retry with
// retry_after_seconds; anything else (other statuses, redirects, which are not followed, connection
// errors, timeouts, a malformed secret) → Retry with a one-line detail.
// webhook-timestamp is taken from the clock on each call. Safe to call from several threads.
model::DeliveryResult post_webhook(const WebhookRequest& request);

}  // namespace usersctl::events
