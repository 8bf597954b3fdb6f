// Ingester over the CloudTrail samples (tests/fixtures/cloudtrail/trail) into a real SQLite
// metadata store: what it reports, what it stores, checkpoints, and the exact scores.
#include "activity/ingester.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "activity/daily_scores.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::activity {
namespace {
namespace fs = std::filesystem;

class IngesterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cv-activity-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto rules = ScoringRules::load(CV_TEST_ACTIVITY_RULES);
    ASSERT_TRUE(rules) << rules.error().message;
    rules_ = std::make_unique<ScoringRules>(std::move(*rules));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  IngestReport ingest(const fs::path& folder) {
    Ingester ingester(*store_, *rules_, clock_, /*batch_size=*/4);
    FolderSource source(folder);
    auto report = ingester.ingest(source);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : IngestReport{};
  }

  std::vector<DayScore> days(std::vector<std::string> principals) {
    auto sums = store_->activity_days(principals, 20000, 20005);
    EXPECT_TRUE(sums) << sums.error().message;
    return daily_scores(*sums, 20000, 20005, rules_->daily_cap_milli(),
                        rules_->service_daily_cap_milli());
  }

  fs::path dir_;
  std::unique_ptr<meta::MetaStore> store_;
  std::unique_ptr<ScoringRules> rules_;
  SystemClock clock_;
};

TEST_F(IngesterTest, IngestsTheSamplesReportingBrokenFilesAndRecords) {
  IngestReport report = ingest(CV_TEST_CLOUDTRAIL_FIXTURES);
  EXPECT_EQ(report.files_read, 6u);
  EXPECT_EQ(report.files_skipped, 0u);
  // 9 + 2 + 35 + 2 (and a duplicate) + 1 before the bad JSON + 1 before the gzip cut.
  EXPECT_EQ(report.records_new, 50u);
  EXPECT_EQ(report.records_duplicate, 1u);
  EXPECT_EQ(report.malformed_files, 2u);
  EXPECT_EQ(report.malformed_records, 1u);
  ASSERT_EQ(report.problems.size(), 3u);
  EXPECT_EQ(report.problems[0].file,
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/10/05/"
            "111122223333_CloudTrail_us-east-1_20241005T0900Z_e5f6a7b8.json");
  EXPECT_EQ(report.problems[0].reason, "record 3: record without eventTime");
  EXPECT_EQ(report.problems[1].file, "broken/bad.json");
  EXPECT_NE(report.problems[1].reason.find("invalid JSON at byte"), std::string::npos);
  EXPECT_EQ(report.problems[2].file, "broken/truncated.json.gz");
  EXPECT_EQ(report.problems[2].reason, "truncated gzip data");

  // Exact scores of alice's days (see make_fixtures.py).
  auto alice = days({"AKIAALICEEXAMPLE"});
  std::vector<int64_t> scores, events;
  std::vector<int> levels;
  for (const DayScore& day : alice) {
    scores.push_back(day.score_milli);
    events.push_back(day.events);
    levels.push_back(day.level);
  }
  EXPECT_EQ(scores, (std::vector<int64_t>{16'450, 11'000, 100'000, 9'000, 4'000, 4'000}));
  EXPECT_EQ(events, (std::vector<int64_t>{8, 2, 35, 2, 1, 1}));
  EXPECT_EQ(levels, (std::vector<int>{3, 3, 4, 2, 1, 1}));
  // The account gathers bob's session too (Lambda, 5 points on the first day).
  EXPECT_EQ(days({"111122223333"})[0].score_milli, 21'450);
  EXPECT_EQ(days({"arn:aws:iam::111122223333:role/Admin"})[0].score_milli, 5'000);
}

TEST_F(IngesterTest, ASecondIngestSkipsReadFilesAndRereadsBrokenOnes) {
  ingest(CV_TEST_CLOUDTRAIL_FIXTURES);
  IngestReport again = ingest(CV_TEST_CLOUDTRAIL_FIXTURES);
  EXPECT_EQ(again.files_skipped, 4u);
  EXPECT_EQ(again.files_read, 2u);  // the broken ones are never checkpointed
  EXPECT_EQ(again.records_new, 0u);
  EXPECT_EQ(again.records_duplicate, 2u);
  EXPECT_EQ(days({"alice"})[0].score_milli, 16'450);
}

TEST_F(IngesterTest, AFolderThatCannotBeReadFails) {
  Ingester ingester(*store_, *rules_, clock_);
  FolderSource source(dir_ / "absent");
  auto report = ingester.ingest(source);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("is not a readable folder"), std::string::npos);
}

}  // namespace
}  // namespace cv::activity
