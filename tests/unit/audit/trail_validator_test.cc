// `trail validate` over a folder the writer made: intact, then each kind of tampering caught
// with a line that names it.
#include <gtest/gtest.h>

#include "audit/trail_files.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "trail_test_support.h"

namespace cv::audit::testing {
namespace {

class TrailValidatorTest : public TrailTest {
 protected:
  // Three hours: a log file in each of the first two, the third empty; three chained digests.
  void SetUp() override {
    TrailTest::SetUp();
    log_file_at(kTen + 5 * kMinute, {kTen + kMinute, kTen + 2 * kMinute});
    log_file_at(kTen + 65 * kMinute, {kTen + 61 * kMinute});
    auto digested = writer_->digest_once(kTen + 3 * kHour, false);
    ASSERT_TRUE(digested);
    ASSERT_EQ(*digested, 3u);
    logs_ = files_under("CloudTrail");
    digests_ = files_under("CloudTrail-Digest");
    ASSERT_EQ(logs_.size(), 2u);
    ASSERT_EQ(digests_.size(), 3u);
    const auto intact = validate();
    ASSERT_TRUE(intact.intact()) << joined(intact.problems);
    EXPECT_EQ(intact.digests_checked, 3u);
    EXPECT_EQ(intact.log_files_checked, 2u);
  }

  void overwrite(const std::string& key, const std::string& bytes) {
    ASSERT_TRUE(write_file_durably(folder(), key, bytes));
  }

  // Whether some problem line holds both `what` and `where`.
  static bool reports(const TrailValidation& report, const std::string& what,
                      const std::string& where) {
    for (const auto& line : report.problems) {
      if (line.find(what) != std::string::npos && line.find(where) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> logs_;
  std::vector<std::string> digests_;
};

TEST_F(TrailValidatorTest, AChangedLogFileIsCaught) {
  auto document = read_gz_json(logs_[0]);
  document["Records"].as_array()[0].as_object()["eventName"] = "DeleteObject";
  overwrite(logs_[0], gzip_compress(boost::json::serialize(document)));
  const auto report = validate();
  EXPECT_FALSE(report.intact());
  EXPECT_TRUE(reports(report, "changed", logs_[0])) << joined(report.problems);
}

TEST_F(TrailValidatorTest, ADeletedLogFileIsCaught) {
  std::filesystem::remove(folder() / logs_[1]);
  const auto report = validate();
  EXPECT_TRUE(reports(report, "missing (deleted)", logs_[1])) << joined(report.problems);
}

TEST_F(TrailValidatorTest, AnInsertedLogFileIsCaught) {
  const std::string forged =
      log_file_key(kAccount, "us-east-1", kTen + 30 * kMinute, "forgedforgedforg");
  overwrite(forged, gzip_compress(R"({"Records":[]})"));
  const auto report = validate();
  EXPECT_TRUE(reports(report, "listed by no digest (inserted)", forged)) << joined(report.problems);
}

TEST_F(TrailValidatorTest, AChangedDigestFailsItsSignatureAndTheNextDigestsHash) {
  auto document = read_gz_json(digests_[1]);
  document["logFiles"] = boost::json::array();  // hide the hour's log file
  overwrite(digests_[1], gzip_compress(boost::json::serialize(document)));
  const auto report = validate();
  EXPECT_TRUE(reports(report, "signature does not verify", digests_[1])) << joined(report.problems);
  EXPECT_TRUE(reports(report, "changed (its SHA-256 differs)", digests_[2]))
      << joined(report.problems);
  EXPECT_TRUE(reports(report, "listed by no digest (inserted)", logs_[1]))
      << joined(report.problems);
}

TEST_F(TrailValidatorTest, ADeletedDigestIsCaughtInTheMiddleAndAtTheEnd) {
  std::filesystem::remove(folder() / digests_[1]);
  std::filesystem::remove(folder() / digests_[2]);
  const auto report = validate();
  EXPECT_TRUE(reports(report, "missing (deleted)", digests_[1])) << joined(report.problems);
  EXPECT_TRUE(reports(report, "missing (deleted)", digests_[2])) << joined(report.problems);
}

TEST_F(TrailValidatorTest, ADigestSignedByAnotherKeyOrOutsideTheChainIsCaught) {
  // Someone with another key rebuilds the trail's last hour: signature and chain both fail.
  auto other = SigningKey::generate();
  ASSERT_TRUE(other);
  auto document = read_gz_json(digests_[2]);
  document["previousDigestSignature"] = nullptr;
  document["previousDigestS3Object"] = nullptr;
  const std::string plain = boost::json::serialize(document);
  overwrite(digests_[2], gzip_compress(plain));
  const std::string message = digest_signing_string("2026-12-06T13:00:00Z", "/" + digests_[2],
                                                    hex_encode(sha256(plain)), "");
  overwrite(digests_[2] + ".sig", hex_encode(other->sign(message)));
  const auto report = validate();
  EXPECT_TRUE(reports(report, "signature does not verify", digests_[2])) << joined(report.problems);
  EXPECT_TRUE(reports(report, "not in the chain", digests_[1])) << joined(report.problems);
}

TEST_F(TrailValidatorTest, ABrokenChainIsCaught) {
  // The middle digest swapped for the first one's bytes and signature: the third digest no
  // longer finds its previous digest's hash and signature, and the times do not meet.
  overwrite(digests_[1], *read_whole_file(folder() / digests_[0]));
  overwrite(digests_[1] + ".sig", *read_whole_file(folder() / (digests_[0] + ".sig")));
  const auto report = validate();
  EXPECT_TRUE(reports(report, "changed (its SHA-256 differs)", digests_[2]))
      << joined(report.problems);
  EXPECT_TRUE(reports(report, "chain broken", digests_[2])) << joined(report.problems);
}

TEST_F(TrailValidatorTest, AMissingSignatureOrAMovedDigestIsCaught) {
  std::filesystem::remove(folder() / (digests_[0] + ".sig"));
  auto report = validate();
  EXPECT_TRUE(reports(report, "signature file", digests_[0])) << joined(report.problems);
  // The key is part of what is signed: the same bytes under another name do not verify.
  ASSERT_TRUE(writer_->digest_once(kTen + 4 * kHour, false));
  const std::string last = files_under("CloudTrail-Digest").back();
  const std::string moved = digest_file_key(kAccount, "us-east-1", "cloudvault", kTen + 5 * kHour);
  overwrite(moved, *read_whole_file(folder() / last));
  overwrite(moved + ".sig", *read_whole_file(folder() / (last + ".sig")));
  report = validate();
  EXPECT_TRUE(reports(report, "signature does not verify", moved)) << joined(report.problems);
}

TEST_F(TrailValidatorTest, TheRangeLimitsWhatIsChecked) {
  std::filesystem::remove(folder() / logs_[0]);  // in the first hour
  EXPECT_TRUE(validate(kTen + kHour, 0).intact()) << joined(validate(kTen + kHour, 0).problems);
  EXPECT_FALSE(validate(kTen, kTen + kHour).intact());
}

}  // namespace
}  // namespace cv::audit::testing
