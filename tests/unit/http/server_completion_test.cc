// Response::on_complete: called once per exchange, after the response went out, with the body
// bytes that went each way (a streamed body counts what the socket took, not what was
// announced) and the request's arrival time set.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "http/server_fixture.h"

namespace cv::http::testing {
namespace {

// The totals of finished exchanges, in the order they finished. Thread-safe.
class Completions {
 public:
  // A hook for one response that records into this.
  std::move_only_function<void(const ExchangeTotals&)> hook() {
    return [this](const ExchangeTotals& totals) {
      std::lock_guard lock(mutex_);
      totals_.push_back(totals);
      changed_.notify_all();
    };
  }
  // The first `count` totals, once they have arrived (empty after 20 s without them).
  std::vector<ExchangeTotals> wait_for(size_t count) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, std::chrono::seconds(20),
                           [&] { return totals_.size() >= count; })) {
      return {};
    }
    return totals_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ExchangeTotals> totals_;
};

class CompletionTest : public ServerTest {
 protected:
  Completions completions_;
};

TEST_F(CompletionTest, AStreamedGetCountsTheBodyBytesSent) {
  static constexpr uint64_t kSize = (3ull << 20) + 17;
  std::mutex handler_mutex;
  std::vector<int64_t> arrivals;
  start([&](Request& request) {
    {
      std::lock_guard lock(handler_mutex);
      arrivals.push_back(request.arrival_ns);
    }
    Response response;
    response.stream = std::make_unique<PatternSource>(kSize);
    response.content_length = kSize;
    response.on_complete = completions_.hook();
    return response;
  });
  const int64_t before = to_unix_nanos(SystemClock().now());
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/big HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(client.read_response().body().size(), kSize);
  ASSERT_TRUE(client.send("HEAD /b/big HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response(/*head=*/true)["Content-Length"], std::to_string(kSize));

  const auto totals = completions_.wait_for(2);
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].body_bytes_out, kSize);
  EXPECT_EQ(totals[0].body_bytes_in, 0u);
  EXPECT_EQ(totals[1].body_bytes_out, 0u);  // HEAD: no body goes out
  std::lock_guard lock(handler_mutex);
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[0], before);
  EXPECT_GE(arrivals[1], arrivals[0]);
}

TEST_F(CompletionTest, AStreamThatFailsCountsOnlyWhatWasSent) {
  start([&](Request&) {
    Response response;
    response.stream = std::make_unique<PatternSource>(10 << 20, 3 << 20);
    response.content_length = 10 << 20;
    response.on_complete = completions_.hook();
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_THROW(client.read_response(), std::runtime_error);
  const auto totals = completions_.wait_for(1);
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_EQ(totals[0].body_bytes_out, 3u << 20);
}

TEST_F(CompletionTest, RequestBodiesAreCountedSmallStreamedAndUnread) {
  start([&](Request& request) {
    // Reads the body unless asked not to; the server drains what is left.
    if (request.path != "/unread") digest_body(request, 4096);
    Response response = text_response(200, "stored");
    response.on_complete = completions_.hook();
    return response;
  });
  TestClient client(port());
  const std::string small = pattern(1000);
  const std::string large = pattern(300 * 1024);
  ASSERT_TRUE(
      client.send("PUT /small HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + small));
  EXPECT_EQ(client.read_response().body(), "stored");
  ASSERT_TRUE(client.send("PUT /large HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                          std::to_string(large.size()) + "\r\n\r\n" + large));
  EXPECT_EQ(client.read_response().body(), "stored");
  ASSERT_TRUE(client.send("PUT /unread HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                          std::to_string(large.size()) + "\r\n\r\n" + large));
  EXPECT_EQ(client.read_response().body(), "stored");
  const auto totals = completions_.wait_for(3);
  ASSERT_EQ(totals.size(), 3u);
  EXPECT_EQ(totals[0].body_bytes_in, 1000u);
  EXPECT_EQ(totals[1].body_bytes_in, large.size());
  EXPECT_EQ(totals[2].body_bytes_in, large.size());
  for (const ExchangeTotals& each : totals) EXPECT_EQ(each.body_bytes_out, 6u);
}

// A small body sent with `Expect: 100-continue` gets its 100 Continue at once and is read
// whole before the handler runs: a handler that refuses without reading it still leaves the
// connection usable, and the exchange counts the body.
TEST_F(CompletionTest, ASmallBodyWithExpectIsReadBeforeTheHandler) {
  start([&](Request& request) {
    Response response = request.path == "/refuse" ? text_response(403, "denied")
                                                  : text_response(200, request.path);
    response.on_complete = completions_.hook();
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send(
      "PUT /refuse HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_EQ(client.read_response().result_int(), 100);
  ASSERT_TRUE(client.send("small"));
  const TestResponse refused = client.read_response();
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_NE(refused["Connection"], "close");
  ASSERT_TRUE(client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "/next");
  const auto totals = completions_.wait_for(2);
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].body_bytes_in + totals[1].body_bytes_in, 5u);
}

}  // namespace
}  // namespace cv::http::testing
