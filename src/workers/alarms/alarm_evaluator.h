// The state an alarm rule's datapoints call for, as CloudWatch decides it: of the last
// evaluation_periods datapoints, at least datapoints_to_alarm breaching -> ALARM; every one
// missing -> INSUFFICIENT_DATA (treat_missing_data "missing"), or the state stays as it is
// ("ignore"); otherwise OK. Missing datapoints count as breaching with "breaching" and as
// not breaching with "notBreaching". Pure: no clock, no store.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "workers/alarms/alarm_rule.h"

namespace cv::workers::alarms {

inline constexpr std::string_view kStateOk = "OK";
inline constexpr std::string_view kStateAlarm = "ALARM";
inline constexpr std::string_view kStateInsufficient = "INSUFFICIENT_DATA";

struct Datapoint {
  int64_t start_ns = 0;  // the period's start
  std::optional<double> value;
};

struct Evaluation {
  std::string state;
  // For people: "3 of the last 5 datapoints were greater than the threshold (1%): 4.2%,
  // 3.9%, 2%" / "no data for 5 minutes".
  std::string reason;
  std::optional<double> value;  // the newest datapoint present
  int breaching = 0;
};

// `datapoints` oldest first, evaluation_periods of them; `current` the stored state.
Evaluation evaluate(const AlarmRule& rule, std::span<const Datapoint> datapoints,
                    std::string_view current);

}  // namespace cv::workers::alarms
