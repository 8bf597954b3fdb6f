// parse_policy's write-time validation: each malformed form is refused with
// MalformedPolicy and a reason that names the problem (AWS's wording where it is known).
#include <gtest/gtest.h>

#include <string>

#include "policy_test_support.h"

namespace cv::policy::testing {
namespace {

struct Bad {
  std::string name;
  PolicyKind kind;
  std::string json;
  std::string reason;  // a substring of the error message
};

void PrintTo(const Bad& bad, std::ostream* os) { *os << bad.name; }

const std::string kOk = R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})";

std::vector<Bad> bad_documents() {
  const auto id = PolicyKind::kIdentity;
  const auto bucket = PolicyKind::kResource;
  const auto trust = PolicyKind::kTrust;
  const auto session = PolicyKind::kSession;
  const std::string v = R"({"Version":"2012-10-17","Statement":)";
  return {
      {"not json", id, "{nope", "Syntax errors in policy."},
      {"bucket not json", bucket, "not json",
       "Policies must be valid JSON and the first byte must be '{'"},
      {"array document", id, "[]", "Syntax errors"},
      {"trailing garbage", id, v + kOk + "} x", "Syntax errors"},
      {"duplicate key", id,
       R"({"Version":"2012-10-17","Version":"2012-10-17","Statement":)" + kOk + "}",
       "Duplicate key in policy: Version"},
      {"duplicate key in statement", id,
       v + R"({"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}})",
       "Duplicate key in policy: Effect"},
      {"bad version", id, R"({"Version":"2012-10-18","Statement":)" + kOk + "}", "Version"},
      {"version not a string", id, R"({"Version":2012,"Statement":)" + kOk + "}", "Version"},
      {"unknown top-level field", id, v + kOk + R"(,"Extra":1})", "Unknown field Extra"},
      {"no statement", id, R"({"Version":"2012-10-17"})", "Missing required field Statement"},
      {"empty statement array", id, v + "[]}", "Missing required field Statement"},
      {"statement not an object", id, v + R"(["x"]})", "Invalid Statement"},
      {"unknown statement field", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}})", "Unknown field Foo"},
      {"missing effect", id, v + R"({"Action":"s3:*","Resource":"*"}})",
       "Missing required field Effect"},
      {"bad effect", id, v + R"({"Effect":"allow","Action":"s3:*","Resource":"*"}})",
       "Invalid effect: allow"},
      {"missing action", id, v + R"({"Effect":"Allow","Resource":"*"}})",
       "Missing required field Action"},
      {"action and notaction", id,
       v + R"({"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}})",
       "both Action and NotAction"},
      {"action without vendor", id,
       v + R"({"Effect":"Allow","Action":"GetObject","Resource":"*"}})",
       "must be prefaced by a vendor"},
      {"bucket action without vendor", bucket,
       v + R"({"Effect":"Allow","Principal":"*","Action":"GetObject","Resource":"*"}})",
       "Policy has invalid action"},
      {"action empty list", id, v + R"({"Effect":"Allow","Action":[],"Resource":"*"}})",
       "Invalid Action"},
      {"action not strings", id, v + R"({"Effect":"Allow","Action":[1],"Resource":"*"}})",
       "Invalid Action"},
      {"missing resource identity", id, v + R"({"Effect":"Allow","Action":"s3:*"}})",
       "Missing required field Resource"},
      {"missing resource bucket", bucket,
       v + R"({"Effect":"Allow","Principal":"*","Action":"s3:*"}})",
       "Missing required field Resource"},
      {"resource and notresource", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}})",
       "both Resource and NotResource"},
      {"resource not an arn", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"bucket/*"}})", "must be in ARN format"},
      {"bucket resource not an arn", bucket,
       v + R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"bucket/*"}})",
       "Policy has invalid resource"},
      {"unterminated variable", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username"}})",
       "Invalid policy variable"},
      {"identity with principal", id,
       v + R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}})",
       "Policy document should not specify a principal."},
      {"session with principal", session,
       v + R"({"Effect":"Allow","NotPrincipal":"*","Action":"s3:*","Resource":"*"}})",
       "should not specify a principal"},
      {"bucket without principal", bucket, v + kOk + "}", "Missing required field Principal"},
      {"trust without principal", trust, v + R"({"Effect":"Allow","Action":"sts:AssumeRole"}})",
       "Missing required field Principal"},
      {"trust with resource", trust,
       v + R"({"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Resource":"*"}})",
       "Has prohibited field Resource"},
      {"principal bad string", bucket,
       v + R"({"Effect":"Allow","Principal":"alice","Action":"s3:*","Resource":"*"}})",
       "Invalid principal in policy"},
      {"principal bad arn", bucket,
       v + R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:group/g"},"Action":"s3:*","Resource":"*"}})",
       "Invalid principal in policy"},
      {"principal wildcard arn", bucket,
       v + R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/*"},"Action":"s3:*","Resource":"*"}})",
       "Invalid principal in policy"},
      {"principal unknown type", bucket,
       v + R"({"Effect":"Allow","Principal":{"Person":"x"},"Action":"s3:*","Resource":"*"}})",
       "unknown principal type"},
      {"principal empty object", bucket,
       v + R"({"Effect":"Allow","Principal":{},"Action":"s3:*","Resource":"*"}})",
       "Invalid principal in policy"},
      {"sid not alphanumeric", id,
       v + R"({"Sid":"a-b","Effect":"Allow","Action":"s3:*","Resource":"*"}})",
       "must be alpha-numeric"},
      {"sid duplicate", id,
       v + R"([{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]})",
       "must be unique"},
      {"unknown operator", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}})",
       "Invalid Condition operator: StringEqualz"},
      {"NullIfExists", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"s3:prefix":"true"}}}})",
       "Invalid Condition operator: NullIfExists"},
      {"bad set qualifier", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"s3:prefix":"a"}}}})",
       "Invalid Condition operator"},
      {"condition key without vendor", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}})",
       "invalid condition key: username"},
      {"condition not an object", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}})",
       "Invalid Condition"},
      {"condition operator with no keys", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}})",
       "needs an object of condition keys"},
      {"condition empty values", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":[]}}}})",
       "no value"},
      {"condition null value", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":null}}}})",
       "Invalid Condition value"},
      {"bad number", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}})",
       "Invalid number"},
      {"bad date", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}}})",
       "Invalid date"},
      {"bad cidr", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/24"}}}})",
       "Invalid IP address"},
      {"bad cidr prefix", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}})",
       "Invalid IP address"},
      {"bad bool", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}})",
       "Invalid Bool value"},
      {"bad null", id,
       v + R"({"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"s3:prefix":"maybe"}}}})",
       "Invalid Null value"},
  };
}

class ParseRefuses : public ::testing::TestWithParam<Bad> {};

TEST_P(ParseRefuses, WithReason) {
  const Bad& bad = GetParam();
  auto parsed = parse_policy(bad.json, bad.kind);
  ASSERT_FALSE(parsed) << bad.json;
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedPolicy);
  EXPECT_NE(parsed.error().message.find(bad.reason), std::string::npos)
      << "message: " << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Malformed, ParseRefuses, ::testing::ValuesIn(bad_documents()),
                         [](const auto& info) {
                           std::string name;
                           for (char c : info.param.name) name += std::isalnum(c) ? c : '_';
                           return name;
                         });

TEST(ParsePolicy, MalformedPolicyIsA400) {
  EXPECT_EQ(error_code_name(ErrorCode::kMalformedPolicy), "MalformedPolicy");
  EXPECT_EQ(error_http_status(ErrorCode::kMalformedPolicy), 400);
}

TEST(ParsePolicy, SizeLimit) {
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})";
  EXPECT_TRUE(parse_policy(doc, PolicyKind::kIdentity, doc.size()));
  auto parsed = parse_policy(doc, PolicyKind::kIdentity, doc.size() - 1);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedPolicy);
  EXPECT_NE(parsed.error().message.find("Cannot exceed quota for PolicySize: "), std::string::npos);
}

TEST(ParsePolicy, KeepsOriginalAndCanonicalText) {
  const std::string doc =
      "{ \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", "
      "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"} }";
  auto parsed = parse_policy(doc, PolicyKind::kIdentity);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(original_text(*parsed), doc);
  EXPECT_EQ(
      canonical_text(*parsed),
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})");
  EXPECT_EQ(parsed->version(), "2012-10-17");
  ASSERT_EQ(parsed->statements().size(), 1u);
}

TEST(ParsePolicy, AcceptsWhatAwsAccepts) {
  // A bucket policy Sid may hold spaces (S3's own examples do); Version may be absent;
  // Statement may be one object; Principal lists; numbers and booleans as condition values.
  const std::string bucket = R"({"Id":"P1","Statement":[{"Sid":"Allow get requests from a site",
    "Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:root",
    "arn:aws:iam::123456789012:user/a","arn:aws:iam::123456789012:role/r",
    "arn:aws:sts::123456789012:assumed-role/r/s"],"CanonicalUser":"abc","Service":"s3.amazonaws.com"},
    "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"],
    "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},
    "ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*"]}}}]})";
  auto parsed = parse_policy(bucket, PolicyKind::kResource);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->version(), "");
  EXPECT_EQ(parsed->id(), "P1");
  const auto& principals = parsed->statements()[0].principals;
  EXPECT_EQ(principals.accounts.size(), 2u);
  EXPECT_EQ(principals.arns.size(), 3u);
  EXPECT_EQ(parsed->statements()[0].conditions.size(), 3u);

  const std::string trust = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole",
    "Condition":{"StringEquals":{"sts:ExternalId":"x"}}}})";
  EXPECT_TRUE(parse_policy(trust, PolicyKind::kTrust));
}

}  // namespace
}  // namespace cv::policy::testing
