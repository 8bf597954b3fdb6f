// What the trail writer and validator tests share: a fresh SQLite store in a temporary folder,
// a manual clock, a signing key, and a writer over them, driven step by step (run_once-style
// calls, no sleeps).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/gzip.h"
#include "audit/trail_folder.h"
#include "audit/trail_validator.h"
#include "audit/trail_writer.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::audit::testing {

inline constexpr int64_t kSecond = 1'000'000'000;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kTen = 1'796'551'200'000'000'000;  // 2026-12-06T10:00:00Z
inline constexpr char kAccount[] = "123456789012";

// A trail bucket that keeps what it is given.
class MemoryBucket final : public TrailBucket {
 public:
  struct Put {
    std::string key, bytes, content_type;
    ObjectMetadata metadata;
  };
  const std::string& name() const override { return name_; }
  Status put(std::string_view key, std::string_view bytes, std::string_view content_type,
             const ObjectMetadata& metadata) override {
    puts.push_back({std::string(key), std::string(bytes), std::string(content_type), metadata});
    return {};
  }
  std::vector<Put> puts;

 private:
  std::string name_ = "trail-bucket";
};

class TrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "cv-trail-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto opened = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"});
    ASSERT_TRUE(opened) << opened.error().message;
    meta_ = std::move(*opened);
    auto key = SigningKey::generate();
    ASSERT_TRUE(key);
    key_.emplace(std::move(*key));
    make_writer({});
  }
  void TearDown() override {
    writer_.reset();
    meta_.reset();
    std::filesystem::remove_all(dir_);
  }

  void make_writer(TrailWriterOptions options, TrailBucket* bucket = nullptr) {
    writer_.reset();
    options.folder = folder();
    options.account_id = kAccount;
    writer_ = std::make_unique<TrailWriter>(*meta_, clock_, *key_, bucket, options);
  }

  std::filesystem::path folder() const { return dir_ / "trail"; }

  AuditEvent event(int64_t time_ns, const std::string& name = "GetObject",
                   const std::string& key = "a.txt") {
    AuditEvent event;
    event.time_ns = time_ns;
    event.event_name = name;
    event.region = "us-east-1";
    event.bucket = "photos";
    event.key = key;
    event.identity.type = IdentityType::kIAMUser;
    event.identity.user_name = "alice";
    event.identity.access_key_id = "AKALICE";
    event.identity.account_id = kAccount;
    return event;
  }

  // Queues, appends and rolls one record per time into one log file delivered at `at`.
  void log_file_at(int64_t at, std::vector<int64_t> times) {
    for (int64_t time : times) writer_->record(event(time));
    ASSERT_TRUE(writer_->append_once());
    auto rolled = writer_->roll_once(at, true);
    ASSERT_TRUE(rolled) << rolled.error().message;
  }

  std::vector<std::string> files_under(const std::string& kind) const {
    std::vector<std::string> keys;
    const auto root = folder() / "AWSLogs" / kAccount / kind;
    if (!std::filesystem::exists(root)) return keys;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name.ends_with(".json.gz")) {
        keys.push_back(std::filesystem::relative(entry.path(), folder()).generic_string());
      }
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  boost::json::object read_gz_json(const std::string& key) const {
    auto bytes = read_whole_file(folder() / key);
    EXPECT_TRUE(bytes);
    auto plain = gzip_decompress(bytes ? *bytes : std::string());
    EXPECT_TRUE(plain);
    return boost::json::parse(plain ? *plain : "{}").as_object();
  }

  TrailValidation validate(int64_t from_ns = 0, int64_t to_ns = 0) {
    TrailValidationOptions options;
    options.folder = folder();
    options.account_id = kAccount;
    options.public_key = key_->public_pem();
    options.from_ns = from_ns;
    options.to_ns = to_ns;
    auto report = validate_trail(*meta_, options);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : TrailValidation{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<meta::MetaStore> meta_;
  ManualClock clock_{from_unix_nanos(kTen)};
  std::optional<SigningKey> key_;
  std::unique_ptr<TrailWriter> writer_;
};

// A JSON string's text (other values serialized), to compare with std::string.
inline std::string text(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
}

inline std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace cv::audit::testing
