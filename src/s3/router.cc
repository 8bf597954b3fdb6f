#include <array>

#include "core/encoding.h"
#include "s3/operation.h"

namespace cv::s3 {
namespace {

// Sub-resources S3 has that this server does not implement yet (or not for every method:
// what is routed is matched before this list is consulted).
constexpr std::array kUnimplementedSubresources = {
    "acl",
    "accelerate",
    "analytics",
    // Object-level GET ?attributes is routed (GetObjectAttributes); a bucket has none.
    "attributes",
    "intelligent-tiering",
    "inventory",
    "lifecycle",
    "logging",
    "metrics",
    // GET and PUT on a bucket are routed before this list is consulted.
    "notification",
    "ownershipControls",
    "replication",
    "requestPayment",
    "select",
    "tagging",
    "torrent",
    "versions",
    "versioning",
    "website",
};

bool has(const QueryParams& params, std::string_view name) {
  return find_param(params, name) != nullptr;
}

Route make(Operation op, Access access, std::string_view name) {
  return Route{op, access, {}, {}, name};
}

Result<Route> route_bucket(const Request& request) {
  const auto& p = request.params;
  const std::string& m = request.method;
  if (m == "GET") {
    if (has(p, "acl")) return make(Operation::kGetBucketAcl, Access::kBucketOwner, "GetBucketAcl");
    if (has(p, "ownershipControls")) {
      return make(Operation::kGetBucketOwnershipControls, Access::kBucketOwner,
                  "GetBucketOwnershipControls");
    }
    if (has(p, "cors"))
      return make(Operation::kGetBucketCors, Access::kBucketOwner, "GetBucketCors");
    if (has(p, "encryption")) {
      return make(Operation::kGetBucketEncryption, Access::kBucketOwner, "GetBucketEncryption");
    }
    if (has(p, "lifecycle")) {
      return make(Operation::kGetBucketLifecycleConfiguration, Access::kBucketOwner,
                  "GetBucketLifecycleConfiguration");
    }
    if (has(p, "replication")) {
      return make(Operation::kGetBucketReplication, Access::kBucketOwner, "GetBucketReplication");
    }
    if (has(p, "tagging")) {
      return make(Operation::kGetBucketTagging, Access::kBucketOwner, "GetBucketTagging");
    }
    if (has(p, "location")) {
      return make(Operation::kGetBucketLocation, Access::kBucketOwner, "GetBucketLocation");
    }
    if (has(p, "notification")) {
      return make(Operation::kGetBucketNotificationConfiguration, Access::kBucketOwner,
                  "GetBucketNotificationConfiguration");
    }
    if (has(p, "versioning")) {
      return make(Operation::kGetBucketVersioning, Access::kBucketOwner, "GetBucketVersioning");
    }
    if (has(p, "object-lock")) {
      return make(Operation::kGetObjectLockConfiguration, Access::kBucketOwner,
                  "GetObjectLockConfiguration");
    }
    if (has(p, "uploads")) {
      return make(Operation::kListMultipartUploads, Access::kBucketOwner, "ListMultipartUploads");
    }
    if (has(p, "versions")) {
      return make(Operation::kListObjectVersions, Access::kBucketOwner, "ListObjectVersions");
    }
    if (has(p, "policy")) {
      return make(Operation::kGetBucketPolicy, Access::kBucketOwner, "GetBucketPolicy");
    }
    if (has(p, "policyStatus")) {
      return make(Operation::kGetBucketPolicyStatus, Access::kBucketOwner,
                  "GetBucketPolicyStatus");
    }
    if (has(p, "publicAccessBlock")) {
      return make(Operation::kGetPublicAccessBlock, Access::kBucketOwner, "GetPublicAccessBlock");
    }
  } else if (m == "PUT") {
    if (has(p, "policy")) {
      return make(Operation::kPutBucketPolicy, Access::kBucketOwner, "PutBucketPolicy");
    }
    if (has(p, "publicAccessBlock")) {
      return make(Operation::kPutPublicAccessBlock, Access::kBucketOwner, "PutPublicAccessBlock");
    }
    if (has(p, "acl")) return make(Operation::kPutBucketAcl, Access::kBucketOwner, "PutBucketAcl");
    if (has(p, "ownershipControls")) {
      return make(Operation::kPutBucketOwnershipControls, Access::kBucketOwner,
                  "PutBucketOwnershipControls");
    }
    if (has(p, "cors"))
      return make(Operation::kPutBucketCors, Access::kBucketOwner, "PutBucketCors");
    if (has(p, "encryption")) {
      return make(Operation::kPutBucketEncryption, Access::kBucketOwner, "PutBucketEncryption");
    }
    if (has(p, "notification")) {
      return make(Operation::kPutBucketNotificationConfiguration, Access::kBucketOwner,
                  "PutBucketNotificationConfiguration");
    }
    if (has(p, "lifecycle")) {
      return make(Operation::kPutBucketLifecycleConfiguration, Access::kBucketOwner,
                  "PutBucketLifecycleConfiguration");
    }
    if (has(p, "replication")) {
      return make(Operation::kPutBucketReplication, Access::kBucketOwner, "PutBucketReplication");
    }
    if (has(p, "tagging")) {
      return make(Operation::kPutBucketTagging, Access::kBucketOwner, "PutBucketTagging");
    }
    if (has(p, "versioning")) {
      return make(Operation::kPutBucketVersioning, Access::kBucketOwner, "PutBucketVersioning");
    }
    if (has(p, "object-lock")) {
      return make(Operation::kPutObjectLockConfiguration, Access::kBucketOwner,
                  "PutObjectLockConfiguration");
    }
  } else if (m == "DELETE") {
    if (has(p, "policy")) {
      return make(Operation::kDeleteBucketPolicy, Access::kBucketOwner, "DeleteBucketPolicy");
    }
    if (has(p, "publicAccessBlock")) {
      return make(Operation::kDeletePublicAccessBlock, Access::kBucketOwner,
                  "DeletePublicAccessBlock");
    }
    if (has(p, "ownershipControls")) {
      return make(Operation::kDeleteBucketOwnershipControls, Access::kBucketOwner,
                  "DeleteBucketOwnershipControls");
    }
    if (has(p, "cors")) {
      return make(Operation::kDeleteBucketCors, Access::kBucketOwner, "DeleteBucketCors");
    }
    if (has(p, "encryption")) {
      return make(Operation::kDeleteBucketEncryption, Access::kBucketOwner,
                  "DeleteBucketEncryption");
    }
    if (has(p, "lifecycle")) {
      return make(Operation::kDeleteBucketLifecycle, Access::kBucketOwner, "DeleteBucketLifecycle");
    }
    if (has(p, "tagging")) {
      return make(Operation::kDeleteBucketTagging, Access::kBucketOwner, "DeleteBucketTagging");
    }
    if (has(p, "replication")) {
      return make(Operation::kDeleteBucketReplication, Access::kBucketOwner,
                  "DeleteBucketReplication");
    }
  } else if (m == "POST") {
    if (has(p, "delete"))
      return make(Operation::kDeleteObjects, Access::kBucketOwner, "DeleteObjects");
  }
  for (const char* sub : kUnimplementedSubresources) {
    if (has(p, sub)) return fail(ErrorCode::kNotImplemented, {}, sub);
  }
  if (m == "GET") {
    const std::string* list_type = find_param(p, "list-type");
    if (list_type && *list_type == "2") {
      return make(Operation::kListObjectsV2, Access::kBucketOwner, "ListObjectsV2");
    }
    return make(Operation::kListObjects, Access::kBucketOwner, "ListObjects");
  }
  if (m == "PUT") return make(Operation::kCreateBucket, Access::kAuthenticated, "CreateBucket");
  if (m == "HEAD") return make(Operation::kHeadBucket, Access::kBucketOwner, "HeadBucket");
  if (m == "DELETE") return make(Operation::kDeleteBucket, Access::kBucketOwner, "DeleteBucket");
  if (m == "POST") {
    if (request.headers.get("content-type").starts_with("multipart/form-data")) {
      return make(Operation::kPostObject, Access::kAnonymous, "PostObject");
    }
    return fail(ErrorCode::kNotImplemented);
  }
  return fail(ErrorCode::kMethodNotAllowed);
}

Result<Route> route_object(const Request& request) {
  const auto& p = request.params;
  const std::string& m = request.method;
  const bool copy = request.headers.contains("x-amz-copy-source");
  if (has(p, "tagging")) {
    if (m == "GET")
      return make(Operation::kGetObjectTagging, Access::kBucketOwner, "GetObjectTagging");
    if (m == "PUT")
      return make(Operation::kPutObjectTagging, Access::kBucketOwner, "PutObjectTagging");
    if (m == "DELETE") {
      return make(Operation::kDeleteObjectTagging, Access::kBucketOwner, "DeleteObjectTagging");
    }
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (has(p, "acl")) {
    if (m == "GET") return make(Operation::kGetObjectAcl, Access::kBucketOwner, "GetObjectAcl");
    if (m == "PUT") return make(Operation::kPutObjectAcl, Access::kBucketOwner, "PutObjectAcl");
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (has(p, "attributes")) {
    if (m == "GET") {
      return make(Operation::kGetObjectAttributes, Access::kBucketOwner, "GetObjectAttributes");
    }
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (has(p, "retention")) {
    if (m == "GET")
      return make(Operation::kGetObjectRetention, Access::kBucketOwner, "GetObjectRetention");
    if (m == "PUT")
      return make(Operation::kPutObjectRetention, Access::kBucketOwner, "PutObjectRetention");
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (has(p, "legal-hold")) {
    if (m == "GET")
      return make(Operation::kGetObjectLegalHold, Access::kBucketOwner, "GetObjectLegalHold");
    if (m == "PUT")
      return make(Operation::kPutObjectLegalHold, Access::kBucketOwner, "PutObjectLegalHold");
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (has(p, "restore")) {
    if (m == "POST") return make(Operation::kRestoreObject, Access::kBucketOwner, "RestoreObject");
    return fail(ErrorCode::kMethodNotAllowed);
  }
  if (m == "POST" && has(p, "uploads")) {
    return make(Operation::kCreateMultipartUpload, Access::kBucketOwner, "CreateMultipartUpload");
  }
  if (has(p, "uploadId")) {
    if (m == "PUT" && has(p, "partNumber")) {
      return copy ? make(Operation::kUploadPartCopy, Access::kBucketOwner, "UploadPartCopy")
                  : make(Operation::kUploadPart, Access::kBucketOwner, "UploadPart");
    }
    if (m == "POST") {
      return make(Operation::kCompleteMultipartUpload, Access::kBucketOwner,
                  "CompleteMultipartUpload");
    }
    if (m == "DELETE") {
      return make(Operation::kAbortMultipartUpload, Access::kBucketOwner, "AbortMultipartUpload");
    }
    if (m == "GET") return make(Operation::kListParts, Access::kBucketOwner, "ListParts");
  }
  for (const char* sub : kUnimplementedSubresources) {
    if (has(p, sub)) return fail(ErrorCode::kNotImplemented, {}, sub);
  }
  if (m == "PUT") {
    return copy ? make(Operation::kCopyObject, Access::kBucketOwner, "CopyObject")
                : make(Operation::kPutObject, Access::kBucketOwner, "PutObject");
  }
  if (m == "GET") return make(Operation::kGetObject, Access::kBucketOwner, "GetObject");
  if (m == "HEAD") return make(Operation::kHeadObject, Access::kBucketOwner, "HeadObject");
  if (m == "DELETE") return make(Operation::kDeleteObject, Access::kBucketOwner, "DeleteObject");
  if (m == "POST") return fail(ErrorCode::kNotImplemented);
  return fail(ErrorCode::kMethodNotAllowed);
}

// The bucket named by a virtual-hosted-style Host header, or empty.
std::string bucket_from_host(std::string_view host, std::string_view domain) {
  if (domain.empty()) return {};
  if (const size_t colon = host.rfind(':');
      colon != std::string_view::npos && host.find(']') == std::string_view::npos) {
    host = host.substr(0, colon);
  }
  const std::string lower_host = to_lower(host);
  const std::string suffix = "." + to_lower(domain);
  if (lower_host.size() <= suffix.size() || !lower_host.ends_with(suffix)) return {};
  return lower_host.substr(0, lower_host.size() - suffix.size());
}

}  // namespace

Result<Route> route_request(const Request& request, const RoutingOptions& options) {
  auto decoded = percent_decode(request.path);
  if (!decoded || decoded->empty() || decoded->front() != '/') {
    return fail(ErrorCode::kInvalidURI, "Couldn't parse the specified URI.", request.path);
  }
  std::string_view path = std::string_view(*decoded).substr(1);
  std::string bucket = bucket_from_host(request.headers.get("host"), options.domain);
  std::string key;
  if (bucket.empty()) {
    const size_t slash = path.find('/');
    bucket = std::string(path.substr(0, slash));
    if (slash != std::string_view::npos) key = std::string(path.substr(slash + 1));
  } else {
    key = std::string(path);
  }

  Result<Route> route = fail(ErrorCode::kMethodNotAllowed);
  if (request.method == "OPTIONS") {
    route = make(Operation::kPreflight, Access::kAnonymous, "PreflightRequest");
  } else if (bucket.empty()) {
    if (request.method != "GET") return fail(ErrorCode::kMethodNotAllowed);
    route = make(Operation::kListBuckets, Access::kAuthenticated, "ListBuckets");
  } else if (key.empty()) {
    route = route_bucket(request);
  } else {
    route = route_object(request);
  }
  if (!route) {
    if (route.error().code == ErrorCode::kNotImplemented && route.error().message.empty()) {
      route.error().message = "This operation is not implemented yet";
    }
    return route;
  }
  route->bucket = std::move(bucket);
  route->key = std::move(key);
  return route;
}

}  // namespace cv::s3
