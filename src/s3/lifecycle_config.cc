// PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle.
#include "core/encoding.h"
#include "core/hash.h"
#include "s3/call.h"
#include "s3/lifecycle_xml.h"
#include "s3/request_body.h"
#include "vault/checksum.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kMinimumSizeHeader = "x-amz-transition-default-minimum-object-size";

}  // namespace

Result<Response> put_bucket_lifecycle(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kRequired));
  auto config = CV_TRY(parse_lifecycle_configuration(body));
  if (const std::string* minimum = call.request.headers.find(kMinimumSizeHeader)) {
    const auto value = vault::parse_transition_minimum_size(trim(*minimum));
    if (!value) {
      return fail(ErrorCode::kInvalidArgument,
                  "The x-amz-transition-default-minimum-object-size header must be "
                  "all_storage_classes_128K or varies_by_storage_class");
    }
    config.transition_minimum_size = *value;
  }
  CV_TRY(services.vault.put_lifecycle(call.route.bucket, config));
  Response response = empty_response(200);
  response.headers.set(kMinimumSizeHeader,
                       vault::transition_minimum_size_name(config.transition_minimum_size));
  return response;
}

Result<Response> get_bucket_lifecycle(const Services& services, Call& call) {
  const auto config = CV_TRY(services.vault.lifecycle(call.route.bucket));
  if (!config) {
    return fail(ErrorCode::kNoSuchLifecycleConfiguration,
                "The lifecycle configuration does not exist", call.route.bucket);
  }
  Response response = xml_response(lifecycle_configuration_xml(*config));
  response.headers.set(kMinimumSizeHeader,
                       vault::transition_minimum_size_name(config->transition_minimum_size));
  return response;
}

Result<Response> delete_bucket_lifecycle(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_lifecycle(call.route.bucket));
  return empty_response(204);
}

}  // namespace cv::s3
