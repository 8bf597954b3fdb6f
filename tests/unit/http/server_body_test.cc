// Request and response bodies through the server: streamed uploads, chunked encoding,
// Expect: 100-continue, unread bodies, streamed downloads, and graceful shutdown.
#include <future>
#include <thread>

#include "http/server_fixture.h"

namespace cv::http::testing {
namespace {

std::string put_head(std::string_view target, uint64_t length, std::string_view extra = {}) {
  return "PUT " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(length) + "\r\n" +
         std::string(extra) + "\r\n";
}

Response digest_response(Request& request, size_t piece) {
  Response response = text_response(200, digest_body(request, piece));
  response.headers.add("x-seen-length", request.content_length
                                            ? std::to_string(*request.content_length)
                                            : std::string("none"));
  return response;
}

TEST_F(ServerTest, SmallPutBodyReachesHandler) {
  start([](Request& request) { return digest_response(request, 100); });
  TestClient client(port());
  const std::string body = pattern(4096);
  ASSERT_TRUE(client.send(put_head("/b/small", body.size()) + body));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), expected_digest(body));
  EXPECT_EQ(response["x-seen-length"], "4096");
}

TEST_F(ServerTest, LargePutStreamsToHandlerInSmallReads) {
  start([](Request& request) { return digest_response(request, 1000); });
  TestClient client(port());
  const std::string body = pattern(10 << 20);
  ASSERT_TRUE(client.send(put_head("/b/big", body.size())));
  ASSERT_TRUE(client.send(body));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), expected_digest(body));
  EXPECT_EQ(response["x-seen-length"], std::to_string(body.size()));
  // The connection is reusable after a streamed body.
  ASSERT_TRUE(client.send(put_head("/b/again", 3) + "xyz"));
  EXPECT_EQ(client.read_response().body(), expected_digest("xyz"));
}

TEST_F(ServerTest, ChunkedUploadIsDechunked) {
  start([](Request& request) { return digest_response(request, 4096); });
  TestClient client(port());
  const std::string body = pattern(700 * 1024 + 3);
  std::string wire = "PUT /b/chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  size_t offset = 0;
  size_t size = 1;
  while (offset < body.size()) {
    const size_t n = std::min(size, body.size() - offset);
    char hex[32];
    std::snprintf(hex, sizeof hex, "%zx", n);
    wire += std::string(hex) + "\r\n" + body.substr(offset, n) + "\r\n";
    offset += n;
    size = size * 3 + 7;
  }
  wire += "0\r\n\r\n";
  ASSERT_TRUE(client.send(wire));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), expected_digest(body));
  EXPECT_EQ(response["x-seen-length"], "none");
  ASSERT_TRUE(client.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().result_int(), 200);
}

TEST_F(ServerTest, BadChunkEncodingFailsTheHandlersRead) {
  std::promise<std::string> seen;
  start([&](Request& request) {
    seen.set_value(digest_body(request, 1024));
    return text_response(400, "bad");
  });
  TestClient client(port());
  ASSERT_TRUE(
      client.send("PUT /b/k HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\nZZZ\r\n"));
  EXPECT_EQ(seen.get_future().get(), "error:IncompleteBody");
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response["Connection"], "close");
}

TEST_F(ServerTest, ExpectContinueSentWhenHandlerReads) {
  start([](Request& request) { return digest_response(request, 5000); });
  TestClient client(port());
  const std::string body = pattern(300000);
  ASSERT_TRUE(client.send(put_head("/b/k", body.size(), "Expect: 100-continue\r\n")));
  const TestResponse interim = client.read_response();
  EXPECT_EQ(interim.result_int(), 100);
  ASSERT_TRUE(client.send(body));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), expected_digest(body));
  // A small body with Expect gets its 100 Continue at once and is read before the handler.
  ASSERT_TRUE(client.send(put_head("/b/k", 5, "Expect: 100-continue\r\n")));
  EXPECT_EQ(client.read_response().result_int(), 100);
  ASSERT_TRUE(client.send("small"));
  EXPECT_EQ(client.read_response().body(), expected_digest("small"));
}

TEST_F(ServerTest, ExpectContinueNotSentWhenHandlerRejects) {
  start([](Request&) { return text_response(403, "denied"); });
  TestClient client(port());
  ASSERT_TRUE(client.send(put_head("/b/k", 1 << 20, "Expect: 100-continue\r\n")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 403);
  EXPECT_EQ(response.body(), "denied");
  EXPECT_EQ(response["Connection"], "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, IgnoredLargeBodyClosesConnectionAfterCorrectResponse) {
  start([](Request&) { return text_response(200, "ignored"); });
  TestClient client(port());
  const std::string body = pattern(10 << 20);
  ASSERT_TRUE(client.send(put_head("/b/k", body.size())));
  client.send(body);  // the server may stop reading before the end
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "ignored");
  EXPECT_EQ(response["Connection"], "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, IgnoredSmallerBodyIsDrainedAndConnectionKept) {
  start([](Request& request) { return text_response(200, "ignored " + request.path); });
  TestClient client(port());
  const std::string body = pattern(512 * 1024);
  ASSERT_TRUE(client.send(put_head("/one", body.size()) + body));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), "ignored /one");
  EXPECT_TRUE(response.keep_alive());
  ASSERT_TRUE(client.send("GET /two HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "ignored /two");
}

TEST_F(ServerTest, BodyOverLimitIsRejected) {
  ServerOptions options;
  options.max_body_bytes = 1 << 20;
  start([](Request&) { return text_response(200, "no"); }, options);
  TestClient client(port());
  ASSERT_TRUE(client.send(put_head("/b/k", 2 << 20)));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("<Code>EntityTooLarge</Code>"), std::string::npos);
  EXPECT_EQ(response["Connection"], "close");
}

TEST_F(ServerTest, StreamedResponseOf50MiB) {
  static constexpr uint64_t kSize = 50ull << 20;
  start([](Request&) {
    Response response;
    response.headers.add("content-type", "application/octet-stream");
    response.stream = std::make_unique<PatternSource>(kSize);
    response.content_length = kSize;
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/big HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response["Content-Length"], std::to_string(kSize));
  ASSERT_EQ(response.body().size(), kSize);
  EXPECT_TRUE(response.body() == pattern(kSize));
  // Streamed and small responses mix on one connection.
  ASSERT_TRUE(client.send("GET /b/big HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body().size(), kSize);
}

TEST_F(ServerTest, SmallAndEmptyStreamedResponses) {
  start([](Request& request) {
    const uint64_t size = request.path == "/empty" ? 0 : 1000;
    Response response;
    response.stream = std::make_unique<PatternSource>(size);
    response.content_length = size;
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /small HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), pattern(1000));
  ASSERT_TRUE(client.send("GET /empty HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse empty = client.read_response();
  EXPECT_EQ(empty["Content-Length"], "0");
  EXPECT_EQ(empty.body(), "");
  ASSERT_TRUE(client.send("HEAD /small HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response(/*head=*/true)["Content-Length"], "1000");
  ASSERT_TRUE(client.send("GET /small HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), pattern(1000));
}

TEST_F(ServerTest, FailingStreamTruncatesAndCloses) {
  start([](Request&) {
    Response response;
    response.stream = std::make_unique<PatternSource>(10 << 20, 3 << 20);
    response.content_length = 10 << 20;
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_THROW(client.read_response(), std::runtime_error);
}

TEST_F(ServerTest, StopFinishesRequestInFlight) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  start([&](Request&) {
    entered.set_value();
    released.wait();
    return text_response(200, "finished");
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();

  std::atomic<bool> stop_returned = false;
  std::thread stopper([&] {
    server_->stop();
    stop_returned = true;
  });
  // The listener closes after stop() has asked connections to finish; only then let the
  // handler return.
  for (int attempt = 0;; ++attempt) {
    ASSERT_LT(attempt, 100000) << "listener never closed";
    try {
      TestClient probe(port());
    } catch (const std::runtime_error&) {
      break;
    }
  }
  EXPECT_FALSE(stop_returned.load());
  release.set_value();
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), "finished");
  EXPECT_EQ(response["Connection"], "close");
  stopper.join();
  EXPECT_TRUE(stop_returned.load());
}

TEST_F(ServerTest, StopClosesIdleConnections) {
  start([](Request&) { return text_response(200, "x"); });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "x");
  server_->stop();
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, StopAfterGraceAbandonsSlowResponse) {
  ServerOptions options;
  options.shutdown_grace = std::chrono::seconds(1);
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  start(
      [&](Request&) {
        entered.set_value();
        released.wait();
        return text_response(200, "too late");
      },
      options);
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();
  std::thread stopper([&] { server_->stop(); });
  // After the grace period the socket is closed although the handler still runs.
  EXPECT_EQ(client.read_until_close(), "");
  release.set_value();
  stopper.join();
}

}  // namespace
}  // namespace cv::http::testing
