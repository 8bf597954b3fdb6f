#include "workers/notify/targets/target_catalog.h"

#include <algorithm>

#include "workers/notify/targets/chat_targets.h"
#include "workers/notify/targets/smtp_target.h"
#include "workers/notify/targets/webhook_target.h"

namespace cv::workers::notify {

std::unique_ptr<NotificationTarget> make_target(const TargetSettings& settings,
                                                const Clock& clock) {
  switch (settings.type) {
    case TargetType::kWebhook:
      return std::make_unique<WebhookTarget>(settings, clock);
    case TargetType::kSmtp:
      return std::make_unique<SmtpTarget>(settings, clock);
    case TargetType::kSlack:
    case TargetType::kDiscord:
      return std::make_unique<ChatWebhookTarget>(settings);
  }
  return nullptr;
}

Result<std::unique_ptr<TargetCatalog>> TargetCatalog::create(std::vector<TargetSettings> settings,
                                                             const Clock& clock) {
  std::unique_ptr<TargetCatalog> catalog(new TargetCatalog());
  std::sort(settings.begin(), settings.end(),
            [](const TargetSettings& a, const TargetSettings& b) { return a.name < b.name; });
  for (const TargetSettings& entry : settings) {
    CV_TRY(validate(entry));
    if (catalog->targets_.contains(entry.name)) {
      return fail(ErrorCode::kInvalidArgument,
                  "notify.targets." + entry.name + " is defined twice");
    }
    catalog->targets_.emplace(entry.name, make_target(entry, clock));
  }
  catalog->settings_ = std::move(settings);
  return catalog;
}

bool TargetCatalog::has_target(std::string_view name) const { return targets_.contains(name); }

NotificationTarget* TargetCatalog::find(std::string_view name) const {
  const auto found = targets_.find(name);
  return found == targets_.end() ? nullptr : found->second.get();
}

}  // namespace cv::workers::notify
