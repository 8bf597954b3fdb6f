// ServerLog's batched lines (access records): the lines of a batch come out whole, in order,
// none lost, in one piece, while other threads log through spdlog at the same time (which
// may only come between lines); a batch is in the file once it ends, not before; rotation by
// size still bounds every file.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "app/access_log.h"
#include "app/server_log.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

class ServerLogBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cv-server-log-batch-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every line of `file`, each parsed as JSON: a line split or mixed with another fails here.
  static std::vector<boost::json::object> lines(const fs::path& file) {
    std::vector<boost::json::object> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      boost::system::error_code ec;
      boost::json::value value = boost::json::parse(line, ec);
      EXPECT_FALSE(ec) << "not one whole line: " << line;
      if (!ec && value.is_object()) out.push_back(value.as_object());
    }
    return out;
  }

  static std::string text(const boost::json::object& line, std::string_view name) {
    const boost::json::value* value = line.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  }

  static AccessRecord record(std::string request_id) {
    AccessRecord out;
    out.request_id = std::move(request_id);
    out.remote_address = "127.0.0.1";
    out.api = "s3";
    out.operation = "GetObject";
    out.bucket = "bench";
    out.key = "small/some-key-with-a-longer-name";
    out.status = 200;
    out.bytes_out = 4096;
    out.user_agent = "cv_bench/1.0 (a user agent long enough to make the line realistic)";
    return out;
  }

  fs::path dir_;
};

TEST_F(ServerLogBatch, BatchesComeOutWholeInOrderAndTogetherBesideOtherWriters) {
  LogSettings settings;
  settings.file = dir_ / "server.log";
  settings.format = LogFormat::kJson;
  constexpr int kBatches = 200;
  constexpr int kPerBatch = 40;
  constexpr int kMessages = 3000;
  {
    auto log = ServerLog::open(settings).value();
    AccessLog access(*log);
    std::atomic<bool> go = false;
    // Free-text lines from other threads, as spdlog::warn from anywhere in the server.
    std::vector<std::thread> others;
    for (int t = 0; t < 2; ++t) {
      others.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        for (int i = 0; i < kMessages; ++i) spdlog::warn("other {} {}", t, i);
      });
    }
    go = true;
    for (int b = 0; b < kBatches; ++b) {
      for (int i = 0; i < kPerBatch; ++i) {
        access.write(record(std::to_string(b) + "-" + std::to_string(i)));
      }
      access.end_batch();
    }
    for (std::thread& other : others) other.join();
  }
  const auto all = lines(settings.file);
  ASSERT_EQ(all.size(), static_cast<size_t>(kBatches * kPerBatch + 2 * kMessages));
  int next_access = 0;
  std::map<std::string, int> next_message;  // per thread
  for (size_t n = 0; n < all.size(); ++n) {
    const boost::json::object& line = all[n];
    if (line.contains("msg")) {
      const std::string msg(line.at("msg").as_string());
      const size_t space = msg.rfind(' ');
      const std::string thread = msg.substr(0, space);
      EXPECT_EQ(msg.substr(space + 1), std::to_string(next_message[thread]++)) << msg;
      continue;
    }
    // A batch's lines are written in one piece: the first line of a batch is followed by the
    // rest of it with nothing between them.
    const int batch = next_access / kPerBatch;
    const int index = next_access % kPerBatch;
    ASSERT_EQ(line.at("type"), "access");
    EXPECT_EQ(text(line, "request_id"), std::to_string(batch) + "-" + std::to_string(index));
    EXPECT_EQ(line.at("bytes_out"), 4096);
    ++next_access;
    if (index + 1 < kPerBatch) {
      ASSERT_LT(n + 1, all.size());
      EXPECT_FALSE(all[n + 1].contains("msg")) << "a line came inside batch " << batch;
    }
  }
  EXPECT_EQ(next_access, kBatches * kPerBatch);
  EXPECT_EQ(next_message["other 0"], kMessages);
  EXPECT_EQ(next_message["other 1"], kMessages);
}

TEST_F(ServerLogBatch, ManyThreadsBatchingLoseNothing) {
  LogSettings settings;
  settings.file = dir_ / "threads.log";
  settings.format = LogFormat::kJson;
  constexpr int kThreads = 4;
  constexpr int kBatches = 100;
  constexpr int kPerBatch = 30;
  {
    auto log = ServerLog::open(settings).value();
    AccessLog access(*log);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int b = 0; b < kBatches; ++b) {
          for (int i = 0; i < kPerBatch; ++i) {
            access.write(record(std::to_string(t) + "-" + std::to_string(b * kPerBatch + i)));
          }
          access.end_batch();
          if (b % 10 == 0) spdlog::warn("thread {} at batch {}", t, b);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  std::map<std::string, int> next;  // per thread: each thread's records stay in its order
  size_t access_lines = 0;
  for (const auto& line : lines(settings.file)) {
    if (line.contains("msg")) continue;
    ++access_lines;
    const std::string id(line.at("request_id").as_string());
    const size_t dash = id.find('-');
    EXPECT_EQ(id.substr(dash + 1), std::to_string(next[id.substr(0, dash)]++)) << id;
  }
  EXPECT_EQ(access_lines, static_cast<size_t>(kThreads * kBatches * kPerBatch));
}

TEST_F(ServerLogBatch, ABatchIsInTheFileWhenItEndsAndNotBefore) {
  LogSettings settings;
  settings.file = dir_ / "visible.log";
  settings.format = LogFormat::kJson;
  auto log = ServerLog::open(settings).value();
  AccessLog access(*log);
  for (int i = 0; i < 5; ++i) access.write(record("first-" + std::to_string(i)));
  EXPECT_EQ(fs::file_size(settings.file), 0u);  // gathered, not written yet
  access.end_batch();
  auto written = lines(settings.file);  // read while the log is still open
  ASSERT_EQ(written.size(), 5u);
  EXPECT_EQ(text(written[4], "request_id"), "first-4");

  // A record written at once (a job's) does not wait for the batch; the batch follows it.
  access.write(record("second-0"));
  LogFields job(LogFormat::kJson);
  job.add("type", "job").add("job", "gc");
  log->write(LogLevel::kInfo, job);
  written = lines(settings.file);
  ASSERT_EQ(written.size(), 6u);
  EXPECT_EQ(written[5].at("type"), "job");
  access.end_batch();
  access.end_batch();  // nothing waits: nothing is written
  written = lines(settings.file);
  ASSERT_EQ(written.size(), 7u);
  EXPECT_EQ(text(written[6], "request_id"), "second-0");
}

TEST_F(ServerLogBatch, ALongBatchIsWrittenInPiecesOfAtMostTheLimit) {
  LogSettings settings;
  settings.file = dir_ / "long.log";
  settings.format = LogFormat::kJson;
  auto log = ServerLog::open(settings).value();
  AccessLog access(*log);
  EXPECT_EQ(log->batch_limit(), ServerLog::kBatchBytes);
  int added = 0;
  while (fs::file_size(settings.file) == 0 && added < 10000) {
    access.write(record(std::to_string(added++)));
  }
  // The buffer filled up and what it held went out before the batch ended: whole lines only.
  const uintmax_t size = fs::file_size(settings.file);
  EXPECT_GT(size, ServerLog::kBatchBytes / 2);
  EXPECT_LE(size, ServerLog::kBatchBytes);
  EXPECT_EQ(lines(settings.file).size() + 1, static_cast<size_t>(added));
  access.end_batch();
  EXPECT_EQ(lines(settings.file).size(), static_cast<size_t>(added));
}

TEST_F(ServerLogBatch, RotationBySizeBoundsFilesWithBatches) {
  LogSettings settings;
  settings.file = dir_ / "rotating.log";
  settings.format = LogFormat::kJson;
  settings.max_size_bytes = 8192;
  settings.max_files = 20;
  constexpr int kRecords = 300;
  {
    auto log = ServerLog::open(settings).value();
    EXPECT_EQ(log->batch_limit(), 8192u);  // one write never takes a file past its size
    AccessLog access(*log);
    for (int i = 0; i < kRecords; ++i) {
      access.write(record(std::to_string(i)));
      if (i % 50 == 49) access.end_batch();
    }
  }
  std::vector<fs::path> files = {dir_ / "rotating.log"};
  for (int n = 1; fs::exists(dir_ / ("rotating." + std::to_string(n) + ".log")); ++n) {
    files.push_back(dir_ / ("rotating." + std::to_string(n) + ".log"));
  }
  ASSERT_GT(files.size(), 2u);
  ASSERT_LT(files.size(), 21u);  // nothing was rotated away: every record can be counted
  int next = 0;
  for (auto file = files.rbegin(); file != files.rend(); ++file) {  // oldest first
    EXPECT_LE(fs::file_size(*file), 8192u) << *file;
    for (const auto& line : lines(*file)) {
      EXPECT_EQ(text(line, "request_id"), std::to_string(next++));
    }
  }
  EXPECT_EQ(next, kRecords);
}

TEST_F(ServerLogBatch, StderrTakesBatchesToo) {
  const fs::path file = dir_ / "stderr.log";
  const int saved = ::dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  { std::ofstream create(file); }
  std::FILE* redirected = std::fopen(file.c_str(), "a");
  ASSERT_NE(redirected, nullptr);
  ASSERT_GE(::dup2(::fileno(redirected), STDERR_FILENO), 0);
  {
    LogSettings settings;  // no file: stderr
    settings.format = LogFormat::kJson;
    auto log = ServerLog::open(settings).value();
    AccessLog access(*log);
    for (int i = 0; i < 3; ++i) access.write(record("err-" + std::to_string(i)));
    spdlog::warn("between");
    access.end_batch();
  }
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::fclose(redirected);
  const auto written = lines(file);
  ASSERT_EQ(written.size(), 4u);
  EXPECT_EQ(written[0].at("msg"), "between");
  EXPECT_EQ(text(written[1], "request_id"), "err-0");
  EXPECT_EQ(text(written[3], "request_id"), "err-2");
}

}  // namespace
}  // namespace cv::app
