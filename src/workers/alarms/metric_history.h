// The server's own small time series (issue 15, "Dashboards"): every sample, a fixed set of
// series is computed from the metrics snapshot and, at the end of each interval of
// `resolution_seconds`, one point per series is stored in the metadata store; every hour the
// hour's points are averaged into one hourly point. Fine points are kept for
// fine_retention_ns, hourly ones for coarse_retention_ns, so the store holds a bounded
// number of rows: (series) x (retention / resolution). The console's dashboard reads them;
// no Prometheus is needed.
//
// Series (name{labels}): requests_per_second{api}, error_ratio{class=4xx|5xx},
// latency_seconds{quantile=0.5|0.9|0.99}, bytes_in_per_second, bytes_out_per_second,
// storage_bytes{bucket,storage_class} (at most kMaxGroups groups), disk_free_ratio{folder},
// host_cpu_ratio, replication_lag_seconds, replication_pending, delivery_failures. A series
// whose metric the server does not export is simply absent.
//
// Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"
#include "workers/alarms/metric_query.h"
#include "workers/alarms/metric_snapshot.h"

namespace cv::workers::alarms {

struct SeriesDefinition {
  std::string name;
  MetricQuery query;
  std::vector<std::string> group_by;  // one series per distinct value of these labels
  std::map<std::string, std::string> fixed;  // labels added to the series' name
};

struct MetricHistoryOptions {
  int64_t resolution_seconds = 60;
  int64_t fine_retention_ns = int64_t{48} * 3600 * 1'000'000'000;
  int64_t coarse_retention_ns = int64_t{90} * 86400 * 1'000'000'000;
};

inline constexpr int64_t kHourlyResolution = 3600;

class MetricHistory {
 public:
  static constexpr size_t kMaxGroups = 100;

  // `store` must outlive this.
  MetricHistory(meta::MetaStore& store, MetricHistoryOptions options);

  // Reads the snapshot; stores the points of every interval (and hour) it ends.
  Status run_once(const MetricSnapshot& snapshot);

  static const std::vector<SeriesDefinition>& definitions();
  // "storage_bytes{bucket=photos,storage_class=STANDARD}" (labels in name order).
  static std::string series_name(std::string_view name,
                                 const std::map<std::string, std::string>& labels);

 private:
  struct Watch {
    MetricQuery query;
    std::deque<Reading> readings;
  };

  meta::MetaStore& store_;
  MetricHistoryOptions options_;
  std::map<std::string, Watch> watches_;  // by series name
  int64_t last_ns_ = 0;
};

}  // namespace cv::workers::alarms
