// PutBucketNotificationConfiguration and GetBucketNotificationConfiguration.
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/notification_xml.h"
#include "s3/request_body.h"

namespace cv::s3 {
namespace {

// S3's header that saves a configuration without checking its destinations exist.
constexpr std::string_view kSkipDestinationValidation = "x-amz-skip-destination-validation";

Result<bool> skips_destination_validation(const Headers& headers) {
  const std::string* value = headers.find(kSkipDestinationValidation);
  if (value == nullptr) return false;
  const std::string_view text = trim(*value);
  if (ascii_iequals(text, "true")) return true;
  if (ascii_iequals(text, "false")) return false;
  return fail(ErrorCode::kInvalidArgument,
              "The x-amz-skip-destination-validation header must be true or false");
}

// The catalog of a server whose configuration defines no target.
class NoNotificationTargets final : public vault::NotificationTargetCatalog {
 public:
  bool has_target(std::string_view) const override { return false; }
};

}  // namespace

Result<Response> put_bucket_notification(const Services& services, Call& call) {
  const bool skip_validation = CV_TRY(skips_destination_validation(call.request.headers));
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kOptional));
  const auto config = CV_TRY(parse_notification_configuration(body));
  const NoNotificationTargets none;
  const vault::NotificationTargetCatalog* targets = services.options.notification_targets;
  if (targets == nullptr) targets = &none;
  CV_TRY(services.vault.put_notification_config(
      call.route.bucket, config, skip_validation ? nullptr : targets, call.origin()));
  return empty_response(200);
}

Result<Response> get_bucket_notification(const Services& services, Call& call) {
  const auto config = CV_TRY(services.vault.get_notification_config(call.route.bucket));
  return xml_response(notification_configuration_xml(config));
}

}  // namespace cv::s3
