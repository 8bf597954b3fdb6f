#include "s3/acl_admission.h"

#include "s3/acl_access.h"
#include "s3/authorizer.h"

namespace cv::s3 {
namespace {

std::unexpected<Error> access_denied(std::string_view bucket) {
  return fail(ErrorCode::kAccessDenied, "Access Denied", std::string(bucket));
}

}  // namespace

AclCaller acl_caller(const auth::Identity& identity) {
  return identity.anonymous ? AclCaller::nobody() : AclCaller::user(identity.user_id);
}

Status admit_by_acl(const Services& services, const AccessCheck& check, const meta::Bucket& bucket,
                    const AclCaller& caller) {
  if (CV_TRY(bucket_ownership(services, bucket.name)) == ObjectOwnership::kBucketOwnerEnforced) {
    return access_denied(bucket.name);
  }
  // IgnorePublicAcls: grants to AllUsers and AuthenticatedUsers count for nothing.
  const bool ignore_public = CV_TRY(ignores_public_acls(services, bucket.name));
  auto permits = [&](const AccessControlList& acl, AclPermission needed) {
    return acl_permits(ignore_public ? without_public_grants(acl) : acl, caller, needed);
  };
  const std::string& action = check.acl_action.empty() ? check.action : check.acl_action;
  if (const auto needed = acl_permission_for(action, false)) {
    if (permits(CV_TRY(stored_bucket_acl(services, bucket)), *needed)) return {};
    return access_denied(bucket.name);
  }
  const auto needed = acl_permission_for(action, true);
  if (!needed || !check.on_object) return access_denied(bucket.name);
  auto object = services.vault.get_object(bucket.name, check.key, check.version_id);
  if (!object) {
    const ErrorCode code = object.error().code;
    if (code != ErrorCode::kNoSuchKey && code != ErrorCode::kNoSuchVersion) {
      return std::unexpected(object.error());
    }
    // Only who may list the bucket learns that a key is not there.
    if (permits(CV_TRY(stored_bucket_acl(services, bucket)), AclPermission::kRead)) {
      return std::unexpected(object.error());
    }
    return access_denied(bucket.name);
  }
  if (permits(stored_object_acl(*object), *needed)) return {};
  return access_denied(bucket.name);
}

Status authorize_with_acls(const Services& services, Call& call, const AccessCheck& check,
                           const std::optional<AclCaller>& caller) {
  auto allowed = services.authorizer.authorize(call, check);
  const std::string& action = check.acl_action.empty() ? check.action : check.acl_action;
  const bool acl_can_grant =
      acl_permission_for(action, false) || acl_permission_for(action, true);
  if (allowed || allowed.error().code != ErrorCode::kAccessDenied || call.explicit_deny ||
      check.bucket.empty() || !acl_can_grant) {
    return allowed;
  }
  const auto bucket = CV_TRY(services.vault.get_bucket(check.bucket));
  CV_TRY(admit_by_acl(services, check, bucket, caller.value_or(acl_caller(call.identity))));
  call.denial.clear();
  return {};
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
