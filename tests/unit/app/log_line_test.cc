#include "app/log_line.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/access_log.h"
#include "app/config.h"
#include "app/job_log.h"
#include "app/server_log.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

std::string json_string(std::string_view text) {
  spdlog::memory_buf_t out;
  append_json_string(out, text);
  return {out.data(), out.size()};
}

std::string formatted(LogFormat format, std::string_view logger, std::string_view payload,
                      spdlog::level::level_enum level = spdlog::level::info) {
  LogLineFormatter formatter(format, "records");
  spdlog::details::log_msg message(spdlog::string_view_t(logger.data(), logger.size()), level,
                                   spdlog::string_view_t(payload.data(), payload.size()));
  message.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796608500123));
  spdlog::memory_buf_t out;
  formatter.format(message, out);
  return {out.data(), out.size()};
}

TEST(LogLine, JsonStringsAreEscapedAndAlwaysValidUtf8) {
  EXPECT_EQ(json_string("plain"), "\"plain\"");
  EXPECT_EQ(json_string("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  // Not UTF-8: a lone continuation byte, an overlong form, a surrogate, a cut sequence.
  EXPECT_EQ(json_string("x\x80y"), R"("x\ufffdy")");
  EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
  EXPECT_EQ(json_string("end\xe2\x82"), R"("end\ufffd\ufffd")");
}

TEST(LogLine, TimeIsRfc3339UtcWithMilliseconds) {
  spdlog::memory_buf_t out;
  append_log_time(out,
                  std::chrono::system_clock::time_point(std::chrono::milliseconds(1796608500123)));
  EXPECT_EQ(std::string(out.data(), out.size()), "2026-12-07T01:55:00.123Z");
  out.clear();
  append_log_time(out, std::chrono::system_clock::time_point(std::chrono::milliseconds(5)));
  EXPECT_EQ(std::string(out.data(), out.size()), "1970-01-01T00:00:00.005Z");
}

TEST(LogLine, FreeMessagesAndRecordsInJson) {
  const std::string message =
      formatted(LogFormat::kJson, "", "cannot \"open\"\nfile", spdlog::level::err);
  EXPECT_EQ(message,
            "{\"time\":\"2026-12-07T01:55:00.123Z\",\"level\":\"error\","
            "\"msg\":\"cannot \\\"open\\\"\\nfile\"}\n");
  LogFields fields(LogFormat::kJson);
  fields.add("type", "job").tag("job").add("count", uint64_t{3}).add_millis("ms", 1.23456);
  EXPECT_EQ(formatted(LogFormat::kJson, "records", fields.view()),
            "{\"time\":\"2026-12-07T01:55:00.123Z\",\"level\":\"info\","
            "\"type\":\"job\",\"count\":3,\"ms\":1.235}\n");
}

TEST(LogLine, TextLinesQuoteWhatWouldBeAmbiguous) {
  LogFields fields(LogFormat::kText);
  fields.tag("access")
      .add("key", "a b")
      .add("bucket", "")
      .add("op", "GetObject")
      .add("ua", "x=\"y\"")
      .add("status", 200);
  EXPECT_EQ(fields.view(), R"(access key="a b" bucket=- op=GetObject ua="x=\"y\"" status=200)");
  EXPECT_EQ(formatted(LogFormat::kText, "records", fields.view()),
            "2026-12-07T01:55:00.123Z INFO  " + std::string(fields.view()) + "\n");
  // A free message stays on one line.
  EXPECT_EQ(formatted(LogFormat::kText, "", "two\nlines", spdlog::level::warn),
            "2026-12-07T01:55:00.123Z WARN  two\\x0alines\n");
}

TEST(LogLine, BatchedLinesAreTheFormattersLinesAndPassThroughAsTheyAre) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796608500123));
  LogFields fields(LogFormat::kJson);
  fields.add("type", "access").add("status", 200);
  spdlog::memory_buf_t batch;
  append_log_line(batch, LogFormat::kJson, time, spdlog::level::info, fields.view(), true);
  EXPECT_EQ(std::string(batch.data(), batch.size()),
            formatted(LogFormat::kJson, "records", fields.view()));
  append_log_line(batch, LogFormat::kJson, time, spdlog::level::info, fields.view(), true);
  const std::string two(batch.data(), batch.size());
  // The logger of whole lines: its message (a batch of lines) is written as it is.
  LogLineFormatter formatter(LogFormat::kJson, "records", "lines");
  spdlog::details::log_msg message("lines", spdlog::level::info,
                                   spdlog::string_view_t(two.data(), two.size()));
  spdlog::memory_buf_t out;
  formatter.format(message, out);
  EXPECT_EQ(std::string(out.data(), out.size()), two);
  out.clear();
  formatter.clone()->format(message, out);
  EXPECT_EQ(std::string(out.data(), out.size()), two);
}

TEST(LogLine, MillisecondsHaveThreeDecimals) {
  const auto millis = [](double value) {
    LogFields fields(LogFormat::kText);
    fields.add_millis("ms", value);
    return std::string(fields.view());
  };
  EXPECT_EQ(millis(0), "ms=0.000");
  EXPECT_EQ(millis(0.4124), "ms=0.412");
  EXPECT_EQ(millis(0.0006), "ms=0.001");
  EXPECT_EQ(millis(12.3456), "ms=12.346");
  EXPECT_EQ(millis(999.9996), "ms=1000.000");
  EXPECT_EQ(millis(86400000.25), "ms=86400000.250");
  EXPECT_EQ(millis(-1.5), "ms=-1.500");
  EXPECT_EQ(millis(1e20), "ms=100000000000000000000.000");
}

TEST(LogLine, TimesAcrossTheCalendar) {
  const auto at = [](int64_t millis) {
    spdlog::memory_buf_t out;
    append_log_time(out, std::chrono::system_clock::time_point(std::chrono::milliseconds(millis)));
    return std::string(out.data(), out.size());
  };
  EXPECT_EQ(at(951782400000), "2000-02-29T00:00:00.000Z");   // a leap day
  EXPECT_EQ(at(4102444799999), "2099-12-31T23:59:59.999Z");  // end of a year
  EXPECT_EQ(at(1709251199001), "2024-02-29T23:59:59.001Z");
}

TEST(AccessLog, RecordCarriesEveryField) {
  AccessRecord record;
  record.request_id = "187E1B7A59D0C3F2";
  record.remote_address = "127.0.0.1";
  record.api = "s3";
  record.operation = "GetObject";
  record.bucket = "photos";
  record.key = "2026/\"cat\".jpg";
  record.status = 404;
  record.error_code = "NoSuchKey";
  record.bytes_in = 0;
  record.bytes_out = 312;
  record.duration_ms = 0.4126;
  record.user_agent = "Boto3/1.26 Python/3.11";
  const LogFields fields = access_fields(record, LogFormat::kJson);
  const auto parsed = boost::json::parse("{" + std::string(fields.view()) + "}").as_object();
  EXPECT_EQ(parsed.at("type"), "access");
  EXPECT_EQ(parsed.at("request_id"), "187E1B7A59D0C3F2");
  EXPECT_EQ(parsed.at("remote"), "127.0.0.1");
  EXPECT_EQ(parsed.at("user"), "anonymous");
  EXPECT_EQ(parsed.at("api"), "s3");
  EXPECT_EQ(parsed.at("operation"), "GetObject");
  EXPECT_EQ(parsed.at("bucket"), "photos");
  EXPECT_EQ(parsed.at("key"), "2026/\"cat\".jpg");
  EXPECT_EQ(parsed.at("status"), 404);
  EXPECT_EQ(parsed.at("error"), "NoSuchKey");
  EXPECT_EQ(parsed.at("bytes_in"), 0);
  EXPECT_EQ(parsed.at("bytes_out"), 312);
  EXPECT_DOUBLE_EQ(parsed.at("duration_ms").as_double(), 0.413);
  EXPECT_EQ(parsed.at("user_agent"), "Boto3/1.26 Python/3.11");
  record.user = "alice";
  EXPECT_EQ(access_fields(record, LogFormat::kText).view(),
            "access request_id=187E1B7A59D0C3F2 remote=127.0.0.1 user=alice api=s3 "
            "operation=GetObject bucket=photos key=\"2026/\\\"cat\\\".jpg\" status=404 "
            "error=NoSuchKey bytes_in=0 bytes_out=312 duration_ms=0.413 "
            "user_agent=\"Boto3/1.26 Python/3.11\"");
}

TEST(LogConfig, LogSectionIsReadAndChecked) {
  const fs::path dir = fs::temp_directory_path() / ("cv-log-config-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "ok.toml")
      << "[log]\nlevel = \"warn\"\nformat = \"text\"\naccess = false\n"
         "file = \"/var/log/cv.log\"\nmax_size_mb = 0.5\nmax_files = 3\n";
  const Config config = load_config(dir / "ok.toml").value();
  EXPECT_EQ(config.log.level, LogLevel::kWarn);
  EXPECT_EQ(config.log.format, LogFormat::kText);
  EXPECT_FALSE(config.log.access);
  EXPECT_EQ(config.log.file, "/var/log/cv.log");
  EXPECT_EQ(config.log.max_size_bytes, 512u * 1024);
  EXPECT_EQ(config.log.max_files, 3u);
  const Config defaults = load_config(std::nullopt).value();
  EXPECT_EQ(defaults.log.level, LogLevel::kInfo);
  EXPECT_FALSE(defaults.log.format.has_value());
  EXPECT_TRUE(defaults.log.access);
  EXPECT_EQ(defaults.log.max_size_bytes, 100u * 1024 * 1024);
  EXPECT_EQ(defaults.log.max_files, 5u);
  for (const char* bad :
       {"level = \"verbose\"", "format = \"xml\"", "access = \"yes\"", "max_size_mb = 0",
        "max_size_mb = -1", "max_files = 0", "max_files = 1.5", "file = \"\""}) {
    std::ofstream(dir / "bad.toml") << "[log]\n" << bad << "\n";
    const auto refused = load_config(dir / "bad.toml");
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(refused.error().message.find("log."), std::string::npos) << bad;
  }
  fs::remove_all(dir);
}

// The records a ServerLog writes into a file: level filtering, job passes, rotation.
class ServerLogFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cv-server-log-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<boost::json::object> lines(const fs::path& file) const {
    std::vector<boost::json::object> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      out.push_back(boost::json::parse(line).as_object());
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(ServerLogFile, JobPassesLogStartAtDebugAndIdleEndsOnlyAtDebug) {
  LogSettings settings;
  settings.file = dir_ / "info.log";
  settings.format = LogFormat::kJson;
  {
    auto log = ServerLog::open(settings).value();
    JobPass idle(*log, "gc");
    idle.end({{"blobs_removed", 0}});
    JobPass busy(*log, "lifecycle");
    busy.end({{"keys_examined", 4}, {"transitioned", 1}});
    JobPass broken(*log, "gc");
    broken.failed("disk on fire");
  }
  auto records = lines(settings.file);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("type"), "job");
  EXPECT_EQ(records[0].at("job"), "lifecycle");
  EXPECT_EQ(records[0].at("event"), "end");
  EXPECT_EQ(records[0].at("level"), "info");
  EXPECT_EQ(records[0].at("keys_examined"), 4);
  EXPECT_EQ(records[0].at("transitioned"), 1);
  EXPECT_TRUE(records[0].at("duration_ms").is_double());
  EXPECT_EQ(records[1].at("event"), "failure");
  EXPECT_EQ(records[1].at("level"), "error");
  EXPECT_EQ(records[1].at("error"), "disk on fire");

  settings.file = dir_ / "debug.log";
  settings.level = LogLevel::kDebug;
  {
    auto log = ServerLog::open(settings).value();
    JobPass idle(*log, "gc");
    idle.end({{"blobs_removed", 0}});
  }
  records = lines(settings.file);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("event"), "start");
  EXPECT_EQ(records[0].at("level"), "debug");
  EXPECT_EQ(records[1].at("event"), "end");
  EXPECT_EQ(records[1].at("blobs_removed"), 0);
}

TEST_F(ServerLogFile, LevelWarnSilencesAccessRecords) {
  LogSettings settings;
  settings.file = dir_ / "warn.log";
  settings.level = LogLevel::kWarn;
  auto log = ServerLog::open(settings).value();
  EXPECT_FALSE(log->access_enabled());
  EXPECT_EQ(log->format(), LogFormat::kJson);  // a file: JSON unless asked otherwise
  settings.level = LogLevel::kInfo;
  settings.access = false;
  EXPECT_FALSE(ServerLog::open(settings).value()->access_enabled());
}

TEST_F(ServerLogFile, FilesRotateBySizeAndAreBounded) {
  LogSettings settings;
  settings.file = dir_ / "rotating.log";
  settings.max_size_bytes = 4096;
  settings.max_files = 2;
  {
    auto log = ServerLog::open(settings).value();
    AccessLog access(*log);
    AccessRecord record;
    record.request_id = "0123456789ABCDEF";
    record.api = "s3";
    record.operation = "PutObject";
    record.status = 200;
    for (int i = 0; i < 200; ++i) access.write(record);
  }
  EXPECT_TRUE(fs::exists(dir_ / "rotating.log"));
  EXPECT_TRUE(fs::exists(dir_ / "rotating.1.log"));
  EXPECT_TRUE(fs::exists(dir_ / "rotating.2.log"));
  EXPECT_FALSE(fs::exists(dir_ / "rotating.3.log"));
  for (const char* name : {"rotating.log", "rotating.1.log", "rotating.2.log"}) {
    EXPECT_LE(fs::file_size(dir_ / name), 4096u) << name;
    for (const auto& line : lines(dir_ / name)) EXPECT_EQ(line.at("operation"), "PutObject");
  }
}

TEST_F(ServerLogFile, AFileThatCannotBeOpenedIsRefused) {
  LogSettings settings;
  fs::create_directories(dir_ / "blocked");
  settings.file = dir_ / "blocked";  // a folder, not a file
  const auto refused = ServerLog::open(settings);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cv::app
