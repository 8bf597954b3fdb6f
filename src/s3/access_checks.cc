#include "s3/access_checks.h"

namespace cv::s3 {
namespace {

bool has(const Request& request, std::string_view name) {
  return find_param(request.params, name) != nullptr;
}

// The operation's own action, with its versioned variant when the request names a version.
std::string_view action_of(Operation operation, bool version) {
  switch (operation) {
    case Operation::kListBuckets:
      return "s3:ListAllMyBuckets";
    case Operation::kCreateBucket:
      return "s3:CreateBucket";
    case Operation::kHeadBucket:
    case Operation::kListObjects:
    case Operation::kListObjectsV2:
      return "s3:ListBucket";
    case Operation::kDeleteBucket:
      return "s3:DeleteBucket";
    case Operation::kGetBucketLocation:
      return "s3:GetBucketLocation";
    case Operation::kGetBucketVersioning:
      return "s3:GetBucketVersioning";
    case Operation::kPutBucketVersioning:
      return "s3:PutBucketVersioning";
    case Operation::kListObjectVersions:
      return "s3:ListBucketVersions";
    case Operation::kPutBucketCors:
    case Operation::kDeleteBucketCors:
      return "s3:PutBucketCORS";
    case Operation::kGetBucketCors:
      return "s3:GetBucketCORS";
    case Operation::kListMultipartUploads:
      return "s3:ListBucketMultipartUploads";
    case Operation::kDeleteObjects:
    case Operation::kDeleteObject:
      return version ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
    case Operation::kPostObject:
    case Operation::kPutObject:
    case Operation::kCopyObject:
    case Operation::kCreateMultipartUpload:
    case Operation::kUploadPart:
    case Operation::kUploadPartCopy:
    case Operation::kCompleteMultipartUpload:
      return "s3:PutObject";
    case Operation::kGetObject:
    case Operation::kHeadObject:
      return version ? "s3:GetObjectVersion" : "s3:GetObject";
    case Operation::kGetObjectTagging:
      return version ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging";
    case Operation::kPutObjectTagging:
      return version ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging";
    case Operation::kDeleteObjectTagging:
      return version ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging";
    case Operation::kAbortMultipartUpload:
      return "s3:AbortMultipartUpload";
    case Operation::kListParts:
      return "s3:ListMultipartUploadParts";
    case Operation::kPreflight:
      return "";
    case Operation::kRestoreObject:
      return "s3:RestoreObject";
    case Operation::kPutBucketEncryption:
    case Operation::kDeleteBucketEncryption:
      return "s3:PutEncryptionConfiguration";
    case Operation::kGetBucketEncryption:
      return "s3:GetEncryptionConfiguration";
    case Operation::kPutBucketNotificationConfiguration:
      return "s3:PutBucketNotification";
    case Operation::kGetBucketNotificationConfiguration:
      return "s3:GetBucketNotification";
    case Operation::kPutBucketLifecycleConfiguration:
    case Operation::kDeleteBucketLifecycle:
      return "s3:PutLifecycleConfiguration";
    case Operation::kGetBucketLifecycleConfiguration:
      return "s3:GetLifecycleConfiguration";
    case Operation::kPutBucketReplication:
    case Operation::kDeleteBucketReplication:
      return "s3:PutReplicationConfiguration";
    case Operation::kGetBucketReplication:
      return "s3:GetReplicationConfiguration";
    case Operation::kPutBucketPolicy:
      return "s3:PutBucketPolicy";
    case Operation::kGetBucketPolicy:
      return "s3:GetBucketPolicy";
    case Operation::kDeleteBucketPolicy:
      return "s3:DeleteBucketPolicy";
    case Operation::kGetBucketPolicyStatus:
      return "s3:GetBucketPolicyStatus";
    case Operation::kPutPublicAccessBlock:
    case Operation::kDeletePublicAccessBlock:
      return "s3:PutBucketPublicAccessBlock";
    case Operation::kGetPublicAccessBlock:
      return "s3:GetBucketPublicAccessBlock";
    case Operation::kPutBucketTagging:
    case Operation::kDeleteBucketTagging:
      return "s3:PutBucketTagging";
    case Operation::kGetBucketTagging:
      return "s3:GetBucketTagging";
    case Operation::kGetObjectAttributes:
      return version ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes";
    case Operation::kPutObjectLockConfiguration:
      return "s3:PutBucketObjectLockConfiguration";
    case Operation::kGetObjectLockConfiguration:
      return "s3:GetBucketObjectLockConfiguration";
    case Operation::kPutObjectRetention:
      return "s3:PutObjectRetention";
    case Operation::kGetObjectRetention:
      return "s3:GetObjectRetention";
    case Operation::kPutObjectLegalHold:
      return "s3:PutObjectLegalHold";
    case Operation::kGetObjectLegalHold:
      return "s3:GetObjectLegalHold";
    case Operation::kGetBucketAcl:
      return "s3:GetBucketAcl";
    case Operation::kPutBucketAcl:
      return "s3:PutBucketAcl";
    case Operation::kGetObjectAcl:
      return version ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl";
    case Operation::kPutObjectAcl:
      return version ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl";
    case Operation::kPutBucketOwnershipControls:
    case Operation::kDeleteBucketOwnershipControls:
      return "s3:PutBucketOwnershipControls";
    case Operation::kGetBucketOwnershipControls:
      return "s3:GetBucketOwnershipControls";
  }
  return "";
}

bool object_operation(Operation operation) {
  switch (operation) {
    case Operation::kPutObject:
    case Operation::kCopyObject:
    case Operation::kGetObject:
    case Operation::kHeadObject:
    case Operation::kDeleteObject:
    case Operation::kGetObjectTagging:
    case Operation::kPutObjectTagging:
    case Operation::kDeleteObjectTagging:
    case Operation::kCreateMultipartUpload:
    case Operation::kUploadPart:
    case Operation::kUploadPartCopy:
    case Operation::kCompleteMultipartUpload:
    case Operation::kAbortMultipartUpload:
    case Operation::kListParts:
    case Operation::kRestoreObject:
    case Operation::kGetObjectAttributes:
    case Operation::kGetObjectAcl:
    case Operation::kPutObjectAcl:
    case Operation::kPutObjectRetention:
    case Operation::kGetObjectRetention:
    case Operation::kPutObjectLegalHold:
    case Operation::kGetObjectLegalHold:
      return true;
    default:
      return false;
  }
}

// The requests that write a new object and may set its tags, ACL and lock with it.
bool creates_version(Operation operation) {
  return operation == Operation::kPutObject || operation == Operation::kCopyObject ||
         operation == Operation::kCreateMultipartUpload;
}

// A canned ACL or a grant header: the write sets an ACL, which needs s3:PutObjectAcl too.
bool sets_acl(const Request& request) {
  for (std::string_view header : {"x-amz-acl", "x-amz-grant-read", "x-amz-grant-read-acp",
                                  "x-amz-grant-write-acp", "x-amz-grant-full-control"}) {
    if (request.headers.contains(header)) return true;
  }
  return false;
}

}  // namespace

std::string bucket_arn(std::string_view bucket) {
  std::string arn = "arn:aws:s3:::";
  arn += bucket;
  return arn;
}

std::string object_arn(std::string_view bucket, std::string_view key) {
  std::string arn = bucket_arn(bucket);
  arn += '/';
  arn += key;
  return arn;
}

AccessCheck object_check(std::string_view action, std::string_view bucket, std::string_view key,
                         std::string_view version_id) {
  return AccessCheck{std::string(action), std::string(bucket), std::string(key),
                     object_arn(bucket, key), true, std::string(version_id)};
}

std::vector<AccessCheck> access_checks(const Route& route, const Request& request) {
  if (route.access == Access::kAnonymous || route.operation == Operation::kDeleteObjects) {
    return {};
  }
  const std::string_view action = action_of(route.operation, has(request, "versionId"));
  if (action.empty()) return {};
  std::vector<AccessCheck> checks;
  if (route.bucket.empty()) {
    checks.push_back(AccessCheck{std::string(action), {}, {}, "arn:aws:s3:::*", false});
    return checks;
  }
  if (!object_operation(route.operation)) {
    checks.push_back(AccessCheck{std::string(action), route.bucket, {}, bucket_arn(route.bucket),
                                 false});
    return checks;
  }
  const std::string* version = find_param(request.params, "versionId");
  checks.push_back(object_check(action, route.bucket, route.key, version ? *version : ""));
  if (creates_version(route.operation)) {
    auto companion = [&](std::string_view companion_action) {
      AccessCheck check = object_check(companion_action, route.bucket, route.key);
      check.acl_action = "s3:PutObject";
      checks.push_back(std::move(check));
    };
    if (request.headers.contains("x-amz-tagging")) companion("s3:PutObjectTagging");
    if (sets_acl(request)) companion("s3:PutObjectAcl");
    // A write that sets a retention or a legal hold needs those permissions too, as on S3.
    if (request.headers.contains("x-amz-object-lock-mode")) companion("s3:PutObjectRetention");
    if (request.headers.contains("x-amz-object-lock-legal-hold")) {
      companion("s3:PutObjectLegalHold");
    }
  }
  return checks;
}

}  // namespace cv::s3
