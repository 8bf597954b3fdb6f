// reads_request_keys: a policy reads the request's condition keys only through a Condition or a
// Resource with a policy variable; and where it says no, deciding without the keys gives the
// same answer as with them.
#include "policy/key_use.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "policy/evaluator.h"
#include "policy/global_keys.h"
#include "policy/policy.h"
#include "policy_test_support.h"

namespace cv::policy {
namespace {

std::shared_ptr<const Policy> identity_policy(const std::string& statements) {
  auto parsed = parse_policy(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}",
                             PolicyKind::kIdentity, kManagedPolicyMaxBytes);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return std::make_shared<const Policy>(std::move(*parsed));
}

TEST(KeyUseTest, PlainStatementsReadNoKeys) {
  EXPECT_FALSE(reads_request_keys(*identity_policy(
      R"({"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/small/*"},)"
      R"({"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::b"})")));
}

TEST(KeyUseTest, AConditionReadsKeys) {
  EXPECT_TRUE(reads_request_keys(*identity_policy(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},)"
      R"({"Effect":"Deny","Action":"s3:*","Resource":"*",)"
      R"("Condition":{"Bool":{"aws:SecureTransport":"false"}}})")));
}

TEST(KeyUseTest, APolicyVariableInAResourceReadsKeys) {
  EXPECT_TRUE(reads_request_keys(*identity_policy(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"})")));
}

TEST(KeyUseTest, DecidingWithoutKeysMatchesDecidingWithThemWhenNoneAreRead) {
  const auto policy = identity_policy(
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/small/*"},)"
      R"({"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/small/secret"})");
  ASSERT_FALSE(reads_request_keys(*policy));
  PolicySet policies;
  policies.identity.push_back(NamedPolicy{"inline", policy});
  const Principal alice = testing::principal_of(testing::Caller::kAlice);
  for (const std::string resource :
       {"arn:aws:s3:::b/small/a", "arn:aws:s3:::b/small/secret", "arn:aws:s3:::b/other"}) {
    RequestContext with{"s3:GetObject", resource, alice,
                        global_condition_keys(alice, std::chrono::system_clock::now())};
    RequestContext without{"s3:GetObject", resource, alice, {}};
    const Decision a = decide(policies, with);
    const Decision b = decide(policies, without);
    EXPECT_EQ(a.allowed, b.allowed) << resource;
    EXPECT_EQ(a.effect, b.effect) << resource;
  }
}

}  // namespace
}  // namespace cv::policy
