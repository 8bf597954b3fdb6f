// Readiness: the checks over a real metadata store, real folders and a real master key file,
// the JSON shown to loopback and to other peers, and the gauges it reports.
#include "app/readiness.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

const std::string kKey(32, 'k');

class ReadinessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-readiness-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "glacier");
    write_key(kKey);
    meta_ = std::move(*meta::open_sqlite_meta_store({dir_ / "meta.db"}));
  }
  void TearDown() override {
    meta_.reset();
    fs::remove_all(dir_);
  }
  void write_key(const std::string& key) { std::ofstream(dir_ / "master.key") << key; }

  Readiness readiness(ReadinessOptions options = {}) {
    return Readiness(*meta_, {{"data", dir_ / "data"}, {"glacier", dir_ / "glacier"}},
                     dir_ / "master.key", kKey, options);
  }

  fs::path dir_;
  std::unique_ptr<meta::MetaStore> meta_;
};

TEST_F(ReadinessTest, EverythingInOrderIsReady) {
  const ReadinessReport report = readiness().check_now();
  EXPECT_TRUE(report.ready());
  EXPECT_TRUE(report.metadata_ok) << report.metadata_detail;
  EXPECT_TRUE(report.master_key_ok) << report.master_key_detail;
  ASSERT_EQ(report.folders.size(), 2u);
  for (const FolderCheck& folder : report.folders) {
    EXPECT_TRUE(folder.ok) << folder.detail;
    EXPECT_TRUE(folder.writable);
    EXPECT_GT(folder.total_bytes, 0u);
    EXPECT_LE(folder.free_bytes, folder.total_bytes);
  }
  // The probe leaves nothing behind.
  EXPECT_TRUE(fs::is_empty(dir_ / "data"));
}

TEST_F(ReadinessTest, AMissingFolderOrTooLittleRoomIsNotReady) {
  fs::remove_all(dir_ / "glacier");
  ReadinessReport report = readiness().check_now();
  EXPECT_FALSE(report.ready());
  EXPECT_TRUE(report.folders[0].ok);
  EXPECT_FALSE(report.folders[1].ok);
  EXPECT_NE(report.folders[1].detail.find("No such file or directory"), std::string::npos)
      << report.folders[1].detail;

  fs::create_directories(dir_ / "glacier");
  report = readiness({.min_free_ratio = 1.0}).check_now();
  EXPECT_FALSE(report.ready());
  EXPECT_TRUE(report.folders[0].writable);
  EXPECT_NE(report.folders[0].detail.find("free space below"), std::string::npos);
}

TEST_F(ReadinessTest, TheMasterKeyFileMustStillHoldTheKeyInUse) {
  write_key(std::string(32, 'x'));
  ReadinessReport report = readiness().check_now();
  EXPECT_FALSE(report.ready());
  EXPECT_EQ(report.master_key_detail, "the master key file no longer holds the key in use");
  fs::remove(dir_ / "master.key");
  report = readiness().check_now();
  EXPECT_FALSE(report.master_key_ok);
  EXPECT_NE(report.master_key_detail.find("unreadable"), std::string::npos);
  write_key(kKey);
  EXPECT_TRUE(readiness().check_now().ready());
}

TEST_F(ReadinessTest, ReportsAreCachedForAWhile) {
  Readiness cached = readiness({.cache_for = std::chrono::hours(1)});
  EXPECT_TRUE(cached.report().ready());
  fs::remove(dir_ / "master.key");
  EXPECT_TRUE(cached.report().ready());      // within cache_for: the earlier answer
  EXPECT_FALSE(cached.check_now().ready());  // checked now: the truth
  Readiness fresh = readiness({.cache_for = std::chrono::milliseconds(0)});
  EXPECT_FALSE(fresh.report().ready());
}

TEST_F(ReadinessTest, JsonInFullForLoopbackAndOutcomesOnlyForOthers) {
  fs::remove(dir_ / "master.key");
  const ReadinessReport report = readiness().check_now();
  const auto full = boost::json::parse(readiness_json(report, true)).as_object();
  EXPECT_EQ(full.at("status"), "not_ready");
  const auto& checks = full.at("checks").as_array();
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].at("name"), "metadata");
  EXPECT_EQ(checks[0].at("ok"), true);
  EXPECT_EQ(checks[1].at("name"), "data_folder");
  EXPECT_EQ(checks[1].at("folder"), "data");
  EXPECT_EQ(std::string(checks[1].at("path").as_string()), (dir_ / "data").string());
  EXPECT_TRUE(checks[1].as_object().contains("free_bytes"));
  EXPECT_TRUE(checks[1].as_object().contains("free_ratio"));
  EXPECT_EQ(checks[3].at("name"), "master_key");
  EXPECT_EQ(checks[3].at("ok"), false);
  EXPECT_TRUE(checks[3].as_object().contains("detail"));

  const std::string reduced = readiness_json(report, false);
  EXPECT_EQ(reduced.find(dir_.string()), std::string::npos) << reduced;
  const auto brief = boost::json::parse(reduced).as_object();
  EXPECT_EQ(brief.at("status"), "not_ready");
  for (const auto& check : brief.at("checks").as_array()) {
    for (const auto& [name, value] : check.as_object()) {
      EXPECT_TRUE(name == "name" || name == "ok" || name == "folder") << name;
    }
  }
}

TEST_F(ReadinessTest, GaugesFollowTheReport) {
  Readiness watched = readiness({.cache_for = std::chrono::milliseconds(0)});
  std::string text = prometheus::TextSerializer().Serialize(watched.Collect());
  EXPECT_NE(text.find("\ncloudvault_ready 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ncloudvault_master_key_readable 1\n"), std::string::npos);
  EXPECT_NE(text.find("cloudvault_disk_free_bytes{folder=\"glacier\"} "), std::string::npos);
  EXPECT_NE(text.find("cloudvault_disk_total_bytes{folder=\"data\"} "), std::string::npos);
  EXPECT_NE(text.find("cloudvault_disk_free_ratio{folder=\"data\"} "), std::string::npos);
  fs::remove(dir_ / "master.key");
  text = prometheus::TextSerializer().Serialize(watched.Collect());
  EXPECT_NE(text.find("\ncloudvault_ready 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ncloudvault_master_key_readable 0\n"), std::string::npos);
}

}  // namespace
}  // namespace cv::app
