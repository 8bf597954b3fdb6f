// The /proc parsers behind the process metrics, and the families the collector reports.
#include "core/process_stats.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "core/metrics.h"
#include "core/process_collector.h"

namespace cv {
namespace {

// A /proc/<pid>/stat line whose command name holds spaces and parentheses.
constexpr std::string_view kStatLine =
    "4242 (cloud vault) (x)) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 130 0 0 20 0 17 0 "
    "123400 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessStats, ParsesTheStatLine) {
  const auto stat = parse_process_stat(kStatLine, 100, 4096);
  ASSERT_TRUE(stat);
  EXPECT_DOUBLE_EQ(stat->cpu_seconds, 3.8);  // (250 + 130) / 100
  EXPECT_EQ(stat->threads, 17);
  EXPECT_DOUBLE_EQ(stat->started_after_boot, 1234.0);
  EXPECT_EQ(stat->virtual_bytes, 987654321u);
  EXPECT_EQ(stat->resident_bytes, 2048u * 4096u);
}

TEST(ProcessStats, RefusesATruncatedOrAlienLine) {
  EXPECT_FALSE(parse_process_stat("4242 (cloudvault) S 1 4242", 100, 4096));
  EXPECT_FALSE(parse_process_stat("no parenthesis here", 100, 4096));
  EXPECT_FALSE(parse_process_stat(kStatLine, 0, 4096));
  std::string bad(kStatLine);
  bad.replace(bad.find(" 250 "), 5, " xx ");
  EXPECT_FALSE(parse_process_stat(bad, 100, 4096));
}

TEST(ProcessStats, ParsesHostCpuAndBootTime) {
  const auto cpu = parse_host_cpu(
      "cpu  100 20 30 400 50 6 7 8 9 0\n"
      "cpu0 50 10 15 200 25 3 3 4 0 0\n"
      "intr 1 2 3\n"
      "btime 1765000000\n"
      "processes 99\n",
      100);
  ASSERT_TRUE(cpu);
  EXPECT_DOUBLE_EQ(cpu->busy_seconds, (100 + 20 + 30 + 6 + 7 + 8) / 100.0);
  EXPECT_DOUBLE_EQ(cpu->idle_seconds, (400 + 50) / 100.0);
  EXPECT_EQ(cpu->boot_time, 1765000000);
}

TEST(ProcessStats, HostCpuNeedsTheCpuLineAndBootTime) {
  EXPECT_FALSE(parse_host_cpu("btime 1765000000\n", 100));
  EXPECT_FALSE(parse_host_cpu("cpu  100 20 30 400 50 6 7 8\n", 100));
  EXPECT_FALSE(parse_host_cpu("cpu  100 20 30\nbtime 1\n", 100));
}

TEST(ProcessStats, ReadsThisProcess) {
  const auto snapshot = read_process_snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_GT(snapshot->stat.threads, 0);
  EXPECT_GT(snapshot->stat.resident_bytes, 0u);
  EXPECT_GT(snapshot->open_fds, 2u);  // stdin, stdout, stderr at least
  EXPECT_GE(snapshot->max_fds, snapshot->open_fds);
  EXPECT_GT(snapshot->start_time_seconds, 1.6e9);
  EXPECT_GT(snapshot->host.busy_seconds + snapshot->host.idle_seconds, 0);
}

TEST(ProcessCollector, ReportsTheStandardNamesAndTypes) {
  ProcessSnapshot snapshot;
  snapshot.stat = {3.5, 1000, 200, 7, 0};
  snapshot.start_time_seconds = 1765000000.5;
  snapshot.open_fds = 12;
  snapshot.max_fds = 1024;
  snapshot.host = {40, 60, 1765000000};
  const std::string text =
      prometheus::TextSerializer().Serialize(ProcessCollector::families(snapshot));
  for (const char* expected :
       {"# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.5\n",
        "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 200\n",
        "process_virtual_memory_bytes 1000\n", "process_open_fds 12\n", "process_max_fds 1024\n",
        "process_threads 7\n", "process_start_time_seconds 1765000000.5\n",
        "# TYPE cloudvault_host_cpu_seconds_total counter\n"
        "cloudvault_host_cpu_seconds_total{mode=\"busy\"} 40\n"
        "cloudvault_host_cpu_seconds_total{mode=\"idle\"} 60\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin\n" << text;
  }
}

TEST(ProcessCollector, MetricsIncludeItAndAddedCollectables) {
  struct Fixed final : prometheus::Collectable {
    std::vector<prometheus::MetricFamily> Collect() const override {
      prometheus::MetricFamily family;
      family.name = "cloudvault_test_value";
      family.help = "a test value";
      family.type = prometheus::MetricType::Gauge;
      family.metric.emplace_back().gauge.value = 42;
      return {family};
    }
  };
  Metrics metrics;
  auto fixed = std::make_shared<Fixed>();
  metrics.add_collectable(fixed);
  std::string text = metrics.exposition();
  EXPECT_NE(text.find("\nprocess_threads "), std::string::npos) << text;
  EXPECT_NE(text.find("\ncloudvault_test_value 42\n"), std::string::npos) << text;
  fixed.reset();  // Metrics keeps what it was given alive
  text = metrics.exposition();
  EXPECT_NE(text.find("\ncloudvault_test_value 42\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace cv
