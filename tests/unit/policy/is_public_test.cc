// is_public: S3's "The meaning of public" for bucket policies
// (AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace cv::policy::testing {
namespace {

bool public_policy(const std::string& statements) {
  const auto policy = must_parse(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}",
                                 PolicyKind::kResource);
  return policy && is_public(*policy);
}

std::string allow_all(const std::string& principal, const std::string& condition = "") {
  std::string s = R"({"Effect":"Allow","Principal":)" + principal +
                  R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*")";
  if (!condition.empty()) s += R"(,"Condition":{)" + condition + "}";
  return s + "}";
}

TEST(IsPublic, WildcardPrincipalIsPublic) {
  EXPECT_TRUE(public_policy(allow_all(R"("*")")));
  EXPECT_TRUE(public_policy(allow_all(R"({"AWS":"*"})")));
  EXPECT_TRUE(public_policy(allow_all(R"({"AWS":["123456789012","*"]})")));
}

TEST(IsPublic, FixedPrincipalIsNot) {
  EXPECT_FALSE(public_policy(allow_all(R"({"AWS":"arn:aws:iam::123456789012:root"})")));
  EXPECT_FALSE(public_policy(allow_all(R"({"AWS":"arn:aws:iam::123456789012:user/a"})")));
  EXPECT_FALSE(public_policy(allow_all(R"({"CanonicalUser":"abc"})")));
  EXPECT_FALSE(public_policy(allow_all(R"({"Service":"cloudtrail.amazonaws.com"})")));
}

TEST(IsPublic, DenyIsNeverPublic) {
  EXPECT_FALSE(public_policy(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"})"));
}

TEST(IsPublic, SourceIpCidrFixesIt) {
  EXPECT_FALSE(
      public_policy(allow_all(R"("*")", R"("IpAddress":{"aws:SourceIp":"192.0.2.0/24"})")));
  EXPECT_FALSE(public_policy(allow_all(R"("*")", R"("IpAddress":{"aws:SourceIp":"10.0.0.0/8"})")));
  EXPECT_FALSE(
      public_policy(allow_all(R"("*")", R"("IpAddress":{"aws:SourceIp":"2001:db8::/32"})")));
  // Wider than /8 (or all addresses), or a negated check: still public.
  EXPECT_TRUE(public_policy(allow_all(R"("*")", R"("IpAddress":{"aws:SourceIp":"0.0.0.0/0"})")));
  EXPECT_TRUE(public_policy(
      allow_all(R"("*")", R"("IpAddress":{"aws:SourceIp":["192.0.2.0/24","0.0.0.0/1"]})")));
  EXPECT_TRUE(
      public_policy(allow_all(R"("*")", R"("NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"})")));
}

TEST(IsPublic, FixedSourceValuesFixIt) {
  for (const char* key : {"aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceOwner",
                          "aws:SourceAccount", "aws:PrincipalAccount", "aws:PrincipalOrgID",
                          "s3:x-amz-server-side-encryption-aws-kms-key-id"}) {
    EXPECT_FALSE(public_policy(
        allow_all(R"("*")", std::string(R"("StringEquals":{")") + key + R"(":"x-123"})")))
        << key;
  }
  EXPECT_FALSE(public_policy(allow_all(
      R"("*")",
      R"("ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:123456789012:trail/t"})")));
}

TEST(IsPublic, WildcardValuesDoNotFixIt) {
  EXPECT_TRUE(public_policy(allow_all(R"("*")", R"("StringLike":{"aws:SourceAccount":"*"})")));
  EXPECT_TRUE(public_policy(allow_all(R"("*")", R"("StringLike":{"aws:userid":"AROAROLEID:*"})")));
  EXPECT_FALSE(public_policy(allow_all(R"("*")", R"("StringEquals":{"aws:userid":"AIDAUSERID"})")));
  EXPECT_TRUE(public_policy(
      allow_all(R"("*")", R"("StringEqualsIfExists":{"aws:SourceAccount":"123456789012"})")));
  EXPECT_TRUE(public_policy(
      allow_all(R"("*")", R"("StringNotEquals":{"aws:SourceAccount":"123456789012"})")));
}

TEST(IsPublic, OtherConditionsDoNotFixIt) {
  EXPECT_TRUE(public_policy(allow_all(R"("*")", R"("Bool":{"aws:SecureTransport":"true"})")));
  EXPECT_TRUE(public_policy(allow_all(R"("*")", R"("StringEquals":{"s3:prefix":"public/"})")));
}

TEST(IsPublic, AnyPublicStatementMakesThePolicyPublic) {
  EXPECT_TRUE(public_policy(allow_all(R"({"AWS":"123456789012"})") + "," + allow_all(R"("*")")));
  EXPECT_TRUE(public_policy(
      R"({"Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"})"));
}

}  // namespace
}  // namespace cv::policy::testing
