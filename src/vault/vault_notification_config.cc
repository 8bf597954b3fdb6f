// A bucket's event notification configuration: stored as JSON under bucket config kind
// "notification" (model, validation and codec in notification_config.h), parsed once and
// cached (Vault::notification_cache_): the notify consumer reads it for every event.
#include "vault/vault.h"

namespace cv::vault {
namespace {
constexpr std::string_view kNotificationConfig = "notification";
}  // namespace

Status Vault::put_notification_config(std::string_view bucket,
                                      const NotificationConfiguration& config,
                                      const NotificationTargetCatalog* destinations,
                                      const ChangeOrigin& origin) {
  CV_TRY(validate(config));
  CV_TRY(get_bucket(bucket));
  if (destinations != nullptr) CV_TRY(check_notification_destinations(config, *destinations));
  if (config.empty()) {
    CV_TRY(meta_.delete_bucket_config(bucket, kNotificationConfig));
    forget_notification(bucket);
    return {};
  }
  meta::Event test;
  test.time_ns = to_unix_nanos(clock_.now());
  test.name = std::string(kTestEventName);
  test.bucket = std::string(bucket);
  test.principal_id = origin.principal_id;
  test.source_ip = origin.source_ip;
  test.request_id = origin.request_id;
  test.detail = test_event_detail(config);
  CV_TRY(meta_.put_bucket_config(bucket, kNotificationConfig, to_json(config), test));
  forget_notification(bucket);
  return {};
}

void Vault::forget_notification(std::string_view bucket) {
  std::lock_guard lock(bucket_cache_mutex_);
  ++cache_changes_;
  if (auto it = notification_cache_.find(bucket); it != notification_cache_.end()) {
    notification_cache_.erase(it);
  }
}

Result<NotificationConfiguration> Vault::get_notification_config(std::string_view bucket) {
  follow_other_changes();
  uint64_t changes_before = 0;
  {
    std::lock_guard lock(bucket_cache_mutex_);
    if (auto it = notification_cache_.find(bucket);
        it != notification_cache_.end() && it->second.cache_changes == cache_changes_) {
      return it->second.config;
    }
    changes_before = cache_changes_;
  }
  CV_TRY(get_bucket(bucket));
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kNotificationConfig));
  NotificationConfiguration config;
  if (document) config = CV_TRY(notification_from_json(*document));
  std::lock_guard lock(bucket_cache_mutex_);
  if (cache_changes_ == changes_before) {
    notification_cache_.insert_or_assign(std::string(bucket),
                                         CachedNotification{changes_before, config});
  }
  return config;
}

}  // namespace cv::vault
