// What an alarm (or a dashboard series) measures: one metric family of the server's registry,
// narrowed by exact label matches, reduced by a statistic over a period. Statistics:
// - Average / Minimum / Maximum / Sum: for gauges (and counters read as levels). At each
//   sample the matching series are combined with the statistic (Sum adds them); over the
//   period the combined values are combined again the same way (Sum averages them, so "the
//   total across folders" stays a level, not a multiple of the sample count).
// - Rate: per-second increase of a counter over the period, the matching series added (a
//   counter that went down was reset: its new value counts as the increase).
// - Ratio: Rate of the metric divided by Rate of the denominator selector (the 5xx share of
//   requests); missing when the denominator did not move.
// - Percentile (p50, p90, p99, p99.9 ...): of a histogram's observations within the period,
//   the matching series' buckets added, interpolated linearly within a bucket as PromQL's
//   histogram_quantile does.
// A datapoint is missing when the period holds no sample of the metric.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "workers/alarms/metric_snapshot.h"

namespace cv::workers::alarms {

enum class Statistic { kAverage, kMinimum, kMaximum, kSum, kRate, kRatio, kPercentile };

struct MetricSelector {
  std::string metric;                         // a family name: "cloudvault_disk_free_ratio"
  std::map<std::string, std::string> labels;  // every one must match exactly
};

struct MetricQuery {
  MetricSelector selector;
  Statistic statistic = Statistic::kAverage;
  double percentile = 0;                     // kPercentile: 0-100
  std::optional<MetricSelector> denominator;  // kRatio only
};

// "Average", "Rate", "p99" ... (what statistic_name prints). kInvalidArgument otherwise.
Result<Statistic> parse_statistic(std::string_view text, double& percentile);
std::string statistic_name(Statistic statistic, double percentile);
// "cloudvault_requests_total{status_class=\"5xx\"}".
std::string selector_text(const MetricSelector& selector);

// What one snapshot holds for a query, reduced across the matching series.
struct Reading {
  int64_t time_ns = 0;
  std::optional<double> value;        // gauges: combined; counters: their sum
  std::optional<double> denominator;  // kRatio: the denominator counters' sum
  std::vector<HistogramBucket> buckets;  // kPercentile: cumulative, the series' added
};

Reading read(const MetricQuery& query, const MetricSnapshot& snapshot);

// The datapoint of the period (start_ns, end_ns] from `readings` in time order. Rates use the
// last reading at or before start_ns as their baseline (when there is none, the first one
// inside).
std::optional<double> datapoint(const MetricQuery& query, std::span<const Reading> readings,
                                int64_t start_ns, int64_t end_ns);

}  // namespace cv::workers::alarms
