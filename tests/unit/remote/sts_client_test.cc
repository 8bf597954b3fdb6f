// STS AssumeRole: the SigV4 signer checked against AWS's documented example (the IAM
// ListUsers request of the SigV4 guide: its signing key and signature), the AssumeRole POST
// signed for service "sts" (checked by recomputing its signature from the documented
// algorithm's pieces), and the AssumeRoleResponse document.
#include "remote/sts_client.h"

#include <gtest/gtest.h>

#include "auth/canonical_request.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::remote {
namespace {

constexpr std::string_view kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string header(const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(StsSigning, TheSignerMatchesAwsDocumentedSigV4Example) {
  // docs.aws.amazon.com/general/latest/gr/sigv4-calculate-signature.html: the example
  // request GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 of
  // 20150830T123600Z, credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY.
  const std::string key = auth::derive_signing_key(kExampleSecret, "20150830", "us-east-1", "iam");
  EXPECT_EQ(hex_encode(key), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  const std::string canonical = auth::canonical_request(
      "GET", "/", auth::canonical_query({{"Action", "ListUsers"}, {"Version", "2010-05-08"}}),
      "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n",
      "content-type;host;x-amz-date", hex_encode(sha256("")));
  EXPECT_EQ(hex_encode(sha256(canonical)),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const std::string to_sign = auth::string_to_sign(
      "20150830T123600Z", auth::credential_scope("20150830", "us-east-1", "iam"), canonical);
  EXPECT_EQ(auth::signature_hex(key, to_sign),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(StsSigning, AssumeRoleIsAFormPostSignedForSts) {
  AssumeRoleRequest request{.sts_url = "https://sts.us-east-1.amazonaws.com",
                            .region = "us-east-1",
                            .access_key = "AKIDEXAMPLE",
                            .secret_key = std::string(kExampleSecret),
                            .role_arn = "arn:aws:iam::123456789012:role/TrailReader",
                            .session_name = "cloudvault-activity"};
  const std::string body = assume_role_form(request);
  EXPECT_EQ(body,
            "Action=AssumeRole&DurationSeconds=3600&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3A"
            "role%2FTrailReader&RoleSessionName=cloudvault-activity&Version=2011-06-15");
  const TimePoint now = *parse_amz_date("20150830T123600Z");
  auto headers = sign_assume_role(request, "sts.us-east-1.amazonaws.com", body, now);
  EXPECT_EQ(header(headers, "x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(header(headers, "x-amz-content-sha256"), hex_encode(sha256(body)));
  const std::string authorization = header(headers, "authorization");
  const std::string prefix =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=";
  ASSERT_TRUE(authorization.starts_with(prefix)) << authorization;
  // The signature, recomputed from the documented algorithm's pieces.
  const std::string canonical = auth::canonical_request(
      "POST", "/", "",
      "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
      "host:sts.us-east-1.amazonaws.com\nx-amz-content-sha256:" +
          hex_encode(sha256(body)) + "\nx-amz-date:20150830T123600Z\n",
      "content-type;host;x-amz-content-sha256;x-amz-date", hex_encode(sha256(body)));
  const std::string expected = auth::signature_hex(
      auth::derive_signing_key(kExampleSecret, "20150830", "us-east-1", "sts"),
      auth::string_to_sign("20150830T123600Z",
                           auth::credential_scope("20150830", "us-east-1", "sts"), canonical));
  EXPECT_EQ(authorization.substr(prefix.size()), expected);
  EXPECT_EQ(header(headers, "content-type"), "application/x-www-form-urlencoded; charset=utf-8");
}

TEST(StsSigning, ParsesAssumeRoleResponse) {
  // The shape of the AssumeRole API reference's example response.
  const std::string response =
      R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";
  auto credentials = parse_assume_role_response(response);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->access_key_id, "ASIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(credentials->secret_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(credentials->session_token, "AQoDYXdzEPT//////////wEXAMPLEtc764");
  EXPECT_EQ(credentials->expiration, "2019-11-09T13:34:41Z");
  EXPECT_FALSE(parse_assume_role_response("<AssumeRoleResponse/>"));
  EXPECT_FALSE(parse_assume_role_response("<Error><Code>AccessDenied</Code></Error>"));
}

}  // namespace
}  // namespace cv::remote
