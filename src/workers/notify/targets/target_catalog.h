// The configured notification targets by name, built once from the configuration. The S3
// layer asks it whether an ARN's target exists (has_target; the shape of
// vault::NotificationTargetCatalog); the notify worker asks it for the target to deliver to.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "workers/notify/targets/notification_target.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {

// A target for `settings` (which must have passed validate()), by its type: WebhookTarget,
// SmtpTarget or ChatWebhookTarget. `clock` must outlive it.
std::unique_ptr<NotificationTarget> make_target(const TargetSettings& settings, const Clock& clock);

// Immutable after create(), so every method is safe from any thread. Owns its targets.
class TargetCatalog {
 public:
  // Validates every entry (InvalidArgument naming the first bad one; also for a repeated
  // name) and builds the targets. `clock` must outlive the catalog.
  static Result<std::unique_ptr<TargetCatalog>> create(std::vector<TargetSettings> settings,
                                                       const Clock& clock);

  bool has_target(std::string_view name) const;
  // Null when there is no such target. The pointer lives as long as the catalog.
  NotificationTarget* find(std::string_view name) const;
  // The settings, in name order (for listings; secrets included, so never print them whole).
  const std::vector<TargetSettings>& settings() const { return settings_; }

 private:
  TargetCatalog() = default;
  std::vector<TargetSettings> settings_;
  std::map<std::string, std::unique_ptr<NotificationTarget>, std::less<>> targets_;
};

}  // namespace cv::workers::notify
