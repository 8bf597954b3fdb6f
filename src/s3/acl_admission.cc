#include "s3/acl_admission.h"

#include "s3/acl_access.h"

namespace cv::s3 {
namespace {

bool names_version(const Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  return version && !version->empty();
}

std::unexpected<Error> access_denied(const Call& call) {
  return fail(ErrorCode::kAccessDenied, "Access Denied", call.route.bucket);
}

}  // namespace

std::optional<std::string_view> acl_action_of(const Call& call) {
  const bool version = names_version(call);
  switch (call.route.operation) {
    case Operation::kListObjects:
    case Operation::kListObjectsV2:
    case Operation::kHeadBucket:
      return "s3:ListBucket";
    case Operation::kListObjectVersions:
      return "s3:ListBucketVersions";
    case Operation::kListMultipartUploads:
      return "s3:ListBucketMultipartUploads";
    case Operation::kPutObject:
    case Operation::kCopyObject:
    case Operation::kPostObject:
    case Operation::kCreateMultipartUpload:
    case Operation::kUploadPart:
    case Operation::kUploadPartCopy:
    case Operation::kCompleteMultipartUpload:
      return "s3:PutObject";
    case Operation::kAbortMultipartUpload:
      return "s3:AbortMultipartUpload";
    case Operation::kListParts:
      return "s3:ListMultipartUploadParts";
    case Operation::kDeleteObject:
      return version ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
    case Operation::kDeleteObjects:
      return "s3:DeleteObject";
    case Operation::kGetObject:
    case Operation::kHeadObject:
      return version ? "s3:GetObjectVersion" : "s3:GetObject";
    case Operation::kGetBucketAcl:
      return "s3:GetBucketAcl";
    case Operation::kPutBucketAcl:
      return "s3:PutBucketAcl";
    case Operation::kGetObjectAcl:
      return version ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl";
    case Operation::kPutObjectAcl:
      return version ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl";
    default:
      return std::nullopt;
  }
}

AclCaller acl_caller(const auth::Identity& identity) {
  return identity.anonymous ? AclCaller::nobody() : AclCaller::user(identity.user_id);
}

Status admit_by_acl(const Services& services, const Call& call, const meta::Bucket& bucket,
                    const AclCaller& caller) {
  const auto action = acl_action_of(call);
  if (!action) return access_denied(call);
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced) {
    return access_denied(call);
  }
  // IgnorePublicAcls: grants to AllUsers and AuthenticatedUsers count for nothing.
  const bool ignore_public = CV_TRY(ignores_public_acls(services, bucket.name));
  auto permits = [&](const AccessControlList& acl, AclPermission needed) {
    return acl_permits(ignore_public ? without_public_grants(acl) : acl, caller, needed);
  };
  if (const auto needed = acl_permission_for(*action, false)) {
    const AccessControlList acl = CV_TRY(stored_bucket_acl(services, bucket));
    if (permits(acl, *needed)) return {};
    return access_denied(call);
  }
  const auto needed = acl_permission_for(*action, true);
  if (!needed) return access_denied(call);
  const std::string* version = find_param(call.request.params, "versionId");
  auto object = services.vault.get_object(bucket.name, call.route.key, version ? *version : "");
  if (!object) {
    const ErrorCode code = object.error().code;
    if (code != ErrorCode::kNoSuchKey && code != ErrorCode::kNoSuchVersion) {
      return std::unexpected(object.error());
    }
    // Only who may list the bucket learns that a key is not there.
    const AccessControlList acl = CV_TRY(stored_bucket_acl(services, bucket));
    if (permits(acl, AclPermission::kRead)) return std::unexpected(object.error());
    return access_denied(call);
  }
  if (permits(stored_object_acl(*object), *needed)) return {};
  return access_denied(call);
}

Status admit_object_read(const Services& services, const meta::Bucket& bucket,
                         const meta::ObjectVersion& object, const AclCaller& caller) {
  if (!caller.anonymous && caller.user_id == bucket.owner_id) return {};
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced) {
    return fail(ErrorCode::kAccessDenied, "Access Denied", bucket.name);
  }
  const AccessControlList acl = stored_object_acl(object);
  if (acl_permits(CV_TRY(ignores_public_acls(services, bucket.name)) ? without_public_grants(acl)
                                                                     : acl,
                  caller, AclPermission::kRead)) {
    return {};
  }
  return fail(ErrorCode::kAccessDenied, "Access Denied", bucket.name);
}

}  // namespace cv::s3
