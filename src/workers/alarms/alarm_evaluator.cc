#include "workers/alarms/alarm_evaluator.h"

namespace cv::workers::alarms {
namespace {

std::string period_words(int64_t seconds) {
  if (seconds % 3600 == 0) {
    return std::to_string(seconds / 3600) + (seconds == 3600 ? " hour" : " hours");
  }
  if (seconds % 60 == 0) {
    return std::to_string(seconds / 60) + (seconds == 60 ? " minute" : " minutes");
  }
  return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

}  // namespace

Evaluation evaluate(const AlarmRule& rule, std::span<const Datapoint> datapoints,
                    std::string_view current) {
  Evaluation result;
  int present = 0;
  std::string values;
  for (const Datapoint& point : datapoints) {
    bool breaching = false;
    if (point.value) {
      ++present;
      result.value = point.value;
      breaching = rule.breaches(*point.value);
      if (!values.empty()) values += ", ";
      values += format_value(rule, *point.value);
    } else {
      breaching = rule.treat_missing == MissingData::kBreaching;
      if (!values.empty()) values += ", ";
      values += "no data";
    }
    if (breaching) ++result.breaching;
  }
  const int periods = static_cast<int>(datapoints.size());
  const std::string window = period_words(rule.period_seconds * periods);
  if (present == 0 && rule.treat_missing == MissingData::kMissing) {
    result.state = kStateInsufficient;
    result.reason = "no data for " + window;
    return result;
  }
  if (present == 0 && rule.treat_missing == MissingData::kIgnore) {
    result.state = std::string(current);
    result.reason = "no data for " + window + "; the state is kept";
    return result;
  }
  const std::string threshold = format_value(rule, rule.threshold);
  const std::string count = std::to_string(result.breaching) + " of the last " +
                            std::to_string(periods) +
                            (periods == 1 ? " datapoint" : " datapoints");
  if (result.breaching >= rule.datapoints_to_alarm) {
    result.state = kStateAlarm;
    result.reason = count + (result.breaching == 1 ? " was " : " were ") +
                    comparison_words(rule.comparison) + " the threshold (" + threshold +
                    "): " + values;
  } else {
    result.state = kStateOk;
    result.reason = count + (result.breaching == 1 ? " was " : " were ") +
                    comparison_words(rule.comparison) + " the threshold (" + threshold +
                    "; " + std::to_string(rule.datapoints_to_alarm) + " needed to alarm): " +
                    values;
  }
  return result;
}

}  // namespace cv::workers::alarms
