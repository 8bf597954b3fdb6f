// E-mail through an SMTP server, over libcurl. smtp:// upgrades with STARTTLS when the server
// offers it (and insists on it when a username is set, so a password never crosses in clear);
// smtps:// is TLS from the first byte. AUTH with username/password when set. The message is
// email_message.h's.
#pragma once

#include "core/clock.h"
#include "workers/notify/targets/notification_target.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {

class SmtpTarget final : public NotificationTarget {
 public:
  // `settings` must have passed validate(); `clock` (outliving the target) dates messages.
  SmtpTarget(TargetSettings settings, const Clock& clock);
  // Delivered when the server accepted the message for every recipient. Failures: SMTP 5xx
  // replies (refused sender or recipient, failed login) are permanent, 4xx replies, timeouts
  // and connection errors retryable; the message quotes the reply code and curl's text.
  DeliveryResult deliver(const NotificationMessage& message) override;
  std::string_view name() const override { return settings_.name; }

 private:
  TargetSettings settings_;
  const Clock& clock_;
};

}  // namespace cv::workers::notify
