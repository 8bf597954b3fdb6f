#include "workers/alarms/metric_history.h"

#include <set>

namespace cv::workers::alarms {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

MetricQuery query(std::string metric, Statistic statistic,
                  std::map<std::string, std::string> labels = {}) {
  MetricQuery query;
  query.selector = MetricSelector{std::move(metric), std::move(labels)};
  query.statistic = statistic;
  return query;
}

MetricQuery ratio(std::string metric, std::map<std::string, std::string> labels,
                  std::map<std::string, std::string> over_labels = {}) {
  MetricQuery ratio = query(metric, Statistic::kRatio, std::move(labels));
  ratio.denominator = MetricSelector{std::move(metric), std::move(over_labels)};
  return ratio;
}

MetricQuery percentile(double p) {
  MetricQuery quantile = query("cloudvault_request_duration_seconds", Statistic::kPercentile);
  quantile.percentile = p;
  return quantile;
}

int64_t floor_to(int64_t time_ns, int64_t step_ns) { return time_ns - time_ns % step_ns; }

}  // namespace

const std::vector<SeriesDefinition>& MetricHistory::definitions() {
  static const std::vector<SeriesDefinition> kDefinitions = {
      {"requests_per_second", query("cloudvault_requests_total", Statistic::kRate), {"api"}, {}},
      {"error_ratio", ratio("cloudvault_requests_total", {{"status_class", "5xx"}}), {},
       {{"class", "5xx"}}},
      {"error_ratio", ratio("cloudvault_requests_total", {{"status_class", "4xx"}}), {},
       {{"class", "4xx"}}},
      {"latency_seconds", percentile(50), {}, {{"quantile", "0.5"}}},
      {"latency_seconds", percentile(90), {}, {{"quantile", "0.9"}}},
      {"latency_seconds", percentile(99), {}, {{"quantile", "0.99"}}},
      {"bytes_in_per_second",
       query("cloudvault_request_body_bytes_received_total", Statistic::kRate), {}, {}},
      {"bytes_out_per_second", query("cloudvault_response_body_bytes_sent_total", Statistic::kRate),
       {}, {}},
      {"storage_bytes", query("cloudvault_bucket_bytes", Statistic::kSum),
       {"bucket", "storage_class"}, {}},
      {"disk_free_ratio", query("cloudvault_disk_free_ratio", Statistic::kMinimum), {"folder"}, {}},
      {"host_cpu_ratio", ratio("cloudvault_host_cpu_seconds_total", {{"mode", "busy"}}), {}, {}},
      {"replication_lag_seconds",
       query("cloudvault_replication_lag_seconds", Statistic::kMaximum), {}, {}},
      {"replication_pending", query("cloudvault_replication_pending", Statistic::kSum), {}, {}},
      {"delivery_failures",
       query("cloudvault_outbox_failed_tasks", Statistic::kMaximum, {{"consumer", "notify"}}), {},
       {}},
  };
  return kDefinitions;
}

std::string MetricHistory::series_name(std::string_view name,
                                       const std::map<std::string, std::string>& labels) {
  std::string text(name);
  if (labels.empty()) return text;
  text += '{';
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) text += ',';
    first = false;
    text += label + "=" + value;
  }
  return text + '}';
}

MetricHistory::MetricHistory(meta::MetaStore& store, MetricHistoryOptions options)
    : store_(store), options_(options) {}

Status MetricHistory::run_once(const MetricSnapshot& snapshot) {
  const int64_t now = snapshot.time_ns;
  for (const SeriesDefinition& definition : definitions()) {
    // The groups the snapshot holds (one, when the series is not grouped).
    std::set<std::map<std::string, std::string>> groups;
    if (definition.group_by.empty()) {
      groups.insert(std::map<std::string, std::string>{});  // not insert({}): an empty list
    } else if (auto family = snapshot.families.find(definition.query.selector.metric);
               family != snapshot.families.end()) {
      for (const SeriesValue& series : family->second) {
        std::map<std::string, std::string> group;
        for (const std::string& label : definition.group_by) {
          auto value = series.labels.find(label);
          if (value != series.labels.end()) group[label] = value->second;
        }
        if (groups.size() < kMaxGroups || groups.contains(group)) groups.insert(group);
      }
    }
    for (const auto& group : groups) {
      std::map<std::string, std::string> labels = definition.fixed;
      labels.insert(group.begin(), group.end());
      const std::string name = series_name(definition.name, labels);
      Watch& watch = watches_[name];
      if (watch.readings.empty()) {
        watch.query = definition.query;
        for (const auto& [label, value] : group) watch.query.selector.labels[label] = value;
      }
      watch.readings.push_back(read(watch.query, snapshot));
    }
  }

  const int64_t step = options_.resolution_seconds * kSecond;
  const int64_t boundary = floor_to(now, step);
  if (last_ns_ != 0 && floor_to(last_ns_, step) < boundary) {
    std::vector<meta::MetricPoint> points;
    for (auto& [name, watch] : watches_) {
      const std::vector<Reading> readings(watch.readings.begin(), watch.readings.end());
      if (auto value = datapoint(watch.query, readings, boundary - step, boundary)) {
        points.push_back({name, options_.resolution_seconds, boundary - step, *value});
      }
    }
    CV_TRY(store_.append_metric_points(points));
  }
  // Keep one reading at or before the interval now being filled (the next baseline).
  for (auto watch = watches_.begin(); watch != watches_.end();) {
    auto& readings = watch->second.readings;
    while (readings.size() > 1 && readings[1].time_ns <= boundary) readings.pop_front();
    if (readings.back().time_ns + 2 * step < now) {
      watch = watches_.erase(watch);  // the series is gone (a deleted bucket)
    } else {
      ++watch;
    }
  }

  const int64_t hour = kHourlyResolution * kSecond;
  if (last_ns_ != 0 && floor_to(last_ns_, hour) < floor_to(now, hour) &&
      options_.resolution_seconds < kHourlyResolution) {
    const int64_t hour_start = floor_to(now, hour) - hour;
    const auto fine =
        CV_TRY(store_.list_metric_points("", options_.resolution_seconds, hour_start));
    std::map<std::string, std::pair<double, size_t>> sums;
    for (const meta::MetricPoint& point : fine) {
      if (point.time_ns >= hour_start + hour) continue;
      auto& [sum, count] = sums[point.series];
      sum += point.value;
      ++count;
    }
    std::vector<meta::MetricPoint> hourly;
    for (const auto& [series, sum] : sums) {
      hourly.push_back(
          {series, kHourlyResolution, hour_start, sum.first / static_cast<double>(sum.second)});
    }
    CV_TRY(store_.append_metric_points(hourly));
    CV_TRY(store_.prune_metric_points(options_.resolution_seconds,
                                      now - options_.fine_retention_ns));
    CV_TRY(store_.prune_metric_points(kHourlyResolution, now - options_.coarse_retention_ns));
  }
  last_ns_ = now;
  return {};
}

}  // namespace cv::workers::alarms
