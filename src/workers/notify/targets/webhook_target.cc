#include "workers/notify/targets/webhook_target.h"

#include "core/encoding.h"
#include "core/hash.h"
#include "workers/notify/targets/http_post.h"

namespace cv::workers::notify {

std::string webhook_signature(std::string_view secret, int64_t unix_seconds,
                              std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text += '.';
  signed_text += body;
  return "sha256=" + hex_encode(hmac_sha256(secret, signed_text));
}

WebhookTarget::WebhookTarget(TargetSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {}

DeliveryResult WebhookTarget::deliver(const NotificationMessage& message) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  JsonPost post{.target = settings_.name,
                .url = settings_.url,
                .body = message.event_document,
                .headers = {"X-CloudVault-Timestamp: " + std::to_string(now),
                            "X-CloudVault-Signature: " +
                                webhook_signature(settings_.secret, now, message.event_document)},
                .timeout = settings_.timeout,
                .verify_tls = settings_.verify_tls,
                .pool = &handles_};
  return post_json(post);
}

}  // namespace cv::workers::notify
