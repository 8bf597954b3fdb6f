// Slow and greedy clients: the idle, header and body deadlines, and the per-address
// connection cap. Deadlines are set to about a second so that nothing waits long; the
// trickling clients send a byte per interval and poll for the close, they never sleep to
// synchronise.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server_fixture.h"

namespace cv::http::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Sends `bytes` one byte per `interval` until the server closes the connection (true) or
// `limit` passes (false). `elapsed` gets the time from the first byte to the close.
bool trickle_until_closed(TestClient& client, std::string_view bytes, milliseconds interval,
                          milliseconds limit, Clock::duration& elapsed) {
  const auto start = Clock::now();
  size_t next = 0;
  bool closed = false;
  while (!closed && Clock::now() - start < limit) {
    // A failed send is a reset: the server has closed.
    if (next < bytes.size() && !client.send(bytes.substr(next++, 1))) closed = true;
    if (!closed) closed = client.closed_within(interval);
  }
  elapsed = Clock::now() - start;
  return closed;
}

TEST_F(ServerTest, HeaderDeadlineCutsATricklingHeader) {
  ServerOptions options;
  options.idle_timeout = seconds(30);
  options.header_timeout = seconds(1);
  options.read_timeout = seconds(30);
  std::atomic<int> calls = 0;
  start(
      [&](Request&) {
        ++calls;
        return text_response(200, "");
      },
      options);
  TestClient client(port());
  const std::string header = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(200, 'a');
  Clock::duration elapsed{};
  ASSERT_TRUE(trickle_until_closed(client, header, milliseconds(100), milliseconds(8000), elapsed));
  // Cut by header_timeout (1 s from the first byte), not idle_timeout or read_timeout (30 s).
  EXPECT_GE(elapsed, milliseconds(900));
  EXPECT_LT(elapsed, milliseconds(4000));
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, HeaderDeadlineStartsAtTheFirstByte) {
  ServerOptions options;
  options.idle_timeout = seconds(30);
  options.header_timeout = seconds(1);
  start([](Request&) { return text_response(200, "late but whole"); }, options);
  TestClient client(port());
  // Idle for longer than header_timeout: only idle_timeout applies before the first byte.
  EXPECT_FALSE(client.closed_within(milliseconds(1500)));
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "late but whole");
  // Kept alive between requests the same way.
  EXPECT_FALSE(client.closed_within(milliseconds(1500)));
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "late but whole");
}

TEST_F(ServerTest, TricklingSmallBodyIsCut) {
  ServerOptions options;
  options.idle_timeout = seconds(30);
  options.read_timeout = seconds(1);
  std::atomic<int> calls = 0;
  start(
      [&](Request&) {
        ++calls;
        return text_response(200, "");
      },
      options);
  TestClient client(port());
  ASSERT_TRUE(client.send("PUT /b/k HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n"));
  Clock::duration elapsed{};
  ASSERT_TRUE(trickle_until_closed(client, std::string(1000, 'b'), milliseconds(100),
                                   milliseconds(8000), elapsed));
  EXPECT_GE(elapsed, milliseconds(900));
  EXPECT_LT(elapsed, milliseconds(4000));
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, TricklingStreamedBodyIsCut) {
  ServerOptions options;
  options.idle_timeout = seconds(30);
  options.read_timeout = seconds(1);
  std::mutex mutex;
  std::string seen;
  start(
      [&](Request& request) {
        const std::string digest = digest_body(request, 4096);
        std::lock_guard lock(mutex);
        seen = digest;
        return text_response(200, digest);
      },
      options);
  TestClient client(port());
  // Large enough to stream to the handler (over 64 KiB); the first 100 KiB come at once.
  ASSERT_TRUE(client.send("PUT /b/k HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n" +
                          std::string(100 * 1024, 'b')));
  Clock::duration elapsed{};
  ASSERT_TRUE(trickle_until_closed(client, std::string(1000, 'b'), milliseconds(100),
                                   milliseconds(8000), elapsed));
  EXPECT_LT(elapsed, milliseconds(4000));
  // The handler's read failed (it may finish after the socket closed: poll for it).
  const auto deadline = Clock::now() + seconds(5);
  std::string result;
  while (result.empty() && Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      result = seen;
    }
    if (result.empty()) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(result, "error:RequestTimeout");
}

TEST_F(ServerTest, TricklingChunkedBodyIsCut) {
  ServerOptions options;
  options.idle_timeout = seconds(30);
  options.read_timeout = seconds(1);
  start([](Request& request) { return text_response(200, digest_body(request, 4096)); }, options);
  TestClient client(port());
  ASSERT_TRUE(client.send("PUT /b/k HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunks;
  for (int i = 0; i < 200; ++i) chunks += "1\r\nx\r\n";
  Clock::duration elapsed{};
  ASSERT_TRUE(trickle_until_closed(client, chunks, milliseconds(20), milliseconds(8000), elapsed));
  EXPECT_LT(elapsed, milliseconds(4000));
}

class ConnectionCapTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_connections_per_address = 4;
    options.log_error = [this](std::string_view message) {
      std::lock_guard lock(mutex_);
      logged_.emplace_back(message);
    };
    start([](Request& request) { return text_response(200, "hello " + request.remote_address); },
          options);
  }
  // A kept-alive connection known to the server (it has answered one request on it).
  std::unique_ptr<TestClient> open_served(const char* from) {
    auto client = std::make_unique<TestClient>(port(), from);
    EXPECT_TRUE(client->send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(client->read_response().body(), std::string("hello ") + from);
    return client;
  }
  std::vector<std::string> logged() {
    std::lock_guard lock(mutex_);
    return logged_;
  }

  std::mutex mutex_;
  std::vector<std::string> logged_;
};

TEST_F(ConnectionCapTest, OverTheCapIsRefusedAndOtherAddressesAreServed) {
  std::vector<std::unique_ptr<TestClient>> held;
  for (int i = 0; i < 4; ++i) held.push_back(open_served("127.0.0.1"));

  // Many more from the same address: each is answered 503 SlowDown and closed.
  for (int i = 0; i < 20; ++i) {
    TestClient over(port(), "127.0.0.1");
    const TestResponse refusal = over.read_response();
    EXPECT_EQ(refusal.result_int(), 503);
    EXPECT_NE(refusal.body().find("<Code>SlowDown</Code>"), std::string::npos);
    EXPECT_EQ(refusal["Connection"], "close");
    EXPECT_EQ(refusal["Retry-After"], "1");
    EXPECT_TRUE(over.closed_by_server());
  }
  // Another client address is served meanwhile, and the held connections still work.
  auto other = open_served("127.0.0.2");
  ASSERT_TRUE(held[0]->send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(held[0]->read_response().body(), "hello 127.0.0.1");

  const std::vector<std::string> lines = logged();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("127.0.0.1 refused"), std::string::npos) << lines[0];
  EXPECT_LT(lines.size(), 20u);  // at most one line a second

  // A closed connection frees its place (the server notices the close asynchronously).
  held.pop_back();
  const auto deadline = Clock::now() + seconds(5);
  bool served = false;
  while (!served && Clock::now() < deadline) {
    TestClient again(port(), "127.0.0.1");
    if (!again.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")) continue;
    served = again.read_response().result_int() == 200;
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, ZeroMeansNoPerAddressCap) {
  ServerOptions options;
  options.max_connections_per_address = 0;
  start([](Request&) { return text_response(200, "ok"); }, options);
  std::vector<std::unique_ptr<TestClient>> held;
  for (int i = 0; i < 300; ++i) {
    held.push_back(std::make_unique<TestClient>(port()));
    ASSERT_TRUE(held.back()->send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  }
  for (auto& client : held) ASSERT_EQ(client->read_response().body(), "ok");
}

}  // namespace
}  // namespace cv::http::testing
