// Slack and Discord incoming webhooks: a formatted message about the event, POSTed as JSON in
// the payload shape each documents. Neither is signed: the secret is the webhook URL itself.
//
// Slack: {"text": <headline, the notification fallback>, "blocks": [a section with the
//   headline (linked to the console when there is a link), a section of mrkdwn "fields"
//   (bucket, key, size, version, by; at most 10), a context line (event name, time)]}.
//   Slack answers 200 "ok".
// Discord: {"content": <headline>, "embeds": [{"title": <key>, "url": <console link>,
//   "timestamp": <ISO 8601>, "color", "fields": [{"name", "value", "inline"}], "footer"}],
//   "allowed_mentions": {"parse": []}} (a key such as "@everyone" pings no one). Texts are cut to
//   Discord's limits (content 2000, title 256, field name 256 / value 1024). Answers 204.
#pragma once

#include <string>

#include "workers/notify/targets/curl_support.h"
#include "workers/notify/targets/notification_target.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {

std::string slack_payload(const NotificationMessage& message);
std::string discord_payload(const NotificationMessage& message);

// One class for both: `settings.type` (kSlack or kDiscord) chooses the payload.
class ChatWebhookTarget final : public NotificationTarget {
 public:
  // `settings` must have passed validate().
  explicit ChatWebhookTarget(TargetSettings settings);
  // 2xx: delivered; failures are classified as post_json (http_post.h) says.
  DeliveryResult deliver(const NotificationMessage& message) override;
  std::string_view name() const override { return settings_.name; }

 private:
  TargetSettings settings_;
  CurlHandlePool handles_;  // connections kept alive between deliveries
};

}  // namespace cv::workers::notify
