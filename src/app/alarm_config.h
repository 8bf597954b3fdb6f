// The configuration file's alarm settings (issue 15):
//   [metrics] sample_seconds   how often the server reads its metrics for alarms and the
//                              dashboard's history (1-3600, default 60)
//   [metrics] history_hours    how long the dashboard's fine points are kept (1-720,
//                              default 48; hourly points are kept 90 days)
//   [alarms] enabled           evaluate alarms at all (default true)
//   [alarms] notify            targets ([notify.targets.NAME] or `admin notify add`) the
//                              shipped alarms notify (default none: they are only recorded)
//   [alarms.defaults.NAME]     changes to a shipped alarm: any rule key but name
//                              (enabled = false turns it off; threshold, period_seconds ...)
//   [alarms.rules.NAME]        an alarm of one's own: the keys of workers/alarms/alarm_rule.h
#pragma once

#include <toml++/toml.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "workers/alarms/alarm_rule.h"

namespace cv::app {

struct AlarmSettings {
  int64_t sample_seconds = 60;
  int64_t history_hours = 48;
  bool enabled = true;
  std::vector<std::string> notify;
  std::map<std::string, boost::json::object> default_changes;  // validated against the default
  std::vector<workers::alarms::AlarmRule> rules;                // source "config"
};

// Reads [metrics] sample_seconds/history_hours and [alarms] of `root`; kInvalidArgument
// naming the key at fault.
Status load_alarm_settings(const toml::table& root, AlarmSettings& settings);

// A TOML value as JSON (tables as objects, arrays as arrays, dates as strings).
boost::json::value toml_to_json(const toml::node& node);

}  // namespace cv::app
