// A bucket's event notification configuration: stored as JSON under bucket config kind
// "notification" (model, validation and codec in notification_config.h). Read from the store
// on every call, as CORS is: no cache yet (DESIGN rule 7's BucketState does not exist).
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
  if (config.empty()) return meta_.delete_bucket_config(bucket, kNotificationConfig);
  meta::Event test;
  test.time_ns = to_unix_nanos(clock_.now());
  test.name = std::string(kTestEventName);
  test.bucket = std::string(bucket);
  test.principal_id = origin.principal_id;
  test.source_ip = origin.source_ip;
  test.request_id = origin.request_id;
  test.detail = test_event_detail(config);
  return meta_.put_bucket_config(bucket, kNotificationConfig, to_json(config), test);
}

Result<NotificationConfiguration> Vault::get_notification_config(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kNotificationConfig));
  if (!document) return NotificationConfiguration{};
  return notification_from_json(*document);
}

}  // namespace cv::vault
