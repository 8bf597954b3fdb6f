// Response bodies stored as they are in files go out with sendfile(2) (connection.cc,
// write_file_body): whole bodies across several files and spans, ranges of a file, a client
// that stops reading (the write deadline ends it) and one that disconnects mid-body. The
// stream is a real file-backed FileSpanSource whose read() must never be called on this path,
// and whose destruction (the files closed) shows the exchange has ended.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "core/file_span_source.h"
#include "http/server_fixture.h"

namespace cv::http::testing {
namespace {

using std::chrono::seconds;

// Pattern bytes [start, start + size) written to a fresh temporary file.
std::filesystem::path pattern_file(const std::string& name, uint64_t start, uint64_t size) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("cv_sendfile_" + std::to_string(::getpid()) + "_" + name);
  std::string bytes(size, '\0');
  for (uint64_t i = 0; i < size; ++i) bytes[i] = pattern_byte(start + i);
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) {
    throw std::runtime_error("cannot write " + path.string());
  }
  std::fclose(file);
  return path;
}

// What the test sees of the streams it handed out.
struct StreamLog {
  std::atomic<int> reads{0};      // read() calls (the copy path)
  std::atomic<int> spans{0};      // take_file_span() calls
  std::promise<void> destroyed;  // set when the stream (and its files) went away
};

// Bytes [offset, offset + length) of the concatenation of `files`, served as file spans.
class FilesSource final : public ByteSource, public FileSpanSource {
 public:
  FilesSource(const std::vector<std::filesystem::path>& files, uint64_t offset, uint64_t length,
              std::shared_ptr<StreamLog> log)
      : position_(offset), end_(offset + length), log_(std::move(log)) {
    for (const auto& path : files) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw std::runtime_error("cannot open " + path.string());
      fds_.push_back(fd);
      sizes_.push_back(std::filesystem::file_size(path));
    }
  }
  ~FilesSource() override {
    for (int fd : fds_) ::close(fd);
    log_->destroyed.set_value();
  }
  Result<size_t> read(std::span<char>) override {
    ++log_->reads;
    return fail(ErrorCode::kInternalError, "read() on a file-backed stream");
  }
  bool file_backed() const override { return true; }
  Result<std::optional<FileSpan>> take_file_span(uint64_t max_bytes) override {
    ++log_->spans;
    if (position_ >= end_) return std::optional<FileSpan>();
    uint64_t start = 0;
    for (size_t i = 0; i < fds_.size(); ++i) {
      if (position_ < start + sizes_[i]) {
        const uint64_t in_file = position_ - start;
        const uint64_t n = std::min({max_bytes, end_ - position_, sizes_[i] - in_file});
        position_ += n;
        return std::optional<FileSpan>(FileSpan{fds_[i], in_file, n});
      }
      start += sizes_[i];
    }
    return fail(ErrorCode::kInternalError, "past the files");
  }

 private:
  std::vector<int> fds_;
  std::vector<uint64_t> sizes_;
  uint64_t position_;
  uint64_t end_;
  std::shared_ptr<StreamLog> log_;
};

class SendfileTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    // sendfile cannot suppress SIGPIPE; a server process ignores it (server.h).
    std::signal(SIGPIPE, SIG_IGN);
  }
  void TearDown() override {
    ServerTest::TearDown();
    for (const auto& path : files_) std::filesystem::remove(path);
  }
  // Serves bytes [offset, offset + length) of `files_` for every request; each stream's log
  // is pushed to logs_ (one request at a time in these tests).
  void serve(uint64_t offset, uint64_t length, ServerOptions options = {}) {
    start(
        [this, offset, length](Request&) {
          auto log = std::make_shared<StreamLog>();
          {
            std::lock_guard lock(mutex_);
            logs_.push_back(log);
          }
          served_.notify_all();
          Response response;
          response.stream = std::make_unique<FilesSource>(files_, offset, length, log);
          response.content_length = length;
          return response;
        },
        std::move(options));
  }
  // The log of the index-th request's stream, once its handler has run (at most 20 s).
  std::shared_ptr<StreamLog> log(size_t index) {
    std::unique_lock lock(mutex_);
    served_.wait_for(lock, seconds(20), [&] { return logs_.size() > index; });
    return logs_.at(index);
  }
  bool destroyed_within(size_t index, seconds limit) {
    return log(index)->destroyed.get_future().wait_for(limit) == std::future_status::ready;
  }

  std::vector<std::filesystem::path> files_;
  std::mutex mutex_;
  std::condition_variable served_;
  std::vector<std::shared_ptr<StreamLog>> logs_;
};

TEST_F(SendfileTest, WholeBodyAcrossFilesAndSpans) {
  // 40 MiB + 9 MiB + 1 byte: spans end at file ends and at 32 MiB (connection.cc).
  const uint64_t sizes[] = {40ull << 20, (9ull << 20) + 1};
  files_.push_back(pattern_file("a", 0, sizes[0]));
  files_.push_back(pattern_file("b", sizes[0], sizes[1]));
  const uint64_t total = sizes[0] + sizes[1];
  serve(0, total);
  TestClient client(port());
  for (int round = 0; round < 2; ++round) {  // the connection stays usable
    ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
    const TestResponse response = client.read_response();
    EXPECT_EQ(response["Content-Length"], std::to_string(total));
    ASSERT_EQ(response.body().size(), total);
    EXPECT_TRUE(response.body() == pattern(total));
    ASSERT_TRUE(destroyed_within(round, seconds(10)));
    EXPECT_EQ(log(round)->reads.load(), 0);
    EXPECT_GE(log(round)->spans.load(), 3);  // 32 + 8 MiB of a, 9 MiB + 1 of b
  }
}

TEST_F(SendfileTest, RangeOfAFile) {
  const uint64_t size = 3ull << 20;
  files_.push_back(pattern_file("r", 0, size));
  const uint64_t offset = 1000001;
  const uint64_t length = 1500000;
  serve(offset, length);
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse response = client.read_response();
  ASSERT_EQ(response.body().size(), length);
  EXPECT_TRUE(response.body() == pattern(offset + length).substr(offset));
  ASSERT_TRUE(destroyed_within(0, seconds(10)));
  EXPECT_EQ(log(0)->reads.load(), 0);
}

TEST_F(SendfileTest, ClientThatStopsReadingIsCutOffByTheWriteDeadline) {
  const uint64_t size = 64ull << 20;  // far more than the socket buffers hold
  files_.push_back(pattern_file("s", 0, size));
  ServerOptions options;
  options.write_timeout = seconds(1);
  serve(0, size, options);
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  // Not reading: the server's wait for writability times out, the connection closes and the
  // stream is released (bounded well above the 1 s deadline, so a hang fails the test).
  ASSERT_TRUE(destroyed_within(0, seconds(20)));
  EXPECT_EQ(log(0)->reads.load(), 0);
  // What the client gets is a truncated body, then the close.
  EXPECT_THROW(client.read_response(), std::runtime_error);
  // The server still serves others.
  TestClient other(port());
  ASSERT_TRUE(other.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(other.read_response().body().size(), size);
}

TEST_F(SendfileTest, ClientThatDisconnectsMidBody) {
  const uint64_t size = 64ull << 20;
  files_.push_back(pattern_file("d", 0, size));
  serve(0, size);
  {
    TestClient client(port());
    ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
    // Some of the body arrives, then the client resets the connection.
    ASSERT_TRUE(client.receive_at_least(1u << 20));
    client.reset();
  }
  ASSERT_TRUE(destroyed_within(0, seconds(20)));
  TestClient other(port());
  ASSERT_TRUE(other.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse response = other.read_response();
  ASSERT_EQ(response.body().size(), size);
  EXPECT_TRUE(response.body() == pattern(size));
}

}  // namespace
}  // namespace cv::http::testing
