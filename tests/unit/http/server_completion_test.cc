// Response::on_complete: called once per exchange, after the response went out, with the body
// bytes that went each way (a streamed body counts what the socket took, not what was
// announced) and the request's arrival time set.
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <utility>
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

  // Completions may run in another order than their exchanges ended (completion_batcher.h):
  // the GET's goes through the batcher, the HEAD's runs on the worker that wrote it.
  auto totals = completions_.wait_for(2);
  ASSERT_EQ(totals.size(), 2u);
  if (totals[0].body_bytes_out == 0) std::swap(totals[0], totals[1]);
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

// In-memory responses on plain TCP are written by the worker that ran the handler (one
// hand-off): a body larger than the socket takes at once is finished by the connection, and
// every exchange still gets its completion with the right totals, also for a small body sent
// with `Expect: 100-continue` (read whole before the handler runs).
TEST_F(CompletionTest, WorkerWrittenResponsesArriveWholeAndComplete) {
  const std::string big = pattern(24 << 20);  // far beyond a loopback socket's send buffer
  std::mutex mutex;
  std::map<std::string, ExchangeTotals> by_path;  // the method is part of the label
  start([&](Request& request) {
    Response response =
        request.path == "/big" ? text_response(200, big) : text_response(200, request.path);
    if (request.method == "PUT") digest_body(request, 4096);
    auto hook = completions_.hook();
    response.on_complete = [&, label = request.method + " " + request.path,
                            hook = std::move(hook)](const ExchangeTotals& totals) mutable {
      {
        std::lock_guard lock(mutex);
        by_path.emplace(label, totals);
      }
      hook(totals);
    };
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse first = client.read_response();
  ASSERT_EQ(first.body().size(), big.size());
  EXPECT_TRUE(first.body() == big);
  for (int i = 0; i < 20; ++i) {
    const std::string path = "/k" + std::to_string(i);
    ASSERT_TRUE(client.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(client.read_response().body(), path);
  }
  ASSERT_TRUE(client.send(
      "PUT /put HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_EQ(client.read_response().result_int(), 100);
  ASSERT_TRUE(client.send("small"));
  EXPECT_EQ(client.read_response().body(), "/put");
  ASSERT_TRUE(client.send("HEAD /k HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response(/*head=*/true)["Content-Length"], "2");

  ASSERT_EQ(completions_.wait_for(23).size(), 23u);
  std::lock_guard lock(mutex);
  ASSERT_EQ(by_path.size(), 23u);
  EXPECT_EQ(by_path["GET /big"].body_bytes_out, big.size());
  for (int i = 0; i < 20; ++i) {
    const std::string path = "/k" + std::to_string(i);
    EXPECT_EQ(by_path["GET " + path].body_bytes_out, path.size());
    EXPECT_EQ(by_path["GET " + path].body_bytes_in, 0u);
  }
  EXPECT_EQ(by_path["PUT /put"].body_bytes_in, 5u);
  EXPECT_EQ(by_path["PUT /put"].body_bytes_out, 4u);
  EXPECT_EQ(by_path["HEAD /k"].body_bytes_out, 0u);  // HEAD: no body goes out
}

}  // namespace
}  // namespace cv::http::testing
