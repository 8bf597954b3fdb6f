// The digest document: CloudTrail's fields, chained to the previous digest.
#include <gtest/gtest.h>

#include "audit/trail_digest.h"

namespace cv::audit {
namespace {

constexpr int64_t kHour = 3'600'000'000'000;
constexpr int64_t kNoonUtc = 1'780'747'200'000'000'000;  // 2026-06-06T12:00:00Z

TEST(TrailDigestTest, ListsTheHoursLogFilesAndChainsToThePreviousDigest) {
  DigestFacts facts;
  facts.account_id = "111122223333";
  facts.start_ns = kNoonUtc;
  facts.end_ns = kNoonUtc + kHour;
  facts.bucket = "trail";
  facts.key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/06/06/d.json.gz";
  facts.public_key_fingerprint = "ab12";
  facts.previous = PreviousDigest{"trail", "AWSLogs/prev.json.gz", "cafe", "5151"};
  facts.log_files = {{"trail", "AWSLogs/a.json.gz", "aaaa", kNoonUtc + 60'000'000'000,
                      kNoonUtc + 120'000'000'000},
                     {"trail", "AWSLogs/b.json.gz", "bbbb", kNoonUtc + 30'000'000'000,
                      kNoonUtc + 3'000'000'000'000}};
  const boost::json::object digest = digest_document(facts);
  EXPECT_EQ(digest.at("awsAccountId"), "111122223333");
  EXPECT_EQ(digest.at("digestStartTime"), "2026-06-06T12:00:00Z");
  EXPECT_EQ(digest.at("digestEndTime"), "2026-06-06T13:00:00Z");
  EXPECT_EQ(digest.at("digestS3Bucket"), "trail");
  EXPECT_EQ(digest.at("digestSignatureAlgorithm"), "Ed25519");
  EXPECT_EQ(digest.at("oldestEventTime"), "2026-06-06T12:00:30Z");
  EXPECT_EQ(digest.at("newestEventTime"), "2026-06-06T12:50:00Z");
  EXPECT_EQ(digest.at("previousDigestS3Object"), "AWSLogs/prev.json.gz");
  EXPECT_EQ(digest.at("previousDigestHashValue"), "cafe");
  EXPECT_EQ(digest.at("previousDigestHashAlgorithm"), "SHA-256");
  EXPECT_EQ(digest.at("previousDigestSignature"), "5151");
  const boost::json::array& files = digest.at("logFiles").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].at("s3Object"), "AWSLogs/b.json.gz");
  EXPECT_EQ(files[1].at("hashValue"), "bbbb");
  EXPECT_EQ(files[1].at("hashAlgorithm"), "SHA-256");
}

TEST(TrailDigestTest, AnHourWithoutActivityAndWithoutPredecessorHasNulls) {
  DigestFacts facts;
  facts.account_id = "111122223333";
  facts.start_ns = kNoonUtc;
  facts.end_ns = kNoonUtc + kHour;
  const boost::json::object digest = digest_document(facts);
  EXPECT_TRUE(digest.at("logFiles").as_array().empty());
  EXPECT_TRUE(digest.at("oldestEventTime").is_null());
  EXPECT_TRUE(digest.at("newestEventTime").is_null());
  EXPECT_TRUE(digest.at("previousDigestSignature").is_null());
  EXPECT_TRUE(digest.at("previousDigestHashAlgorithm").is_null());
}

}  // namespace
}  // namespace cv::audit
