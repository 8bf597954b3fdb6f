// Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus: a bucket's policy, a JSON document in
// the IAM policy language (validated by policy::parse_policy; kept as given).
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {

Result<Response> put_bucket_policy(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kOptional));
  CV_TRY(services.vault.put_bucket_policy(call.route.bucket, body));
  return empty_response(204);
}

Result<Response> get_bucket_policy(const Services& services, Call& call) {
  Response response;
  response.headers.add("content-type", "application/json");
  response.body = CV_TRY(services.vault.bucket_policy(call.route.bucket));
  return response;
}

Result<Response> delete_bucket_policy(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_bucket_policy(call.route.bucket));
  return empty_response(204);
}

Result<Response> get_bucket_policy_status(const Services& services, Call& call) {
  const auto access = CV_TRY(services.vault.bucket_access(call.route.bucket));
  if (!access->policy) {
    return fail(ErrorCode::kNoSuchBucketPolicy, "The bucket policy does not exist",
                call.route.bucket);
  }
  XmlWriter xml("PolicyStatus");
  add_text(xml.root(), "IsPublic", access->policy_is_public ? "true" : "false");
  return xml_response(xml.str());
}

}  // namespace cv::s3
