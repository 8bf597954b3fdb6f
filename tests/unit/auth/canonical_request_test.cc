// The canonical-request building blocks and the signing key cache.
#include "auth/canonical_request.h"

#include <gtest/gtest.h>

#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"

namespace cv::auth {
namespace {

TEST(CanonicalUriTest, ReencodesEachSegmentOnce) {
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/"), "/");
  EXPECT_EQ(canonical_uri("/bucket/a%20b"), "/bucket/a%20b");
  EXPECT_EQ(canonical_uri("/bucket/a b"), "/bucket/a%20b");
  EXPECT_EQ(canonical_uri("/bucket/%7e%7E~"), "/bucket/~~~");
  EXPECT_EQ(canonical_uri("/bucket/a+b=c"), "/bucket/a%2Bb%3Dc");
  EXPECT_EQ(canonical_uri("/bucket/a%2bb"), "/bucket/a%2Bb");
  EXPECT_EQ(canonical_uri("/bucket/%e2%98%83"), "/bucket/%E2%98%83");
  EXPECT_EQ(canonical_uri("/bucket/a%2Fb/c"), "/bucket/a%2Fb/c");
  EXPECT_EQ(canonical_uri("/bucket//./../x/"), "/bucket//./../x/");
  EXPECT_EQ(canonical_uri("/test$file.text"), "/test%24file.text");
  EXPECT_EQ(canonical_uri("/bucket/%zz"), std::nullopt);
  EXPECT_EQ(canonical_uri("/bucket/%2"), std::nullopt);
}

TEST(CanonicalQueryTest, SortsAndEncodes) {
  EXPECT_EQ(canonical_query_from_raw("", "", false), "");
  EXPECT_EQ(canonical_query_from_raw("lifecycle", "", false), "lifecycle=");
  EXPECT_EQ(canonical_query_from_raw("prefix=J&max-keys=2", "", false), "max-keys=2&prefix=J");
  EXPECT_EQ(canonical_query_from_raw("b=2&a=2&a=1&&A=0", "", false), "A=0&a=1&a=2&b=2");
  EXPECT_EQ(canonical_query_from_raw("p=a%2fb%7e+c d", "", false), "p=a%2Fb~%2Bc%20d");
  EXPECT_EQ(canonical_query_from_raw("p=a+b", "", true), "p=a%20b");
  EXPECT_EQ(canonical_query_from_raw("X-Amz-Signature=abc&x=1", "X-Amz-Signature", false), "x=1");
  EXPECT_EQ(canonical_query_from_raw("p=%g0", "", false), std::nullopt);
  EXPECT_EQ(canonical_query({{"prefix", "a b"}, {"delimiter", "/"}, {"versions", ""}}),
            "delimiter=%2F&prefix=a%20b&versions=");
}

TEST(CanonicalHeadersTest, TrimsCollapsesAndJoins) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"host", "example.com"},
      {"x-amz-meta-a", "  one   two  "},
      {"x-amz-meta-b", "x"},
      {"x-amz-meta-a", "\tthree"},
  };
  EXPECT_EQ(canonical_headers(fields, {"host", "x-amz-meta-a", "x-amz-meta-missing"}),
            "host:example.com\nx-amz-meta-a:one two,three\nx-amz-meta-missing:\n");
}

TEST(CredentialScopeTest, Parses) {
  auto credential = parse_credential("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
  ASSERT_TRUE(credential);
  EXPECT_EQ(credential->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(credential->date, "20130524");
  EXPECT_EQ(credential->region, "us-east-1");
  EXPECT_EQ(credential->service, "s3");
  EXPECT_EQ(credential->terminator, "aws4_request");
  EXPECT_EQ(credential->scope(), "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(parse_credential("a/b/20130524/r/s3/aws4_request")->access_key_id, "a/b");
  EXPECT_FALSE(parse_credential("20130524/us-east-1/s3/aws4_request"));
  EXPECT_FALSE(parse_credential("AK/2013052/us-east-1/s3/aws4_request"));
  EXPECT_FALSE(parse_credential("AK/2013O524/us-east-1/s3/aws4_request"));
  EXPECT_FALSE(parse_credential("AK/20130524//s3/aws4_request"));
  EXPECT_FALSE(parse_credential(""));
}

TEST(SigningKeyCacheTest, ReturnsDerivedKeysAcrossEvictions) {
  SigningKeyCache cache(2);
  const auto expected = [](std::string_view secret, std::string_view date,
                           std::string_view region) {
    return derive_signing_key(secret, date, region, "s3");
  };
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(cache.get("s1", "20250301", "us-east-1"), expected("s1", "20250301", "us-east-1"));
    EXPECT_EQ(cache.get("s1", "20250302", "us-east-1"), expected("s1", "20250302", "us-east-1"));
    EXPECT_EQ(cache.get("s2", "20250301", "us-east-1"), expected("s2", "20250301", "us-east-1"));
    EXPECT_EQ(cache.get("s1", "20250301", "eu-west-1"), expected("s1", "20250301", "eu-west-1"));
  }
  // The parts are delimited: ("s", "1...") is not ("s1", "...").
  EXPECT_NE(cache.get("s", "120250301", "us-east-1"), cache.get("s1", "20250301", "us-east-1"));
}

}  // namespace
}  // namespace cv::auth
