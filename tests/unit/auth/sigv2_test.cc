// AWS Signature Version 2: the worked examples of "Signing and authenticating REST requests
// (AWS signature version 2)" and "Browser-based uploads using POST (AWS signature version 2)"
// (key AKIAIOSFODNN7EXAMPLE), and every way a SigV2 request fails verification.
#include "auth/sigv2.h"

#include <gtest/gtest.h>

#include "auth/post_policy.h"
#include "auth/sigv4.h"
#include "auth_test_support.h"
#include "core/encoding.h"

namespace cv::auth {
namespace {

using testing::kDocAccessKey;
using testing::kDocSecret;
using testing::make_request;

constexpr std::string_view kDomain = "s3.amazonaws.com";

TimePoint at(std::string_view http_date) { return *parse_http_date(http_date); }

class SigV2Test : public ::testing::Test {
 protected:
  SigV2Test() : clock_(at("Tue, 27 Mar 2007 19:36:42 GMT")) {
    store_.add(std::string(kDocAccessKey), std::string(kDocSecret), "doc-user");
    options_.domain = std::string(kDomain);
  }

  Result<Identity> verify(const Request& request) {
    return SigV4Verifier(store_, clock_, options_).verify(request);
  }

  void expect_error(const Request& request, ErrorCode code, std::string_view message = {}) {
    auto identity = verify(request);
    ASSERT_FALSE(identity);
    EXPECT_EQ(identity.error().code, code) << identity.error().message;
    if (!message.empty()) EXPECT_EQ(identity.error().message, message);
  }

  testing::MapCredentialStore store_;
  ManualClock clock_;
  VerifierOptions options_;
};

struct DocExample {
  const char* name;
  Request request;
  const char* now;  // the server's clock
  std::string string_to_sign;
  const char* signature;
};

std::vector<DocExample> doc_examples() {
  return {
      {"ObjectGet",
       make_request(
           "GET", "/photos/puppy.jpg",
           {{"Host", "johnsmith.s3.amazonaws.com"}, {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}}),
       "Tue, 27 Mar 2007 19:36:42 GMT",
       "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
       "bWq2s1WEIj+Ydj0vQ697zp+IXMU="},
      {"ObjectPut",
       make_request("PUT", "/photos/puppy.jpg",
                    {{"Content-Type", "image/jpeg"},
                     {"Content-Length", "94328"},
                     {"Host", "johnsmith.s3.amazonaws.com"},
                     {"Date", "Tue, 27 Mar 2007 21:15:45 +0000"}}),
       "Tue, 27 Mar 2007 21:15:45 GMT",
       "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg",
       "MyyxeRY7whkBe+bq8fHCL/2kKUg="},
      {"List",  // prefix, max-keys and marker are not sub-resources
       make_request("GET", "/?prefix=photos&max-keys=50&marker=puppy",
                    {{"User-Agent", "Mozilla/5.0"},
                     {"Host", "johnsmith.s3.amazonaws.com"},
                     {"Date", "Tue, 27 Mar 2007 19:42:41 +0000"}}),
       "Tue, 27 Mar 2007 19:42:41 GMT", "GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/",
       "htDYFYduRNen8P9ZfE/s9SuKy0U="},
      {"Fetch",  // ?acl is
       make_request(
           "GET", "/?acl",
           {{"Host", "johnsmith.s3.amazonaws.com"}, {"Date", "Tue, 27 Mar 2007 19:44:46 +0000"}}),
       "Tue, 27 Mar 2007 19:44:46 GMT", "GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl",
       "c2WLPFtWHVgbEmeEG93a4cG37dM="},
      {"DeleteWithXAmzDate",  // path style; x-amz-date's value signed in the Date position
       make_request("DELETE", "/johnsmith/photos/puppy.jpg",
                    {{"User-Agent", "dotnet"},
                     {"Host", "s3.amazonaws.com"},
                     {"Date", "Tue, 27 Mar 2007 21:20:27 +0000"},
                     {"x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000"}}),
       "Tue, 27 Mar 2007 21:20:30 GMT",
       "DELETE\n\n\nTue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg",
       "lx3byBScXR6KzyMaifNkardMwNk="},
      {"Upload",  // amz headers sorted and joined; the example's CNAME bucket as a path
       make_request("PUT", "/static.johnsmith.net/db-backup.dat.gz",
                    {{"User-Agent", "curl/7.15.5"},
                     {"Host", "s3.amazonaws.com"},
                     {"Date", "Tue, 27 Mar 2007 21:06:08 +0000"},
                     {"x-amz-acl", "public-read"},
                     {"content-type", "application/x-download"},
                     {"Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="},
                     {"X-Amz-Meta-ReviewedBy", "joe@johnsmith.net"},
                     {"X-Amz-Meta-ReviewedBy", "jane@johnsmith.net"},
                     {"X-Amz-Meta-FileChecksum", "0x02661779"},
                     {"X-Amz-Meta-ChecksumAlgorithm", "crc32"},
                     {"Content-Disposition", "attachment; filename=database.dat"},
                     {"Content-Encoding", "gzip"},
                     {"Content-Length", "5913339"}}),
       "Tue, 27 Mar 2007 21:06:08 GMT",
       "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n"
       "x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\n"
       "x-amz-meta-filechecksum:0x02661779\n"
       "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n"
       "/static.johnsmith.net/db-backup.dat.gz",
       "ilyl83RwaSoYIEdixDQcA4OnAnc="},
      {"ListAllMyBuckets",
       make_request("GET", "/",
                    {{"Host", "s3.amazonaws.com"}, {"Date", "Wed, 28 Mar 2007 01:29:59 +0000"}}),
       "Wed, 28 Mar 2007 01:29:59 GMT", "GET\n\n\nWed, 28 Mar 2007 01:29:59 +0000\n/",
       "qGdzdERIC03wnaRNKh6OqZehG9s="},
      {"UnicodeKeys",  // the path is signed as sent, escapes and all
       make_request("GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
                    {{"Host", "s3.amazonaws.com"}, {"Date", "Wed, 28 Mar 2007 01:49:49 +0000"}}),
       "Wed, 28 Mar 2007 01:49:49 GMT",
       "GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
       "DNEZGsoieTZ92F3bUfSPQcbGmlM="},
  };
}

TEST_F(SigV2Test, DocumentationExamplesStringToSignAndSignature) {
  for (const DocExample& example : doc_examples()) {
    SCOPED_TRACE(example.name);
    const Headers& headers = example.request.headers;
    // AWS's DELETE example signs x-amz-date's value in the Date position (and not again
    // among the amz headers).
    const bool amz_date = headers.contains("x-amz-date");
    const std::string string_to_sign =
        amz_date ? sigv2_string_to_sign(example.request, trim(headers.get("x-amz-date")), kDomain,
                                        /*skip_amz_date=*/true)
                 : sigv2_string_to_sign(example.request, trim(headers.get("date")), kDomain);
    EXPECT_EQ(string_to_sign, example.string_to_sign);
    EXPECT_EQ(sigv2_signature(kDocSecret, string_to_sign), example.signature);
  }
}

TEST_F(SigV2Test, DocumentationExamplesVerify) {
  for (DocExample& example : doc_examples()) {
    SCOPED_TRACE(example.name);
    clock_.set(at(example.now));
    example.request.headers.add("authorization",
                                "AWS " + std::string(kDocAccessKey) + ":" + example.signature);
    auto identity = verify(example.request);
    ASSERT_TRUE(identity) << identity.error().message;
    EXPECT_FALSE(identity->anonymous);
    EXPECT_EQ(identity->user_id, "doc-user");
    EXPECT_EQ(identity->access_key_id, kDocAccessKey);
    EXPECT_EQ(identity->signature_version, "2");
    EXPECT_EQ(identity->auth_type, "REST-HEADER");
    EXPECT_FALSE(identity->presigned);
  }
}

TEST_F(SigV2Test, DocumentedXAmzDateFormWithAnEmptyDateLine) {
  Request request =
      make_request("GET", "/johnsmith/k",
                   {{"Host", "s3.amazonaws.com"}, {"x-amz-date", "Tue, 27 Mar 2007 19:36:42 GMT"}});
  const std::string string_to_sign = sigv2_string_to_sign(request, "", kDomain);
  EXPECT_EQ(string_to_sign, "GET\n\n\n\nx-amz-date:Tue, 27 Mar 2007 19:36:42 GMT\n/johnsmith/k");
  request.headers.add("authorization", "AWS " + std::string(kDocAccessKey) + ":" +
                                           sigv2_signature(kDocSecret, string_to_sign));
  EXPECT_TRUE(verify(request));
}

TEST_F(SigV2Test, QueryStringExample) {
  // "Query string request authentication alternative": Expires 1175139620.
  Request request = make_request("GET",
                                 "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature="
                                 "NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                                 {{"Host", "johnsmith.s3.amazonaws.com"}});
  EXPECT_EQ(sigv2_string_to_sign(request, "1175139620", kDomain),
            "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg");
  clock_.set(from_unix_nanos(int64_t{1175139620 - 60} * 1'000'000'000));
  auto identity = verify(request);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_TRUE(identity->presigned);
  EXPECT_EQ(identity->signature_version, "2");
  EXPECT_EQ(identity->auth_type, "REST-QUERY-STRING");

  clock_.set(from_unix_nanos(int64_t{1175139620 + 1} * 1'000'000'000));
  expect_error(request, ErrorCode::kAccessDenied, "Request has expired");
}

TEST_F(SigV2Test, SubResourcesAreSortedAndDecodedOthersLeftOut) {
  const Request request =
      make_request("GET",
                   "/b/k?versionId=3%2F4&response-content-type=text%2Fplain&list-type=2&uploadId=u&"
                   "partNumber=2&acl&x-id=GetObject",
                   {{"Host", "127.0.0.1:9000"}, {"x-amz-meta-a", "  spaced  "}});
  EXPECT_EQ(sigv2_string_to_sign(request, "D", ""),
            "GET\n\n\nD\nx-amz-meta-a:spaced\n"
            "/b/k?acl&partNumber=2&response-content-type=text/plain&uploadId=u&versionId=3/4");
}

TEST_F(SigV2Test, Failures) {
  clock_.set(at("Tue, 27 Mar 2007 19:36:42 GMT"));
  auto signed_get = [&](std::string date, std::string credential) {
    Request request = make_request("GET", "/photos/puppy.jpg",
                                   {{"Host", "johnsmith.s3.amazonaws.com"}, {"Date", date}});
    request.headers.add("authorization", "AWS " + credential);
    return request;
  };
  const std::string good = std::string(kDocAccessKey) + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=";
  ASSERT_TRUE(verify(signed_get("Tue, 27 Mar 2007 19:36:42 +0000", good)));

  auto mismatch = verify(signed_get("Tue, 27 Mar 2007 19:36:43 +0000", good));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kSignatureDoesNotMatch);
  ASSERT_EQ(mismatch.error().details.size(), 4u);
  EXPECT_EQ(mismatch.error().details[0].first, "AWSAccessKeyId");
  EXPECT_EQ(mismatch.error().details[1],
            (std::pair<std::string, std::string>{
                "StringToSign",
                "GET\n\n\nTue, 27 Mar 2007 19:36:43 +0000\n/johnsmith/photos/puppy.jpg"}));
  EXPECT_EQ(mismatch.error().details[2].second, "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
  EXPECT_TRUE(mismatch.error().details[3].second.starts_with("47 45 54 0a"));

  expect_error(signed_get("Tue, 27 Mar 2007 19:36:42 +0000", "NOSUCHKEY:abc="),
               ErrorCode::kInvalidAccessKeyId);
  expect_error(signed_get("Tue, 27 Mar 2007 19:36:42 +0000", "no-colon"),
               ErrorCode::kInvalidArgument,
               "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  expect_error(signed_get("not a date", good), ErrorCode::kAccessDenied,
               "AWS authentication requires a valid Date or x-amz-date header");
  // 15 minutes of skew are allowed, not 16.
  clock_.set(at("Tue, 27 Mar 2007 19:51:42 GMT"));
  EXPECT_TRUE(verify(signed_get("Tue, 27 Mar 2007 19:36:42 +0000", good)));
  clock_.set(at("Tue, 27 Mar 2007 19:52:43 GMT"));
  expect_error(signed_get("Tue, 27 Mar 2007 19:36:42 +0000", good),
               ErrorCode::kRequestTimeTooSkewed);

  Request bad_expires = make_request(
      "GET", "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=soon",
      {{"Host", "johnsmith.s3.amazonaws.com"}});
  expect_error(bad_expires, ErrorCode::kAccessDenied,
               "Invalid date (should be seconds since epoch)");
}

TEST_F(SigV2Test, SwitchedOffAnswersAsBefore) {
  options_.sigv2 = false;
  clock_.set(at("Tue, 27 Mar 2007 19:36:42 GMT"));
  Request request = make_request(
      "GET", "/photos/puppy.jpg",
      {{"Host", "johnsmith.s3.amazonaws.com"},
       {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
       {"Authorization", "AWS " + std::string(kDocAccessKey) + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU="}});
  const std::string please =
      "The authorization mechanism you have provided is not supported. Please use "
      "AWS4-HMAC-SHA256.";
  expect_error(request, ErrorCode::kInvalidRequest, please);
  expect_error(make_request("GET",
                            "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature="
                            "NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                            {{"Host", "johnsmith.s3.amazonaws.com"}}),
               ErrorCode::kInvalidRequest, please);
}

TEST_F(SigV2Test, SigV4IdentitiesSayTheirVersionAndType) {
  const TimePoint now = *parse_amz_date("20250301T120000Z");
  clock_.set(now);
  store_.add("V4KEY", "v4-secret", "v4-user");
  SigningRequest signing;
  signing.method = "GET";
  signing.host = "127.0.0.1:9000";
  signing.path = "/b/k";
  const SigningCredentials creds{"V4KEY", "v4-secret", "us-east-1", "s3"};
  auto header = verify(make_request("GET", "/b/k", sign_request(signing, creds, now)));
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_EQ(header->signature_version, "4");
  EXPECT_EQ(header->auth_type, "REST-HEADER");
  auto query = verify(
      make_request("GET", "/b/k?" + presign_query(signing, creds, now, std::chrono::seconds(60)),
                   {{"Host", "127.0.0.1:9000"}}));
  ASSERT_TRUE(query) << query.error().message;
  EXPECT_EQ(query->signature_version, "4");
  EXPECT_EQ(query->auth_type, "REST-QUERY-STRING");
}

// "Browser-based uploads using POST (AWS signature version 2)": the example policy signed
// with the example's secret.
TEST(SigV2PostTest, DocumentationExample) {
  const std::string document = R"({ "expiration": "2007-12-01T12:00:00.000Z",
  "conditions": [
    {"bucket": "johnsmith"},
    ["starts-with", "$key", "user/eric/"],
    {"acl": "public-read"},
    {"success_action_redirect": "http://johnsmith.s3.amazonaws.com/successful_upload.html"},
    ["starts-with", "$Content-Type", "image/"],
    {"x-amz-meta-uuid": "14365123651274"},
    ["starts-with", "$x-amz-meta-tag", ""]
  ]
}
)";
  const std::string policy = base64_encode(document);
  const std::string secret = "uV3F3YluFJax1cknvbcGwgjvx4QpvB+leU8dUj2o";
  ASSERT_EQ(sigv2_signature(secret, policy), "0RavWzkygo6QX9caELEqKi9kDbU=");
  const FormFields fields = {
      {"key", "user/eric/${filename}"},
      {"acl", "public-read"},
      {"success_action_redirect", "http://johnsmith.s3.amazonaws.com/successful_upload.html"},
      {"Content-Type", "image/jpeg"},
      {"x-amz-meta-uuid", "14365123651274"},
      {"x-amz-meta-tag", ""},
      {"AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"},
      {"Policy", policy},
      {"Signature", "0RavWzkygo6QX9caELEqKi9kDbU="},
  };
  testing::MapCredentialStore store;
  store.add("AKIAIOSFODNN7EXAMPLE", secret, "eric");
  ManualClock clock(*parse_iso8601("2007-11-30T12:00:00Z"));
  auto grant = verify_post_policy(fields, "johnsmith", store, clock, "us-east-1", true);
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user_id, "eric");
  EXPECT_EQ(grant->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(grant->signature_version, "2");

  // Off: refused as SigV2 is elsewhere.
  auto off = verify_post_policy(fields, "johnsmith", store, clock, "us-east-1", false);
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code, ErrorCode::kInvalidRequest);
  // A wrong signature, a tampered policy, an expired one.
  FormFields wrong = fields;
  wrong.back().second = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  EXPECT_EQ(verify_post_policy(wrong, "johnsmith", store, clock, "us-east-1", true).error().code,
            ErrorCode::kSignatureDoesNotMatch);
  FormFields other_bucket = fields;
  auto elsewhere = verify_post_policy(other_bucket, "janesmith", store, clock, "us-east-1", true);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kAccessDenied);
  clock.set(*parse_iso8601("2007-12-01T12:00:01Z"));
  auto expired = verify_post_policy(fields, "johnsmith", store, clock, "us-east-1", true);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "Invalid according to Policy: Policy expired.");
  // An extra field still needs a condition (AWSAccessKeyId and signature do not).
  clock.set(*parse_iso8601("2007-11-30T12:00:00Z"));
  FormFields extra = fields;
  extra.emplace_back("x-amz-meta-other", "1");
  auto uncovered = verify_post_policy(extra, "johnsmith", store, clock, "us-east-1", true);
  ASSERT_FALSE(uncovered);
  EXPECT_EQ(uncovered.error().message,
            "Invalid according to Policy: Extra input fields: x-amz-meta-other");
}

}  // namespace
}  // namespace cv::auth
