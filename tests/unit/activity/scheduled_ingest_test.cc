// ScheduledIngest: each run ingests every configured source; a source or rules file that
// cannot be read is reported for that run, and the other sources still go in.
#include "activity/scheduled_ingest.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::activity {
namespace {
namespace fs = std::filesystem;

class ScheduledIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cv-scheduled-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  static Result<std::unique_ptr<TrailSource>> open_folder(const std::string& spec) {
    return std::unique_ptr<TrailSource>(std::make_unique<FolderSource>(spec));
  }

  fs::path dir_;
  std::unique_ptr<meta::MetaStore> store_;
  SystemClock clock_;
};

TEST_F(ScheduledIngestTest, EachRunIngestsEverySourceIncrementally) {
  ScheduledIngest scheduled(*store_, clock_, CV_TEST_ACTIVITY_RULES,
                            {(dir_ / "absent").string(), CV_TEST_CLOUDTRAIL_FIXTURES}, open_folder);
  auto first = scheduled.run_once();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_FALSE(first[0].report);
  ASSERT_TRUE(first[1].report) << first[1].report.error().message;
  EXPECT_EQ(first[1].report->records_new, 50u);
  auto second = scheduled.run_once();
  ASSERT_TRUE(second[1].report);
  EXPECT_EQ(second[1].report->records_new, 0u);
  EXPECT_EQ(second[1].report->files_skipped, 4u);
  // New files found by a later run go in.
  fs::create_directories(dir_ / "absent");
  std::ofstream(dir_ / "absent" / "late.json")
      << R"({"Records":[{"eventID":"late-1","eventTime":"2024-10-10T00:00:00Z",)"
      << R"("eventSource":"s3.amazonaws.com","eventName":"CreateBucket"}]})";
  auto third = scheduled.run_once();
  ASSERT_TRUE(third[0].report) << third[0].report.error().message;
  EXPECT_EQ(third[0].report->records_new, 1u);
}

TEST_F(ScheduledIngestTest, AnUnreadableRulesFileFailsTheRunNotTheServer) {
  ScheduledIngest scheduled(*store_, clock_, dir_ / "no-rules.json", {CV_TEST_CLOUDTRAIL_FIXTURES},
                            open_folder);
  auto runs = scheduled.run_once();
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_FALSE(runs[0].report);
  EXPECT_NE(runs[0].report.error().message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace cv::activity
