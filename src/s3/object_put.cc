// PutObject.
#include "core/encoding.h"
#include "s3/acl_access.h"
#include "s3/call.h"
#include "s3/conditions.h"
#include "s3/encryption_headers.h"
#include "s3/object_headers.h"
#include "s3/object_lock_headers.h"
#include "s3/request_body.h"

namespace cv::s3 {

Result<Response> put_object(const Services& services, Call& call) {
  const auto condition = CV_TRY(write_condition(call.request.headers));
  auto attributes = CV_TRY(attributes_from_headers(call.request.headers));
  CV_TRY(require_lock_integrity(services, call, attributes.lock));
  auto encryption = CV_TRY(encryption_request(call.request.headers));
  const auto state = CV_TRY(route_bucket_state(services, call));
  auto access = CV_TRY(new_object_access(services, call, state->bucket));
  auto body = CV_TRY(RequestBody::open(call.request, call.identity));
  attributes.owner_id = std::move(access.owner_id);
  attributes.acl = std::move(access.acl);
  attributes.checksum_algorithm = std::string(vault::checksum_name(body->checksum_algorithm()));
  vault::PutObjectInput input{call.route.bucket, call.route.key, std::move(attributes),
                              &body->source(),   body->length(), body->check()};
  input.encryption = std::move(encryption);
  input.origin = call.origin();
  input.condition = condition;
  input.bucket_state = state;
  const auto object = CV_TRY(services.vault.put_object(input));
  Response response = empty_response(200);
  response.headers.add("etag", quoted_etag(object.etag));
  add_version_header(services, call, object.version_id, response.headers);
  add_encryption_headers(object.encryption, response.headers);
  if (!object.checksum_value.empty()) {
    response.headers.add("x-amz-checksum-" + to_lower(object.checksum_algorithm),
                         object.checksum_value);
    response.headers.add("x-amz-checksum-type", object.checksum_type);
  }
  return response;
}

}  // namespace cv::s3
