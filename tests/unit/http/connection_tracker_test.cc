#include "http/connection_tracker.h"

#include <gtest/gtest.h>

#include <memory>

namespace cv::http {
namespace {

class Dummy final : public Closeable {
 public:
  void request_close(bool) override { ++close_requests; }
  int close_requests = 0;
};

TEST(ConnectionTrackerTest, CountsConnectionsPerAddress) {
  ConnectionTracker tracker(2);
  auto connection = std::make_shared<Dummy>();
  const auto a1 = tracker.add(connection, "10.0.0.1");
  const auto a2 = tracker.add(connection, "10.0.0.1");
  const auto a3 = tracker.add(connection, "10.0.0.1");
  const auto b1 = tracker.add(connection, "10.0.0.2");
  EXPECT_FALSE(a1.over_address_limit);
  EXPECT_FALSE(a2.over_address_limit);
  EXPECT_TRUE(a3.over_address_limit);
  EXPECT_FALSE(b1.over_address_limit);
  EXPECT_NE(a3.id, 0u);  // refused, but tracked until it has answered and closed
  EXPECT_EQ(tracker.size(), 4u);
  EXPECT_EQ(tracker.count_for("10.0.0.1"), 2u);
  EXPECT_EQ(tracker.count_for("10.0.0.2"), 1u);

  tracker.remove(a3.id);  // a refused one frees nothing
  EXPECT_EQ(tracker.count_for("10.0.0.1"), 2u);
  EXPECT_TRUE(tracker.add(connection, "10.0.0.1").over_address_limit);
  tracker.remove(a1.id);
  EXPECT_EQ(tracker.count_for("10.0.0.1"), 1u);
  EXPECT_FALSE(tracker.add(connection, "10.0.0.1").over_address_limit);
}

TEST(ConnectionTrackerTest, CountsEveryConnectionAdmittedSinceItWasMade) {
  ConnectionTracker tracker(1);
  auto connection = std::make_shared<Dummy>();
  EXPECT_EQ(tracker.admitted(), 0u);
  const auto first = tracker.add(connection, "10.0.0.1");
  tracker.add(connection, "10.0.0.1");  // over the limit: refused, still counted
  tracker.remove(first.id);             // closing one does not take it back
  EXPECT_EQ(tracker.admitted(), 2u);
  EXPECT_EQ(tracker.size(), 1u);
}

TEST(ConnectionTrackerTest, ZeroMeansUnlimited) {
  ConnectionTracker tracker(0);
  auto connection = std::make_shared<Dummy>();
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(tracker.add(connection, "10.0.0.1").over_address_limit);
  }
  EXPECT_EQ(tracker.size(), 1000u);
}

TEST(ConnectionTrackerTest, ClosingRefusesNewConnectionsAndAsksLiveOnesToClose) {
  ConnectionTracker tracker(4);
  auto connection = std::make_shared<Dummy>();
  const auto admitted = tracker.add(connection, "10.0.0.1");
  tracker.close_all(false);
  EXPECT_EQ(connection->close_requests, 1);
  EXPECT_EQ(tracker.add(connection, "10.0.0.1").id, 0u);
  tracker.remove(admitted.id);
  EXPECT_TRUE(tracker.wait_until_empty(std::chrono::seconds(0)));
  EXPECT_EQ(tracker.count_for("10.0.0.1"), 0u);
}

TEST(ConnectionTrackerTest, RefusalReportsAreRateLimited) {
  ConnectionTracker tracker(1);
  const auto start = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  uint64_t suppressed = 99;
  EXPECT_TRUE(tracker.should_report_refusal(start, std::chrono::seconds(1), suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_FALSE(tracker.should_report_refusal(start + std::chrono::milliseconds(10),
                                             std::chrono::seconds(1), suppressed));
  EXPECT_FALSE(tracker.should_report_refusal(start + std::chrono::milliseconds(20),
                                             std::chrono::seconds(1), suppressed));
  EXPECT_TRUE(tracker.should_report_refusal(start + std::chrono::seconds(2),
                                            std::chrono::seconds(1), suppressed));
  EXPECT_EQ(suppressed, 2u);
}

}  // namespace
}  // namespace cv::http
