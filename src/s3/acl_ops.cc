// GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl and
// Put/Get/DeleteBucketOwnershipControls.
#include "s3/acl_access.h"
#include "s3/acl_xml.h"
#include "s3/call.h"
#include "s3/request_body.h"

namespace cv::s3 {
namespace {

std::string version_param(const Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  return version ? *version : "";
}

Response acl_response(const Services& services, const AccessControlList& acl) {
  return xml_response(write_access_control_policy(
      acl, [&](std::string_view id) { return services.owners.display_name(id); }));
}

// The ACL a Put*Acl request sets on a resource owned by `owner_id`: from its
// AccessControlPolicy body or from its x-amz-acl / x-amz-grant-* headers (not both:
// InvalidRequest; neither: MalformedACLError). The body's Owner must be the resource's
// owner (AccessDenied otherwise: an ACL cannot give a resource away). Grantees resolved.
Result<AccessControlList> acl_to_set(const Services& services, Call& call,
                                     std::string_view owner_id, std::string_view bucket_owner_id) {
  const auto requested = CV_TRY(acl_from_headers(call.request.headers));
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kOptional));
  AccessControlList acl;
  if (!body.empty()) {
    if (requested) {
      return fail(ErrorCode::kInvalidRequest,
                  "Specifying both an ACL document and ACL headers is not allowed");
    }
    acl = CV_TRY(parse_access_control_policy(body));
    if (acl.owner_id != owner_id) return fail(ErrorCode::kAccessDenied, "Access Denied");
  } else if (requested) {
    acl = requested_acl_for(*requested, owner_id, bucket_owner_id);
  } else {
    return fail(ErrorCode::kMalformedACLError, "The request names no ACL");
  }
  CV_TRY(resolve_grantees(services.owners, acl));
  return acl;
}

}  // namespace

Result<Response> get_bucket_acl(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced) {
    return acl_response(services, owner_full_control(bucket.owner_id));
  }
  return acl_response(services, CV_TRY(stored_bucket_acl(services, bucket)));
}

Result<Response> put_bucket_acl(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  const AccessControlList acl = CV_TRY(acl_to_set(services, call, bucket.owner_id, {}));
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced &&
      !acl_is_bucket_owner_full_control(acl, bucket.owner_id)) {
    return fail(ErrorCode::kAccessControlListNotSupported);
  }
  CV_TRY(refuse_public_acl(services, bucket.name, acl));
  const std::string document = acl_document(acl);
  if (document.empty()) {
    CV_TRY(services.vault.delete_bucket_config(bucket.name, kAclConfig));
  } else {
    CV_TRY(services.vault.put_bucket_config(bucket.name, kAclConfig, document));
  }
  return empty_response(200);
}

Result<Response> get_object_acl(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  const auto object =
      CV_TRY(services.vault.get_object(call.route.bucket, call.route.key, version_param(call)));
  Response response =
      CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced
          ? acl_response(services, owner_full_control(bucket.owner_id))
          : acl_response(services, stored_object_acl(object));
  add_version_header(services, call, object.version_id, response.headers);
  return response;
}

Result<Response> put_object_acl(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  const auto object =
      CV_TRY(services.vault.get_object(call.route.bucket, call.route.key, version_param(call)));
  const AccessControlList acl =
      CV_TRY(acl_to_set(services, call, object.owner_id, bucket.owner_id));
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced &&
      !acl_is_bucket_owner_full_control(acl, bucket.owner_id)) {
    return fail(ErrorCode::kAccessControlListNotSupported);
  }
  CV_TRY(refuse_public_acl(services, bucket.name, acl));
  CV_TRY(services.vault.put_object_acl(call.route.bucket, call.route.key, object.version_id,
                                       acl_document(acl)));
  Response response = empty_response(200);
  add_version_header(services, call, object.version_id, response.headers);
  return response;
}

Result<Response> put_bucket_ownership_controls(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kOptional));
  const ObjectOwnership ownership = CV_TRY(parse_ownership_controls(body));
  // S3 refuses to turn ACLs off while the bucket's ACL still grants anyone but its owner.
  if (ownership == ObjectOwnership::kBucketOwnerEnforced &&
      !acl_is_bucket_owner_full_control(CV_TRY(stored_bucket_acl(services, bucket)),
                                        bucket.owner_id)) {
    return fail(ErrorCode::kInvalidBucketAclWithObjectOwnership);
  }
  CV_TRY(
      services.vault.put_bucket_config(bucket.name, kOwnershipConfig, ownership_name(ownership)));
  return empty_response(200);
}

Result<Response> get_bucket_ownership_controls(const Services& services, Call& call) {
  const auto ownership = CV_TRY(stored_ownership(services, call.route.bucket));
  if (!ownership) return fail(ErrorCode::kOwnershipControlsNotFoundError, {}, call.route.bucket);
  return xml_response(write_ownership_controls(*ownership));
}

Result<Response> delete_bucket_ownership_controls(const Services& services, Call& call) {
  CV_TRY(services.vault.get_bucket(call.route.bucket));
  CV_TRY(services.vault.delete_bucket_config(call.route.bucket, kOwnershipConfig));
  return empty_response(204);
}

}  // namespace cv::s3
