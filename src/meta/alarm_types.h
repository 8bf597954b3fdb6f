// What the metadata store keeps for operations (issue 15): alarm rules, their states and
// history, and the server's own downsampled metric time series (the console's dashboard).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meta/types.h"

namespace cv::meta {

// An alarm rule added with `cloudvault admin alarm put` (rules from the configuration file
// are not stored). The document is the rule as JSON, opaque here (workers/alarms parses it).
struct AlarmRuleDocument {
  std::string name;  // unique
  std::string document;
  int64_t updated_ns = 0;
};

// An alarm's state as last evaluated.
struct AlarmState {
  std::string name;
  std::string state;  // "OK", "ALARM" or "INSUFFICIENT_DATA"
  int64_t since_ns = 0;      // when it entered `state`
  int64_t evaluated_ns = 0;  // the last evaluation
  std::string reason;        // why, for people
  std::optional<double> value;  // the newest datapoint; none when missing
};

// One state change of an alarm.
struct AlarmHistoryEntry {
  int64_t id = 0;  // assigned by the store, increasing
  std::string name;
  int64_t time_ns = 0;
  std::string old_state;
  std::string new_state;
  std::string reason;
  std::string detail;  // JSON: the datapoints, threshold and comparison evaluated
};

// One evaluation's outcome for one alarm: the state row to keep and, on a change of state,
// the history entry and the outbox event that notifies its targets.
struct AlarmUpdate {
  AlarmState state;
  std::optional<AlarmHistoryEntry> transition;
  std::optional<Event> event;
};

// One point of a downsampled series: `series` names it with its labels
// ("requests_per_second{api=s3}"), `resolution_seconds` is the width of the interval the
// value summarises and `time_ns` the interval's start.
struct MetricPoint {
  std::string series;
  int64_t resolution_seconds = 0;
  int64_t time_ns = 0;
  double value = 0;
};

}  // namespace cv::meta
