// The metrics registry: request samples land in bounded series, and the exposition is
// Prometheus' text format.
#include "core/metrics.h"

#include <gtest/gtest.h>

namespace cv {
namespace {

TEST(Metrics, StatusClassesAreBounded) {
  EXPECT_EQ(Metrics::status_class(200), "2xx");
  EXPECT_EQ(Metrics::status_class(304), "3xx");
  EXPECT_EQ(Metrics::status_class(404), "4xx");
  EXPECT_EQ(Metrics::status_class(503), "5xx");
  EXPECT_EQ(Metrics::status_class(101), "other");
  EXPECT_EQ(Metrics::status_class(-1), "other");
}

TEST(Metrics, RequestsAreCountedBySeries) {
  Metrics metrics;
  metrics.observe_request({"s3", "PutObject", 200, 0.003, 10, 0});
  metrics.observe_request({"s3", "PutObject", 200, 0.2, 20, 0});
  metrics.observe_request({"s3", "PutObject", 503, 0.001, 0, 100});
  metrics.observe_request({"", "", 404, 0.001, 0, 0});
  const std::string text = metrics.exposition();
  EXPECT_NE(text.find("cloudvault_requests_total{api=\"s3\",operation=\"PutObject\","
                      "status_class=\"2xx\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("status_class=\"5xx\"} 1"), std::string::npos);
  EXPECT_NE(text.find("cloudvault_requests_total{api=\"other\",operation=\"UnknownOperation\","
                      "status_class=\"4xx\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("cloudvault_request_body_bytes_received_total{api=\"s3\","
                      "operation=\"PutObject\"} 30"),
            std::string::npos);
  EXPECT_NE(text.find("cloudvault_request_duration_seconds_bucket{api=\"s3\","
                      "operation=\"PutObject\",le=\"0.005\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE cloudvault_request_duration_seconds histogram"), std::string::npos);
}

TEST(Metrics, InFlightAndAuthenticationFailures) {
  Metrics metrics;
  metrics.request_started();
  metrics.request_started();
  metrics.request_finished();
  metrics.authentication_failed("s3");
  const std::string text = metrics.exposition();
  EXPECT_NE(text.find("cloudvault_requests_in_flight 1"), std::string::npos) << text;
  EXPECT_NE(text.find("cloudvault_authentication_failures_total{api=\"s3\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace cv
