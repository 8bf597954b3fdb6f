// verify_post_policy: the S3 documentation's POST example and the ways a form can break its
// policy.
#include "auth/post_policy.h"

#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "auth_test_support.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

using testing::kDocAccessKey;
using testing::kDocSecret;

std::string with_crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string sign_policy(std::string_view policy_base64, std::string_view secret,
                        std::string_view date) {
  return hex_encode(
      hmac_sha256(derive_signing_key(secret, date, "us-east-1", "s3"), policy_base64));
}

// "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)".
TEST(PostPolicyTest, DocumentationExample) {
  const std::string policy = base64_encode(with_crlf(R"({ "expiration": "2015-12-30T12:00:00.000Z",
  "conditions": [
    {"bucket": "sigv4examplebucket"},
    ["starts-with", "$key", "user/user1/"],
    {"acl": "public-read"},
    {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
    ["starts-with", "$Content-Type", "image/"],
    {"x-amz-meta-uuid": "14365123651274"},
    {"x-amz-server-side-encryption": "AES256"},
    ["starts-with", "$x-amz-meta-tag", ""],

    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
    {"x-amz-date": "20151229T000000Z" }
  ]
})"));
  ASSERT_TRUE(policy.starts_with("eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0K"));
  const std::string signature = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";
  ASSERT_EQ(sign_policy(policy, kDocSecret, "20151229"), signature);
  const FormFields fields = {
      {"key", "user/user1/${filename}"},
      {"acl", "public-read"},
      {"success_action_redirect",
       "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
      {"Content-Type", "image/jpeg"},
      {"x-amz-meta-uuid", "14365123651274"},
      {"x-amz-server-side-encryption", "AES256"},
      {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Date", "20151229T000000Z"},
      {"x-amz-meta-tag", ""},
      {"Policy", policy},
      {"X-Amz-Signature", signature},
  };
  testing::MapCredentialStore store;
  store.add(std::string(kDocAccessKey), std::string(kDocSecret), "doc-user");
  ManualClock clock(*parse_iso8601("2015-12-29T00:00:00Z"));
  auto grant = verify_post_policy(fields, "sigv4examplebucket", store, clock, "us-east-1");
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user_id, "doc-user");
  EXPECT_EQ(grant->access_key_id, kDocAccessKey);
  EXPECT_FALSE(grant->content_length_range);
}

class PostPolicyConditionsTest : public ::testing::Test {
 protected:
  PostPolicyConditionsTest() : clock_(*parse_iso8601("2025-03-01T12:00:00Z")) {
    store_.add("POSTKEY", "post-secret", "poster");
  }

  // A boto3-style policy (generate_presigned_post) over `conditions` plus the credential
  // ones, and the matching form.
  FormFields form(std::string conditions, FormFields extra,
                  std::string expiration = "2025-03-01T13:00:00Z") {
    const std::string credential = "POSTKEY/20250301/us-east-1/s3/aws4_request";
    const std::string document =
        R"({"expiration": ")" + expiration + R"(", "conditions": [)" + conditions +
        R"(, {"bucket": "photos"}, {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, )"
        R"({"x-amz-credential": ")" +
        credential + R"("}, {"x-amz-date": "20250301T120000Z"}]})";
    const std::string policy = base64_encode(document);
    FormFields fields = std::move(extra);
    fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.emplace_back("x-amz-credential", credential);
    fields.emplace_back("x-amz-date", "20250301T120000Z");
    fields.emplace_back("policy", policy);
    fields.emplace_back("x-amz-signature", sign_policy(policy, "post-secret", "20250301"));
    return fields;
  }

  Result<PostPolicyGrant> verify(const FormFields& fields, std::string_view bucket = "photos") {
    return verify_post_policy(fields, bucket, store_, clock_, "us-east-1");
  }

  void expect_error(const FormFields& fields, ErrorCode code, std::string_view message = {}) {
    auto grant = verify(fields);
    ASSERT_FALSE(grant);
    EXPECT_EQ(grant.error().code, code) << grant.error().message;
    if (!message.empty()) {
      EXPECT_NE(grant.error().message.find(message), std::string::npos) << grant.error().message;
    }
  }

  testing::MapCredentialStore store_;
  ManualClock clock_;
};

const char kConditions[] =
    R"(["starts-with", "$key", "uploads/"], {"acl": "private"},)"
    R"( ["eq", "$success_action_status", "201"], ["content-length-range", 10, 1048576],)"
    R"( ["starts-with", "$Content-Type", ""])";

FormFields good_fields() {
  return {{"key", "uploads/${filename}"},
          {"ACL", "private"},
          {"success_action_status", "201"},
          {"content-type", "image/png"},
          {"x-ignore-tracking", "whatever"}};
}

TEST_F(PostPolicyConditionsTest, ValidForm) {
  auto grant = verify(form(kConditions, good_fields()));
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user_id, "poster");
  EXPECT_EQ(grant->access_key_id, "POSTKEY");
  ASSERT_TRUE(grant->content_length_range);
  EXPECT_EQ(grant->content_length_range->first, 10u);
  EXPECT_EQ(grant->content_length_range->second, 1048576u);
}

TEST_F(PostPolicyConditionsTest, Expired) {
  clock_.set(*parse_iso8601("2025-03-01T13:00:01Z"));
  expect_error(form(kConditions, good_fields()), ErrorCode::kAccessDenied, "Policy expired");
}

TEST_F(PostPolicyConditionsTest, ConditionViolations) {
  FormFields fields = good_fields();
  fields[0].second = "elsewhere/file.png";
  expect_error(form(kConditions, fields), ErrorCode::kAccessDenied,
               R"(Invalid according to Policy: Policy Condition failed: ["starts-with", "$key")");
  fields = good_fields();
  fields[1].second = "public-read";
  expect_error(form(kConditions, fields), ErrorCode::kAccessDenied, R"("$acl", "private")");
  fields = good_fields();
  fields.erase(fields.begin() + 2);
  expect_error(form(kConditions, fields), ErrorCode::kAccessDenied, "success_action_status");
  // "$bucket" is the bucket of the request, not a field.
  auto other_bucket = verify(form(kConditions, good_fields()), "other");
  ASSERT_FALSE(other_bucket);
  EXPECT_NE(other_bucket.error().message.find("bucket"), std::string::npos);
}

TEST_F(PostPolicyConditionsTest, FieldsNotCoveredByThePolicy) {
  FormFields fields = good_fields();
  fields.emplace_back("x-amz-meta-owner", "mallory");
  expect_error(form(kConditions, fields), ErrorCode::kAccessDenied,
               "Extra input fields: x-amz-meta-owner");
  // ... unless a condition names them, even one that accepts anything.
  auto grant = verify(
      form(std::string(kConditions) + R"(, ["starts-with", "$x-amz-meta-owner", ""])", fields));
  EXPECT_TRUE(grant) << grant.error().message;
}

TEST_F(PostPolicyConditionsTest, BadSignatureAndCredentials) {
  FormFields fields = form(kConditions, good_fields());
  for (auto& [name, value] : fields) {
    if (name == "x-amz-signature") value[5] = value[5] == '0' ? '1' : '0';
  }
  expect_error(fields, ErrorCode::kSignatureDoesNotMatch);

  fields = form(kConditions, good_fields());
  for (auto& [name, value] : fields) {
    if (name == "x-amz-credential") value = "NOSUCHKEY/20250301/us-east-1/s3/aws4_request";
  }
  expect_error(fields, ErrorCode::kInvalidAccessKeyId);

  fields = form(kConditions, good_fields());
  for (auto& [name, value] : fields) {
    if (name == "x-amz-credential") value = "POSTKEY/20250301/eu-west-1/s3/aws4_request";
  }
  expect_error(fields, ErrorCode::kAuthorizationQueryParametersError, "expecting 'us-east-1'");

  // A policy edited after signing.
  fields = form(kConditions, good_fields());
  for (auto& [name, value] : fields) {
    if (name == "policy")
      value = base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": []})");
  }
  expect_error(fields, ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(PostPolicyConditionsTest, RequiredFields) {
  for (const std::string_view missing :
       {"policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"}) {
    FormFields fields = form(kConditions, good_fields());
    std::erase_if(fields, [&](const auto& field) { return field.first == missing; });
    expect_error(fields, ErrorCode::kInvalidArgument, missing);
  }
}

TEST_F(PostPolicyConditionsTest, FieldNamesAreCaseInsensitive) {
  FormFields fields = form(kConditions, good_fields());
  for (auto& [name, value] : fields) {
    if (name == "key") name = "KEY";
    if (name == "policy") name = "Policy";
    if (name.starts_with("x-amz-")) name = "X-Amz-" + name.substr(6);
  }
  auto grant = verify(fields);
  EXPECT_TRUE(grant) << grant.error().message;
}

TEST_F(PostPolicyConditionsTest, InvalidPolicyDocuments) {
  auto signed_policy = [&](const std::string& document) {
    FormFields fields = form(kConditions, good_fields());
    const std::string policy = base64_encode(document);
    for (auto& [name, value] : fields) {
      if (name == "policy") value = policy;
      if (name == "x-amz-signature") value = sign_policy(policy, "post-secret", "20250301");
    }
    return fields;
  };
  for (
      const std::string& document : {
          std::string("not json"),
          std::string(R"({"conditions": []})"),
          std::string(R"({"expiration": "tomorrow", "conditions": []})"),
          std::string(R"({"expiration": "2025-03-01T13:00:00Z"})"),
          std::string(
              R"({"expiration": "2025-03-01T13:00:00Z", "conditions": [["in", "$key", "a"]]})"),
          std::string(
              R"({"expiration": "2025-03-01T13:00:00Z", "conditions": [["eq", "key", "a"]]})"),
          std::string(
              R"({"expiration": "2025-03-01T13:00:00Z", "conditions": [["content-length-range", 5, 1]]})"),
          std::string(R"({"expiration": "2025-03-01T13:00:00Z", "conditions": [{"acl": 5}]})"),
      }) {
    SCOPED_TRACE(document);
    expect_error(signed_policy(document), ErrorCode::kInvalidPolicyDocument, "Invalid Policy");
  }
}

}  // namespace
}  // namespace cv::auth
