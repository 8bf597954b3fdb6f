#include "workers/alarms/metric_snapshot.h"

#include <prometheus/metric_family.h>

namespace cv::workers::alarms {

MetricSnapshot take_snapshot(prometheus::Collectable& registry, int64_t now_ns) {
  return take_snapshot(registry.Collect(), now_ns);
}

MetricSnapshot take_snapshot(const std::vector<prometheus::MetricFamily>& families,
                             int64_t now_ns) {
  MetricSnapshot snapshot;
  snapshot.time_ns = now_ns;
  for (const prometheus::MetricFamily& family : families) {
    std::vector<SeriesValue>& series = snapshot.families[family.name];
    for (const prometheus::ClientMetric& metric : family.metric) {
      SeriesValue value;
      for (const auto& label : metric.label) value.labels[label.name] = label.value;
      switch (family.type) {
        case prometheus::MetricType::Counter: value.value = metric.counter.value; break;
        case prometheus::MetricType::Gauge: value.value = metric.gauge.value; break;
        case prometheus::MetricType::Histogram:
          value.value = static_cast<double>(metric.histogram.sample_count);
          for (const auto& bucket : metric.histogram.bucket) {
            value.buckets.push_back(
                {bucket.upper_bound, static_cast<double>(bucket.cumulative_count)});
          }
          break;
        case prometheus::MetricType::Summary:
          value.value = static_cast<double>(metric.summary.sample_count);
          break;
        default: value.value = metric.untyped.value; break;
      }
      series.push_back(std::move(value));
    }
  }
  return snapshot;
}

}  // namespace cv::workers::alarms
