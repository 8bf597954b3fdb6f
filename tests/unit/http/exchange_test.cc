#include "http/exchange.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <future>
#include <string>
#include <thread>

namespace cv::http {
namespace {

using Step = Exchange::NetworkStep;
using WaitFor = Exchange::WaitFor;

// Drives the network side of an Exchange the way the connection coroutine does, with parked
// continuations delivered through a promise instead of an event loop.
class FakeNetwork {
 public:
  explicit FakeNetwork(Exchange& exchange) : exchange_(exchange) {}

  // Waits for the next wake-up of the parked continuation.
  void park(WaitFor what) {
    std::promise<void> woken;
    auto future = woken.get_future();
    exchange_.park(what, [&woken] { woken.set_value(); });
    future.wait();
  }

  // Feeds `body` in pieces of `piece` bytes until the handler is done.
  void pump(const std::string& body, size_t piece) {
    size_t offset = 0;
    for (;;) {
      switch (exchange_.next_step()) {
        case Step::kHandlerDone:
          return;
        case Step::kWait:
          park(WaitFor::kHandlerOrBody);
          break;
        case Step::kReadBody: {
          auto buffer = exchange_.take_buffer();
          const size_t n = std::min({piece, exchange_.chunk_bytes(), body.size() - offset});
          std::memcpy(buffer.get(), body.data() + offset, n);
          offset += n;
          exchange_.push_body(std::move(buffer), n, offset == body.size());
          break;
        }
      }
    }
  }

 private:
  Exchange& exchange_;
};

std::string pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7) % 26);
  return out;
}

TEST(ExchangeTest, StreamsBodyToHandlerInSmallReads) {
  Exchange exchange(1000, 3);
  const std::string body = pattern(123457);
  exchange.begin_request(/*streaming_body=*/true, /*read_ahead=*/true);
  std::string received;
  std::thread worker([&] {
    char piece[77];
    for (;;) {
      Result<size_t> n = exchange.body_source().read(piece);
      ASSERT_TRUE(n.has_value());
      if (*n == 0) break;
      received.append(piece, *n);
    }
    exchange.finish_handler();
  });
  FakeNetwork(exchange).pump(body, 1000);
  worker.join();
  EXPECT_EQ(received, body);
}

TEST(ExchangeTest, QueueIsBounded) {
  Exchange exchange(10, 2);
  exchange.begin_request(true, true);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(exchange.next_step(), Step::kReadBody);
    exchange.push_body(exchange.take_buffer(), 10, false);
  }
  EXPECT_EQ(exchange.next_step(), Step::kWait);
  char out[10];
  ASSERT_EQ(exchange.body_source().read(out).value(), 10u);
  EXPECT_EQ(exchange.next_step(), Step::kReadBody);
}

TEST(ExchangeTest, WithoutReadAheadWaitsForFirstRead) {
  Exchange exchange(10, 2);
  exchange.begin_request(/*streaming_body=*/true, /*read_ahead=*/false);
  EXPECT_EQ(exchange.next_step(), Step::kWait);
  EXPECT_FALSE(exchange.body_demanded());
  std::thread worker([&] {
    char out[4];
    EXPECT_EQ(exchange.body_source().read(out).value(), 4u);
    exchange.finish_handler();
  });
  FakeNetwork network(exchange);
  network.park(WaitFor::kHandlerOrBody);  // woken by the first read
  EXPECT_TRUE(exchange.body_demanded());
  network.pump("hello", 10);
  worker.join();
}

TEST(ExchangeTest, HandlerDoneWithoutReadingWakesNetwork) {
  Exchange exchange(10, 2);
  exchange.begin_request(true, false);
  std::thread worker([&] { exchange.finish_handler(); });
  FakeNetwork(exchange).park(WaitFor::kHandlerOrBody);
  worker.join();
  EXPECT_EQ(exchange.next_step(), Step::kHandlerDone);
  EXPECT_FALSE(exchange.body_demanded());
}

TEST(ExchangeTest, FailureReachesReaderAfterQueuedBytes) {
  Exchange exchange(10, 4);
  exchange.begin_request(true, true);
  auto buffer = exchange.take_buffer();
  std::memcpy(buffer.get(), "abc", 3);
  exchange.push_body(std::move(buffer), 3, false);
  exchange.fail_body(Error{ErrorCode::kRequestTimeout, "slow", {}});
  char out[10];
  EXPECT_EQ(exchange.body_source().read(out).value(), 3u);
  Result<size_t> failed = exchange.body_source().read(out);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kRequestTimeout);
  EXPECT_EQ(exchange.next_step(), Step::kWait);
}

TEST(ExchangeTest, EmptyBodyEndsAtOnce) {
  Exchange exchange(10, 4);
  exchange.begin_request(true, true);
  exchange.push_body(exchange.take_buffer(), 0, true);
  char out[10];
  EXPECT_EQ(exchange.body_source().read(out).value(), 0u);
  EXPECT_EQ(exchange.next_step(), Step::kWait);
}

TEST(ExchangeTest, FillCompletionWakesParkedNetwork) {
  Exchange exchange(10, 4);
  exchange.begin_request(false, false);
  exchange.begin_fill();
  std::thread worker([&] { exchange.finish_fill(42, true); });
  FakeNetwork(exchange).park(WaitFor::kFill);
  worker.join();
  EXPECT_EQ(exchange.fill_result().bytes, 42u);
  EXPECT_TRUE(exchange.fill_result().ok);
}

TEST(ExchangeTest, ParkFiresAtOnceWhenAlreadyReady) {
  Exchange exchange(10, 4);
  exchange.begin_request(false, false);
  exchange.finish_handler();
  bool fired = false;
  exchange.park(WaitFor::kHandlerOrBody, [&] { fired = true; });
  EXPECT_TRUE(fired);
}

}  // namespace
}  // namespace cv::http
