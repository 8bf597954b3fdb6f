// An alarm rule, as CloudWatch's PutMetricAlarm has it: a metric query (metric_query.h)
// evaluated over `evaluation_periods` periods of `period_seconds`; the alarm is in ALARM when
// at least `datapoints_to_alarm` of those datapoints breach the threshold, OK when fewer do,
// INSUFFICIENT_DATA when every datapoint is missing (treat_missing_data "missing"). Its
// targets (notification targets of the events issue) hear of each move into ALARM and of the
// move back to OK.
//
// The JSON form (the stored document, `admin alarm put --json`, the console) and the TOML
// form ([alarms.rules.NAME]) use the same keys: name, description, metric, labels (a table of
// exact matches), statistic, over / over_labels (Ratio's denominator), period_seconds,
// evaluation_periods, datapoints_to_alarm, comparison, threshold, treat_missing_data, targets,
// unit, enabled.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "workers/alarms/metric_query.h"

namespace cv::workers::alarms {

enum class Comparison {
  kGreaterThan,     // GreaterThanThreshold
  kGreaterOrEqual,  // GreaterThanOrEqualToThreshold
  kLessThan,        // LessThanThreshold
  kLessOrEqual,     // LessThanOrEqualToThreshold
};

enum class MissingData { kMissing, kNotBreaching, kBreaching, kIgnore };

// How values are shown to people: "ratio" as a percentage, "seconds" as a duration, "bytes"
// in kB/MB/GB, anything else as a plain number followed by the unit.
struct AlarmRule {
  std::string name;         // 1-64 of [A-Za-z0-9._-]
  std::string description;  // what it watches, in words
  MetricQuery query;
  int64_t period_seconds = 60;  // 1-86400
  int evaluation_periods = 1;   // 1-1440, and period x periods <= 1 day
  int datapoints_to_alarm = 1;  // 1..evaluation_periods
  Comparison comparison = Comparison::kGreaterThan;
  double threshold = 0;
  MissingData treat_missing = MissingData::kMissing;
  std::vector<std::string> targets;
  std::string unit;
  bool enabled = true;
  // Where the rule comes from: "default" (shipped), "config" (the configuration file) or
  // "stored" (`admin alarm put`). Not part of the document.
  std::string source;

  bool breaches(double value) const;
};

// kInvalidArgument naming the key at fault.
Result<AlarmRule> parse_alarm_rule(const boost::json::value& document);
boost::json::object alarm_rule_json(const AlarmRule& rule);
// Applies the keys present in `changes` over `rule` (a default's overrides), validated.
Result<AlarmRule> amend_alarm_rule(const AlarmRule& rule, const boost::json::object& changes);

std::string comparison_name(Comparison comparison);  // "GreaterThanThreshold"
std::string comparison_words(Comparison comparison);  // "greater than"
std::string missing_data_name(MissingData missing);   // "notBreaching"

// A value as people read it in the rule's unit ("4.2%", "16 min", "3.2 GB", "0.5").
std::string format_value(const AlarmRule& rule, double value);

}  // namespace cv::workers::alarms
