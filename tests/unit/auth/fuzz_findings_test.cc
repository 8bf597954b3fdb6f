// Regression tests for what fuzz/sigv4_fuzz found (fuzz/README.md): request dates far from
// now (the time arithmetic overflowed) and query parameters with an empty name (left out of
// the canonical query, so a signed request carrying one was refused and one could be added
// to a signed request without breaking its signature).
#include <gtest/gtest.h>

#include "auth/canonical_request.h"
#include "auth/sigv4.h"
#include "auth_test_support.h"
#include "core/encoding.h"

namespace cv::auth {
namespace {

using testing::make_request;
using testing::signing_request;

constexpr std::string_view kHost = "127.0.0.1:9000";
constexpr std::string_view kAccessKey = "CVTESTKEY0000000001";
constexpr std::string_view kSecret = "fuzz-findings-secret";

class FuzzFindingsTest : public ::testing::Test {
 protected:
  FuzzFindingsTest()
      : now_(*parse_amz_date("20250301T120000Z")),
        clock_(now_),
        verifier_(store_, clock_, VerifierOptions{}),
        creds_{std::string(kAccessKey), std::string(kSecret), "us-east-1", "s3"} {
    store_.add(std::string(kAccessKey), std::string(kSecret), "user-1");
  }

  Request signed_at(const SigningRequest& request, TimePoint when, std::string query) {
    auto headers = sign_request(request, creds_, when);
    return make_request(request.method, request.path + (query.empty() ? "" : "?" + query), headers);
  }

  Error error_of(const Request& request) {
    auto identity = verifier_.verify(request);
    EXPECT_FALSE(identity) << "accepted " << request.target;
    return identity ? Error{} : identity.error();
  }

  TimePoint now_;
  testing::MapCredentialStore store_;
  ManualClock clock_;
  SigV4Verifier verifier_;
  SigningCredentials creds_;
};

// 1700 is 325 years before the clock: more than a signed 64-bit count of nanoseconds holds.
TEST_F(FuzzFindingsTest, PresignedUrlFromCenturiesAgoHasExpired) {
  const TimePoint long_ago = *parse_amz_date("17000101T000000Z");
  const std::string query = presign_query(signing_request("GET", std::string(kHost), "/b/k"),
                                          creds_, long_ago, std::chrono::seconds(86400));
  const Request request = make_request("GET", "/b/k?" + query, {{"Host", std::string(kHost)}});
  const Error error = error_of(request);
  EXPECT_EQ(error.code, ErrorCode::kAccessDenied);
  EXPECT_EQ(error.message, "Request has expired");
}

TEST_F(FuzzFindingsTest, HeaderSignedRequestFromCenturiesAgoIsTooSkewed) {
  const TimePoint long_ago = *parse_amz_date("17000101T000000Z");
  const Request request =
      signed_at(signing_request("GET", std::string(kHost), "/b/k"), long_ago, "");
  EXPECT_EQ(error_of(request).code, ErrorCode::kRequestTimeTooSkewed);
}

TEST_F(FuzzFindingsTest, DatesBeyondTheClockRangeAreNotDates) {
  // Year 9999 used to overflow inside the date parser; now it is no usable date.
  Request request = signed_at(signing_request("GET", std::string(kHost), "/b/k"), now_, "");
  request.headers.set("x-amz-date", "99990101T000000Z");
  const Error error = error_of(request);
  EXPECT_EQ(error.code, ErrorCode::kAccessDenied);
  EXPECT_NE(error.message.find("valid Date"), std::string::npos) << error.message;
}

TEST(FuzzFindingsCanonicalQueryTest, EmptyParameterNamesAreSigned) {
  EXPECT_EQ(canonical_query_from_raw("=v&a=1", "", false), "=v&a=1");
  EXPECT_EQ(canonical_query_from_raw("=", "", false), "=");
  EXPECT_EQ(canonical_query_from_raw("=v&X-Amz-Signature=s", "X-Amz-Signature", false), "=v");
}

TEST_F(FuzzFindingsTest, RequestWithAnEmptyParameterNameVerifies) {
  const SigningRequest request =
      signing_request("GET", std::string(kHost), "/b/k", {{"", "value"}, {"versionId", "1"}});
  EXPECT_TRUE(verifier_.verify(signed_at(request, now_, "=value&versionId=1")));
}

TEST_F(FuzzFindingsTest, AddingAnEmptyNamedParameterBreaksTheSignature) {
  const SigningRequest request =
      signing_request("GET", std::string(kHost), "/b/k", {{"versionId", "1"}});
  ASSERT_TRUE(verifier_.verify(signed_at(request, now_, "versionId=1")));
  EXPECT_EQ(error_of(signed_at(request, now_, "versionId=1&=added")).code,
            ErrorCode::kSignatureDoesNotMatch);
}

}  // namespace
}  // namespace cv::auth
