// Every routed S3 request maps to the IAM action and resource ARN AWS documents for it
// ("Actions, resources, and condition keys for Amazon S3").
#include "s3/access_checks.h"

#include <gtest/gtest.h>

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

// "action resource" of each check, in order.
std::vector<std::string> checks(const Request& request) {
  auto route = route_request(request, {});
  EXPECT_TRUE(route.has_value()) << request.method << " " << request.target;
  std::vector<std::string> out;
  if (!route) return out;
  for (const AccessCheck& check : access_checks(*route, request)) {
    out.push_back(check.action + " " + check.resource);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(AccessChecks, ServiceAndBucketActions) {
  EXPECT_EQ(checks(make("GET", "/")), Strings{"s3:ListAllMyBuckets arn:aws:s3:::*"});
  EXPECT_EQ(checks(make("PUT", "/b")), Strings{"s3:CreateBucket arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("HEAD", "/b")), Strings{"s3:ListBucket arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?list-type=2")), Strings{"s3:ListBucket arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?versions")), Strings{"s3:ListBucketVersions arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?uploads")),
            Strings{"s3:ListBucketMultipartUploads arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("DELETE", "/b")), Strings{"s3:DeleteBucket arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("DELETE", "/b?cors")), Strings{"s3:PutBucketCORS arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?lifecycle")),
            Strings{"s3:GetLifecycleConfiguration arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("DELETE", "/b?encryption")),
            Strings{"s3:PutEncryptionConfiguration arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("PUT", "/b?policy")), Strings{"s3:PutBucketPolicy arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?policyStatus")),
            Strings{"s3:GetBucketPolicyStatus arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("DELETE", "/b?publicAccessBlock")),
            Strings{"s3:PutBucketPublicAccessBlock arn:aws:s3:::b"});
  EXPECT_EQ(checks(make("GET", "/b?publicAccessBlock")),
            Strings{"s3:GetBucketPublicAccessBlock arn:aws:s3:::b"});
}

TEST(AccessChecks, ObjectActionsWithTheirVersionedVariants) {
  EXPECT_EQ(checks(make("GET", "/b/a/k.txt")), Strings{"s3:GetObject arn:aws:s3:::b/a/k.txt"});
  EXPECT_EQ(checks(make("HEAD", "/b/k?versionId=v1")),
            Strings{"s3:GetObjectVersion arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("DELETE", "/b/k")), Strings{"s3:DeleteObject arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("DELETE", "/b/k?versionId=v1")),
            Strings{"s3:DeleteObjectVersion arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("GET", "/b/k?tagging&versionId=v")),
            Strings{"s3:GetObjectVersionTagging arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("PUT", "/b/k?tagging")), Strings{"s3:PutObjectTagging arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("POST", "/b/k?uploads")), Strings{"s3:PutObject arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("PUT", "/b/k?partNumber=1&uploadId=u")),
            Strings{"s3:PutObject arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("DELETE", "/b/k?uploadId=u")),
            Strings{"s3:AbortMultipartUpload arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("GET", "/b/k?uploadId=u")),
            Strings{"s3:ListMultipartUploadParts arn:aws:s3:::b/k"});
  EXPECT_EQ(checks(make("POST", "/b/k?restore")), Strings{"s3:RestoreObject arn:aws:s3:::b/k"});
}

TEST(AccessChecks, TagsOnAWriteNeedPutObjectTaggingToo) {
  EXPECT_EQ(checks(make("PUT", "/b/k", {{"x-amz-tagging", "a=1"}})),
            (Strings{"s3:PutObject arn:aws:s3:::b/k", "s3:PutObjectTagging arn:aws:s3:::b/k"}));
  EXPECT_EQ(checks(make("PUT", "/b/k", {{"x-amz-copy-source", "/src/k"}})),
            Strings{"s3:PutObject arn:aws:s3:::b/k"});  // the source: checked by the handler
}

TEST(AccessChecks, RoutesCheckedByTheirHandlersHaveNone) {
  EXPECT_TRUE(checks(make("POST", "/b?delete")).empty());
  EXPECT_TRUE(checks(make("OPTIONS", "/b/k")).empty());
  EXPECT_TRUE(checks(make("POST", "/b", {{"content-type", "multipart/form-data; boundary=x"}}))
                  .empty());
}

}  // namespace
}  // namespace cv::s3
