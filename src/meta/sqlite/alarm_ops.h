// SQL for alarms and the dashboard's metric points (MetaStore's "Alarms and the dashboard's
// time series" methods). Writes run on the writer connection inside a transaction; reads on
// any connection. Not thread-safe on their own (the caller owns the connection).
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/alarm_types.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

Status write_alarm_rule(Connection& db, const AlarmRuleDocument& rule);
Result<std::vector<AlarmRuleDocument>> read_alarm_rules(Connection& db);
// Removes the rule and its state; whether a rule was there.
Result<bool> remove_alarm_rule(Connection& db, std::string_view name);
Result<std::vector<AlarmState>> read_alarm_states(Connection& db);
// The states, the transitions and their events (outbox_ops' append_event).
Status write_alarm_updates(Connection& db, const std::vector<AlarmUpdate>& updates);
Result<std::vector<AlarmHistoryEntry>> read_alarm_history(Connection& db, std::string_view name,
                                                          size_t max);
Result<uint64_t> remove_alarm_history(Connection& db, int64_t before_ns);

Status write_metric_points(Connection& db, const std::vector<MetricPoint>& points);
Result<std::vector<MetricPoint>> read_metric_points(Connection& db, std::string_view series_prefix,
                                                    int64_t resolution_seconds, int64_t since_ns);
Result<uint64_t> remove_metric_points(Connection& db, int64_t resolution_seconds,
                                      int64_t before_ns);

}  // namespace cv::meta::sqlite
