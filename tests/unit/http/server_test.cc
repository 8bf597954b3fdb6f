// The server end to end over loopback: request fields, responses, keep-alive, errors,
// timeouts, concurrency.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server_fixture.h"

namespace cv::http::testing {
namespace {

std::string get(std::string_view target, std::string_view extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

TEST_F(ServerTest, GetReturnsStringBodyAndRequestFields) {
  std::string seen_request_id;
  start([&](Request& request) {
    seen_request_id = request.request_id;
    std::string description = request.method + " " + request.path + " " + request.query + " " +
                              request.remote_address + " " +
                              std::string(request.headers.get("x-custom"));
    for (const auto& [name, value] : request.params) description += " [" + name + "=" + value + "]";
    EXPECT_FALSE(request.content_length.has_value());
    EXPECT_EQ(read_all(*request.body, 10).value(), "");
    return text_response(200, description);
  });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/bucket/a%20key?list-type=2&prefix=a%2Fb&x", "X-Custom: Yes\r\n")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(),
            "GET /bucket/a%20key list-type=2&prefix=a%2Fb&x 127.0.0.1 Yes [list-type=2] "
            "[prefix=a/b] [x=]");
  EXPECT_EQ(response["Content-Type"], "text/plain");
  EXPECT_EQ(response["Server"], "CloudVault");
  EXPECT_FALSE(response["Date"].empty());
  EXPECT_EQ(response["x-amz-request-id"].size(), 16u);
  EXPECT_EQ(response["x-amz-request-id"], seen_request_id);
  EXPECT_TRUE(response.keep_alive());
}

TEST_F(ServerTest, HeadSendsContentLengthWithoutBody) {
  start([](Request& request) {
    Response response;
    if (request.method == "HEAD") {
      response.content_length = 12345;
      response.headers.add("etag", "\"e\"");
    } else {
      response.body = "after";
    }
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("HEAD /b/k HTTP/1.1\r\nHost: t\r\n\r\n"));
  const TestResponse head = client.read_response(/*head=*/true);
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head["Content-Length"], "12345");
  EXPECT_EQ(head["ETag"], "\"e\"");
  // No body bytes were sent: the next response on the connection parses cleanly.
  ASSERT_TRUE(client.send(get("/next")));
  EXPECT_EQ(client.read_response().body(), "after");
}

TEST_F(ServerTest, KeepAliveServes100RequestsOnOneConnection) {
  std::atomic<int> calls = 0;
  start([&](Request& request) {
    ++calls;
    return text_response(200, "n=" + std::string(request.query));
  });
  TestClient client(port());
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(client.send(get("/k?" + std::to_string(i))));
    const TestResponse response = client.read_response();
    ASSERT_EQ(response.body(), "n=" + std::to_string(i));
  }
  EXPECT_EQ(calls.load(), 100);
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  start([](Request& request) { return text_response(200, request.path); });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/one") + get("/two") + get("/three")));
  EXPECT_EQ(client.read_response().body(), "/one");
  EXPECT_EQ(client.read_response().body(), "/two");
  EXPECT_EQ(client.read_response().body(), "/three");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  start([](Request&) { return text_response(200, "bye"); });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/", "Connection: close\r\n")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.body(), "bye");
  EXPECT_EQ(response["Connection"], "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  start([](Request&) { return text_response(200, "old"); });
  {
    TestClient client(port());
    ASSERT_TRUE(client.send("GET / HTTP/1.0\r\n\r\n"));
    EXPECT_EQ(client.read_response().body(), "old");
    EXPECT_TRUE(client.closed_by_server());
  }
  TestClient client(port());
  ASSERT_TRUE(client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response["Connection"], "keep-alive");
  ASSERT_TRUE(client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "old");
}

TEST_F(ServerTest, MalformedRequestGets400AndClose) {
  std::atomic<int> calls = 0;
  start([&](Request&) {
    ++calls;
    return text_response(200, "");
  });
  TestClient client(port());
  ASSERT_TRUE(client.send("GET /path HTTP/9.9 junk\r\n\r\n"));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("<Code>BadRequest</Code>"), std::string::npos);
  EXPECT_EQ(response["Connection"], "close");
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(calls.load(), 0);
}

// Request smuggling (RFC 9112 §6.1, §6.3, §5.2, §3.2): a request whose framing is ambiguous
// is answered 400 BadRequest with Connection: close and the connection is closed, so the
// request hidden in its "body" is never read, let alone served.
class FramingTest : public ServerTest {
 protected:
  void SetUp() override {
    start([this](Request& request) {
      std::lock_guard lock(mutex_);
      targets_.push_back(request.target);
      return text_response(200, "served " + request.target);
    });
  }
  std::vector<std::string> targets() {
    std::lock_guard lock(mutex_);
    return targets_;
  }
  // Sends `wire`; the answer must be a 400 BadRequest saying `message_part`, then EOF; the
  // handler must not have run for anything.
  void expect_refused(const std::string& wire, std::string_view message_part) {
    TestClient client(port());
    ASSERT_TRUE(client.send(wire));
    const TestResponse response = client.read_response();
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("<Code>BadRequest</Code>"), std::string::npos)
        << response.body();
    EXPECT_NE(response.body().find(message_part), std::string::npos) << response.body();
    EXPECT_EQ(response["Connection"], "close");
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_EQ(targets(), std::vector<std::string>());
    // The server is fine for the next client.
    TestClient next(port());
    ASSERT_TRUE(next.send(get("/next")));
    EXPECT_EQ(next.read_response().body(), "served /next");
  }

  std::mutex mutex_;
  std::vector<std::string> targets_;
};

constexpr std::string_view kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

std::string probe(std::string_view request_line, std::string_view fields) {
  return std::string(request_line) + "\r\n" + std::string(fields) + "\r\n" + std::string(kSmuggled);
}

TEST_F(FramingTest, TransferEncodingGzipIsRefused) {
  expect_refused(probe("POST /probe HTTP/1.1", "Host: x\r\nTransfer-Encoding: gzip\r\n"),
                 "Transfer-Encoding must be exactly");
}

TEST_F(FramingTest, TransferEncodingGzipWithContentLengthIsRefused) {
  expect_refused(
      probe("POST /probe HTTP/1.1", "Host: x\r\nTransfer-Encoding: gzip\r\nContent-Length: 0\r\n"),
      "Transfer-Encoding");
}

TEST_F(FramingTest, ChunkedNotLastIsRefused) {
  expect_refused(
      probe("POST /probe HTTP/1.1", "Host: x\r\nTransfer-Encoding: chunked, identity\r\n"),
      "Transfer-Encoding must be exactly");
}

TEST_F(FramingTest, ChunkedNotLastWithContentLengthIsRefused) {
  expect_refused(probe("POST /probe HTTP/1.1",
                       "Host: x\r\nTransfer-Encoding: chunked, identity\r\nContent-Length: 0\r\n"),
                 "Transfer-Encoding");
}

TEST_F(FramingTest, ContentLengthThenChunkedIsRefused) {
  expect_refused(probe("POST /probe HTTP/1.1",
                       "Host: x\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n"),
                 "");
}

TEST_F(FramingTest, ObsFoldIsRefused) {
  expect_refused(
      probe("POST /probe HTTP/1.1", "Host: x\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n"),
      "folded");
}

TEST_F(FramingTest, FoldedTransferEncodingIsRefused) {
  expect_refused(probe("POST /probe HTTP/1.1",
                       "Host: x\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 0\r\n"),
                 "folded");
}

TEST_F(FramingTest, ContentLengthListIsRefused) {
  expect_refused("POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello" +
                     std::string(kSmuggled),
                 "at most one Content-Length");
}

TEST_F(FramingTest, TwoContentLengthFieldsAreRefused) {
  expect_refused(
      "POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello" +
          std::string(kSmuggled),
      "at most one Content-Length");
}

TEST_F(FramingTest, NonNumericContentLengthIsRefused) {
  expect_refused(probe("POST /probe HTTP/1.1", "Host: x\r\nContent-Length: abc\r\n"), "");
}

TEST_F(FramingTest, MissingHostIsRefused) {
  expect_refused(probe("GET /probe HTTP/1.1", ""), "Host");
}

TEST_F(FramingTest, TwoHostFieldsAreRefused) {
  expect_refused(probe("GET /probe HTTP/1.1", "Host: x\r\nHost: y\r\n"), "one Host");
}

TEST_F(FramingTest, TransferEncodingInHttp10IsRefused) {
  expect_refused("POST /probe HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                     std::string(kSmuggled),
                 "HTTP/1.0");
}

TEST_F(FramingTest, WellFramedRequestsStillPass) {
  TestClient client(port());
  ASSERT_TRUE(client.send(
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET /c HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(client.read_response().body(), "served /a");
  EXPECT_EQ(client.read_response().body(), "served /b");
  EXPECT_EQ(client.read_response().body(), "served /c");
  EXPECT_EQ(targets(), (std::vector<std::string>{"/a", "/b", "/c"}));
}

TEST_F(ServerTest, BinaryGarbageNeverCrashes) {
  start([](Request&) { return text_response(200, "ok"); });
  for (int round = 0; round < 20; ++round) {
    TestClient client(port());
    std::string garbage;
    for (int i = 0; i < 300; ++i) garbage.push_back(static_cast<char>((i * 37 + round * 11) % 256));
    client.send(garbage + "\r\n\r\n");
    client.read_until_close();
  }
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_response().body(), "ok");
}

TEST_F(ServerTest, OversizedHeaderIsRejected) {
  ServerOptions options;
  options.max_header_bytes = 8 * 1024;
  start([](Request&) { return text_response(200, "no"); }, options);
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/", "X-Big: " + std::string(20000, 'a') + "\r\n")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("RequestHeaderSectionTooLarge"), std::string::npos);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, MalformedQueryGetsInvalidUri) {
  std::atomic<int> calls = 0;
  start([&](Request&) {
    ++calls;
    return text_response(200, "");
  });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/b/k?prefix=%zz")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(response.body().find("<Code>InvalidURI</Code>"), std::string::npos);
  EXPECT_NE(response.body().find("<RequestId>" + std::string(response["x-amz-request-id"])),
            std::string::npos);
  EXPECT_EQ(calls.load(), 0);
  // The connection is still usable.
  ASSERT_TRUE(client.send(get("/b/k?prefix=ok")));
  EXPECT_EQ(client.read_response().result_int(), 200);
}

TEST_F(ServerTest, HandlerExceptionGives500) {
  start([](Request& request) -> Response {
    if (request.path == "/throw") throw std::runtime_error("boom");
    return text_response(200, "fine");
  });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/throw")));
  const TestResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_NE(response.body().find("<Code>InternalError</Code>"), std::string::npos);
  ASSERT_TRUE(client.send(get("/ok")));
  EXPECT_EQ(client.read_response().body(), "fine");
}

TEST_F(ServerTest, BodylessStatusesSendNoBody) {
  start([](Request& request) {
    Response response = text_response(request.path == "/304" ? 304 : 204, "ignored");
    return response;
  });
  TestClient client(port());
  ASSERT_TRUE(client.send(get("/304")));
  const TestResponse not_modified = client.read_response();
  EXPECT_EQ(not_modified.result_int(), 304);
  EXPECT_EQ(not_modified.body(), "");
  ASSERT_TRUE(client.send(get("/204")));
  const TestResponse no_content = client.read_response();
  EXPECT_EQ(no_content.result_int(), 204);
  EXPECT_EQ(no_content.body(), "");
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  start([](Request&) { return text_response(200, ""); }, options);
  TestClient client(port());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, ConcurrentClients) {
  start([](Request& request) {
    if (request.method == "PUT") return text_response(200, digest_body(request, 1000));
    return text_response(200, "get " + request.path);
  });
  constexpr int kClients = 32;
  constexpr int kRounds = 25;
  std::atomic<int> good = 0;
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      TestClient client(port());
      const std::string body = pattern(4096 + c);
      for (int r = 0; r < kRounds; ++r) {
        const std::string path = "/c" + std::to_string(c) + "/" + std::to_string(r);
        if (!client.send("PUT " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body)) {
          return;
        }
        if (client.read_response().body() != expected_digest(body)) return;
        if (!client.send(get(path))) return;
        if (client.read_response().body() != "get " + path) return;
        ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), kClients * kRounds);
}

TEST_F(ServerTest, StartTwiceThrowsAndStopIsIdempotent) {
  start([](Request&) { return text_response(200, ""); });
  EXPECT_NE(port(), 0);
  EXPECT_THROW(server_->start(), std::logic_error);
  server_->stop();
  server_->stop();
  server_->wait();
}

TEST(ServerStartTest, BindFailureThrows) {
  FunctionHandler handler;
  ServerOptions options;
  options.port = 0;
  Server first(options, handler);
  first.start();
  options.port = first.port();
  Server second(options, handler);
  EXPECT_THROW(second.start(), std::system_error);
  options.listen_address = "not an address";
  Server third(options, handler);
  EXPECT_THROW(third.start(), std::system_error);
}

}  // namespace
}  // namespace cv::http::testing
