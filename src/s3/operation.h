// The S3 operations this server knows, and how each is authorized (Garage's route table
// idea: the route decides the operation and its authorization class together).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/http_message.h"

namespace cv::s3 {

enum class Operation {
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kGetBucketVersioning,
  kPutBucketVersioning,
  kListObjectVersions,
  kPutBucketCors,
  kGetBucketCors,
  kDeleteBucketCors,
  kListObjects,
  kListObjectsV2,
  kListMultipartUploads,
  kDeleteObjects,
  kPostObject,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kPreflight,
  kRestoreObject,
  // Bucket default encryption (sse).
  kPutBucketEncryption,
  kGetBucketEncryption,
  kDeleteBucketEncryption,
  // Bucket event notification configuration (notification_config.cc).
  kPutBucketNotificationConfiguration,
  kGetBucketNotificationConfiguration,
  // Bucket lifecycle configuration (lcrules).
  kPutBucketLifecycleConfiguration,
  kGetBucketLifecycleConfiguration,
  kDeleteBucketLifecycle,
  // Bucket replication configuration (replication_config.cc).
  kPutBucketReplication,
  kGetBucketReplication,
  kDeleteBucketReplication,
  // Bucket policy and public access block (bucket_policy.cc, public_access_block.cc).
  kPutBucketPolicy,
  kGetBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kPutPublicAccessBlock,
  kGetPublicAccessBlock,
  kDeletePublicAccessBlock,
  // Access control lists and Object Ownership (acl_ops.cc).
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kPutBucketOwnershipControls,
  kGetBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  // Bucket tagging (bucket_tagging.cc).
  kPutBucketTagging,
  kGetBucketTagging,
  kDeleteBucketTagging,
  // GetObjectAttributes (object_attributes.cc).
  kGetObjectAttributes,
  // Object lock (object_lock_config.cc).
  kPutObjectLockConfiguration,
  kGetObjectLockConfiguration,
  kPutObjectRetention,
  kGetObjectRetention,
  kPutObjectLegalHold,
  kGetObjectLegalHold,
};

// Who may reach the authorizer (s3/authorizer.h), which then decides by policy.
enum class Access {
  kAnonymous,      // not checked before the handler (CORS preflight; a POST form carries its
                   // own signature and is authorized once its fields are read)
  kAuthenticated,  // valid credentials needed (ListBuckets, CreateBucket)
  kBucketOwner,    // a bucket's operation: the owner, or whoever the policies and ACLs allow
                   // (anonymous callers included)
};

struct Route {
  Operation operation;
  Access access;
  std::string bucket;     // decoded; empty for service-level operations
  std::string key;        // decoded; empty for bucket-level operations
  std::string_view name;  // "GetObject", for logs and the audit trail
};

struct RoutingOptions {
  // Base domain for virtual-hosted-style requests: "<bucket>.<domain>". Empty: path style only.
  std::string domain;
};

// Decides the operation from method, path, query and headers. NotImplemented (501) for S3
// operations this server does not have; MethodNotAllowed for methods S3 lacks; InvalidURI
// for undecodable paths.
Result<Route> route_request(const Request& request, const RoutingOptions& options);

}  // namespace cv::s3
