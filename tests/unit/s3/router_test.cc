#include <gtest/gtest.h>

#include "s3/operation.h"

namespace cv::s3 {
namespace {

Request make(std::string method, std::string target,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.method = std::move(method);
  request.target = target;
  const size_t q = target.find('?');
  request.path = target.substr(0, q);
  request.query = q == std::string::npos ? "" : target.substr(q + 1);
  request.params = parse_query(request.query).value();
  for (auto& [name, value] : headers) request.headers.add(name, value);
  return request;
}

Operation op(const Request& request, const RoutingOptions& options = {}) {
  auto route = route_request(request, options);
  EXPECT_TRUE(route.has_value()) << request.method << " " << request.target;
  return route ? route->operation : Operation::kPreflight;
}

TEST(Router, ServiceAndBucketOperations) {
  EXPECT_EQ(op(make("GET", "/")), Operation::kListBuckets);
  EXPECT_EQ(op(make("PUT", "/b")), Operation::kCreateBucket);
  EXPECT_EQ(op(make("HEAD", "/b")), Operation::kHeadBucket);
  EXPECT_EQ(op(make("DELETE", "/b/")), Operation::kDeleteBucket);
  EXPECT_EQ(op(make("GET", "/b?location")), Operation::kGetBucketLocation);
  EXPECT_EQ(op(make("GET", "/b?list-type=2&prefix=a")), Operation::kListObjectsV2);
  EXPECT_EQ(op(make("GET", "/b?prefix=a")), Operation::kListObjects);
  EXPECT_EQ(op(make("GET", "/b?uploads")), Operation::kListMultipartUploads);
  EXPECT_EQ(op(make("POST", "/b?delete")), Operation::kDeleteObjects);
  EXPECT_EQ(op(make("PUT", "/b?cors")), Operation::kPutBucketCors);
  EXPECT_EQ(op(make("PUT", "/b?lifecycle")), Operation::kPutBucketLifecycleConfiguration);
  EXPECT_EQ(op(make("GET", "/b?lifecycle")), Operation::kGetBucketLifecycleConfiguration);
  EXPECT_EQ(op(make("DELETE", "/b?lifecycle")), Operation::kDeleteBucketLifecycle);
  EXPECT_EQ(op(make("PUT", "/b?notification")), Operation::kPutBucketNotificationConfiguration);
  EXPECT_EQ(op(make("GET", "/b?notification")), Operation::kGetBucketNotificationConfiguration);
  EXPECT_EQ(op(make("POST", "/b", {{"content-type", "multipart/form-data; boundary=x"}})),
            Operation::kPostObject);
}

TEST(Router, ObjectOperationsAndDecodedKeys) {
  auto route = route_request(make("PUT", "/b/dir/a%20b%2Bc"), {});
  ASSERT_TRUE(route);
  EXPECT_EQ(route->operation, Operation::kPutObject);
  EXPECT_EQ(route->bucket, "b");
  EXPECT_EQ(route->key, "dir/a b+c");
  EXPECT_EQ(op(make("PUT", "/b/k", {{"x-amz-copy-source", "/b/j"}})), Operation::kCopyObject);
  EXPECT_EQ(op(make("PUT", "/b/k?partNumber=1&uploadId=u")), Operation::kUploadPart);
  EXPECT_EQ(op(make("PUT", "/b/k?partNumber=1&uploadId=u", {{"x-amz-copy-source", "/b/j"}})),
            Operation::kUploadPartCopy);
  EXPECT_EQ(op(make("POST", "/b/k?uploads")), Operation::kCreateMultipartUpload);
  EXPECT_EQ(op(make("POST", "/b/k?uploadId=u")), Operation::kCompleteMultipartUpload);
  EXPECT_EQ(op(make("DELETE", "/b/k?uploadId=u")), Operation::kAbortMultipartUpload);
  EXPECT_EQ(op(make("GET", "/b/k?uploadId=u")), Operation::kListParts);
  EXPECT_EQ(op(make("GET", "/b/k?tagging")), Operation::kGetObjectTagging);
  EXPECT_EQ(op(make("OPTIONS", "/b/k")), Operation::kPreflight);
}

TEST(Router, AclAndOwnershipControls) {
  EXPECT_EQ(op(make("GET", "/b?acl")), Operation::kGetBucketAcl);
  EXPECT_EQ(op(make("PUT", "/b?acl")), Operation::kPutBucketAcl);
  EXPECT_EQ(op(make("GET", "/b/k?acl")), Operation::kGetObjectAcl);
  EXPECT_EQ(op(make("PUT", "/b/k?acl&versionId=v")), Operation::kPutObjectAcl);
  EXPECT_EQ(op(make("PUT", "/b?ownershipControls")), Operation::kPutBucketOwnershipControls);
  EXPECT_EQ(op(make("GET", "/b?ownershipControls")), Operation::kGetBucketOwnershipControls);
  EXPECT_EQ(op(make("DELETE", "/b?ownershipControls")), Operation::kDeleteBucketOwnershipControls);
  // DELETE ?acl is no DeleteBucket in disguise.
  auto delete_acl = route_request(make("DELETE", "/b?acl"), {});
  ASSERT_FALSE(delete_acl);
  EXPECT_EQ(delete_acl.error().code, ErrorCode::kNotImplemented);
}

TEST(Router, BucketTaggingAndObjectAttributes) {
  EXPECT_EQ(op(make("PUT", "/b?tagging")), Operation::kPutBucketTagging);
  EXPECT_EQ(op(make("GET", "/b?tagging")), Operation::kGetBucketTagging);
  EXPECT_EQ(op(make("DELETE", "/b?tagging")), Operation::kDeleteBucketTagging);
  EXPECT_EQ(op(make("GET", "/b/k?attributes")), Operation::kGetObjectAttributes);
  EXPECT_EQ(op(make("GET", "/b/k?attributes&versionId=v")), Operation::kGetObjectAttributes);
  EXPECT_EQ(route_request(make("PUT", "/b/k?attributes"), {}).error().code,
            ErrorCode::kMethodNotAllowed);
  // A bucket has no attributes sub-resource.
  EXPECT_EQ(route_request(make("GET", "/b?attributes"), {}).error().code,
            ErrorCode::kNotImplemented);
}

TEST(Router, VirtualHostedStyle) {
  RoutingOptions options{"s3.example.test"};
  auto route = route_request(
      make("GET", "/photos/cat.jpg", {{"host", "media.s3.example.test:9000"}}), options);
  ASSERT_TRUE(route);
  EXPECT_EQ(route->bucket, "media");
  EXPECT_EQ(route->key, "photos/cat.jpg");
  auto path_style = route_request(make("GET", "/media/x", {{"host", "127.0.0.1:9000"}}), options);
  ASSERT_TRUE(path_style);
  EXPECT_EQ(path_style->bucket, "media");
}

TEST(Router, UnknownAndUnsupported) {
  auto acl = route_request(make("POST", "/b/k?acl"), {});
  ASSERT_FALSE(acl);
  EXPECT_EQ(acl.error().code, ErrorCode::kMethodNotAllowed);
  auto website = route_request(make("GET", "/b?website"), {});
  ASSERT_FALSE(website);
  EXPECT_EQ(website.error().code, ErrorCode::kNotImplemented);
  auto object_lifecycle = route_request(make("GET", "/b/k?lifecycle"), {});
  ASSERT_FALSE(object_lifecycle);
  EXPECT_EQ(object_lifecycle.error().code, ErrorCode::kNotImplemented);
  // S3 has no DeleteBucketNotification: never a DeleteBucket in disguise.
  auto delete_notification = route_request(make("DELETE", "/b?notification"), {});
  ASSERT_FALSE(delete_notification);
  EXPECT_EQ(delete_notification.error().code, ErrorCode::kNotImplemented);
  auto object_notification = route_request(make("GET", "/b/k?notification"), {});
  ASSERT_FALSE(object_notification);
  EXPECT_EQ(object_notification.error().code, ErrorCode::kNotImplemented);
  auto patch = route_request(make("PATCH", "/b/k"), {});
  ASSERT_FALSE(patch);
  EXPECT_EQ(patch.error().code, ErrorCode::kMethodNotAllowed);
  auto bad = route_request(make("GET", "/b/%zz"), {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidURI);
}

}  // namespace
}  // namespace cv::s3
