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

// S3 requires an integrity check on this request: Content-MD5 or an x-amz-checksum-* value
// (in a header or, for aws-chunked bodies, a trailer).
bool has_integrity_header(const Headers& headers, vault::ChecksumAlgorithm algorithm) {
  if (headers.contains("content-md5")) return true;
  if (algorithm == vault::ChecksumAlgorithm::kNone) return false;
  const std::string header = "x-amz-checksum-" + to_lower(vault::checksum_name(algorithm));
  return headers.contains(header) || headers.contains("x-amz-trailer");
}

// The request body, decoded (aws-chunked), with its signed hash, Content-MD5 and checksum
// verified.
Result<std::string> read_checked_body(const Services& services, Call& call) {
  auto body = CV_TRY(RequestBody::open(call.request, call.identity));
  if (!has_integrity_header(call.request.headers, body->checksum_algorithm())) {
    return fail(ErrorCode::kInvalidRequest,
                "Missing required header for this request: Content-MD5");
  }
  std::string text = CV_TRY(read_all(body->source(), services.options.max_xml_body));
  vault::BodyDigests digests;
  digests.size = text.size();
  digests.md5 = md5(text);
  digests.checksum = vault::compute_checksum(body->checksum_algorithm(), text);
  CV_TRY(body->check()(digests));
  return text;
}

}  // namespace

Result<Response> put_bucket_lifecycle(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_checked_body(services, call));
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
