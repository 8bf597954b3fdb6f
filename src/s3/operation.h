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
  // Object lock (object_lock_config.cc).
  kPutObjectLockConfiguration,
  kGetObjectLockConfiguration,
  kPutObjectRetention,
  kGetObjectRetention,
  kPutObjectLegalHold,
  kGetObjectLegalHold,
};

enum class Access {
  kAnonymous,      // no credentials needed (CORS preflight; POST carries its own policy)
  kAuthenticated,  // any valid user (ListBuckets, CreateBucket)
  kBucketOwner,    // the bucket's owner only
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
