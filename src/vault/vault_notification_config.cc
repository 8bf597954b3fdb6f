// A bucket's event notification configuration: stored as JSON under bucket config kind
// "notification" (model, validation and codec in notification_config.h), parsed once and
// kept in the bucket's state (bucket_state.h): the notify consumer reads it for every event.
#include "vault/vault.h"

namespace cv::vault {

Status Vault::put_notification_config(std::string_view bucket,
                                      const NotificationConfiguration& config,
                                      const NotificationTargetCatalog* destinations,
                                      const ChangeOrigin& origin) {
  CV_TRY(validate(config));
  CV_TRY(get_bucket(bucket));
  if (destinations != nullptr) CV_TRY(check_notification_destinations(config, *destinations));
  if (config.empty()) {
    CV_TRY(meta_.delete_bucket_config(bucket, kNotificationConfig));
    forget_bucket(bucket);
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
  forget_bucket(bucket);
  return {};
}


Result<NotificationConfiguration> Vault::get_notification_config(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->notification;
}

}  // namespace cv::vault
