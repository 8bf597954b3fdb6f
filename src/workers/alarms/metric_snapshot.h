// One reading of every metric the server's registry holds, with the time it was taken: what
// alarms and the dashboard's series are computed from.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cv::workers::alarms {

struct HistogramBucket {
  double upper_bound = 0;  // +Inf for the last
  double cumulative_count = 0;
};

struct SeriesValue {
  std::map<std::string, std::string> labels;
  double value = 0;                      // counters, gauges, untyped
  std::vector<HistogramBucket> buckets;  // histograms
};

struct MetricSnapshot {
  int64_t time_ns = 0;
  std::map<std::string, std::vector<SeriesValue>, std::less<>> families;  // by family name
};

// The families collected at `now_ns` (Metrics::collect(), or a registry's Collect()).
MetricSnapshot take_snapshot(const std::vector<prometheus::MetricFamily>& families,
                             int64_t now_ns);
// Collects `registry` at `now_ns`. Thread-safe as the registry is.
MetricSnapshot take_snapshot(prometheus::Collectable& registry, int64_t now_ns);

}  // namespace cv::workers::alarms
