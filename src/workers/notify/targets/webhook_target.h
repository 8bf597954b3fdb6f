// Delivers the event document as a signed JSON POST.
//
// Every request carries
//   Content-Type: application/json
//   X-CloudVault-Timestamp: <unix seconds when it was sent>
//   X-CloudVault-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>
// A receiver recomputes the HMAC over the timestamp header, a ".", and the raw body bytes
// with its copy of the secret, compares in constant time, and refuses timestamps older than
// it tolerates (e.g. 5 minutes) so a captured request cannot be replayed later (the scheme of
// Stripe's and GitHub's webhooks).
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "workers/notify/targets/curl_support.h"
#include "workers/notify/targets/notification_target.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {

// "sha256=<hex>": the X-CloudVault-Signature value for a body sent at `unix_seconds`.
std::string webhook_signature(std::string_view secret, int64_t unix_seconds, std::string_view body);

class WebhookTarget final : public NotificationTarget {
 public:
  // `settings` must have passed validate(); `clock` (outliving the target) stamps requests.
  WebhookTarget(TargetSettings settings, const Clock& clock);
  // 2xx: delivered; see post_json (http_post.h) for which failures are retryable.
  DeliveryResult deliver(const NotificationMessage& message) override;
  std::string_view name() const override { return settings_.name; }

 private:
  TargetSettings settings_;
  CurlHandlePool handles_;  // connections kept alive between deliveries
  const Clock& clock_;
};

}  // namespace cv::workers::notify
