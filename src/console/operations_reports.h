// The server's health as the console's Dashboard page shows it (issue 15): the downsampled
// metric series the server keeps itself, and the alarms with their states and history.
// Implemented in app/ (app/operations_view.h) over the metadata store and the alarm rules;
// the console only routes, checks that root asks, and writes the JSON. Thread-safe.
//
// JSON shapes (docs/API.md, "Operations"):
//   Dashboard: {"range": "6h", "resolution_seconds": 60, "now": ms,
//               "series": [{"name": "requests_per_second", "labels": {"api": "s3"},
//                           "points": [[ms, value], ...]}, ...],
//               "alarms": [Alarm, ...]}
//   Alarm: {"name", "description", "source": "default"|"config"|"stored", "enabled",
//           "state": "OK"|"ALARM"|"INSUFFICIENT_DATA", "since": ms|null, "reason",
//           "value": number|null, "value_text", "threshold", "threshold_text", "comparison",
//           "metric", "statistic", "period_seconds", "evaluation_periods",
//           "datapoints_to_alarm", "targets": [...]}
//   AlarmHistory: {"history": [{"id", "name", "time": ms, "old_state", "new_state",
//                               "reason"}, ...]} (newest first)
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "core/error.h"

namespace cv::console {

class OperationsReports {
 public:
  virtual ~OperationsReports() = default;
  // range: "1h", "6h", "24h", "7d" or "30d" (kInvalidArgument otherwise).
  virtual Result<boost::json::value> dashboard(std::string_view range) = 0;
  // {"alarms": [Alarm]}.
  virtual Result<boost::json::value> alarms() = 0;
  // AlarmHistory of one alarm (every alarm's when name is empty), at most `limit` (1-1000).
  virtual Result<boost::json::value> alarm_history(std::string_view name, size_t limit) = 0;
};

}  // namespace cv::console
