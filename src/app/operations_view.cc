#include "app/operations_view.h"

#include <boost/json.hpp>
#include <map>

#include "workers/alarms/alarm_evaluator.h"
#include "workers/alarms/metric_history.h"

namespace cv::app {
namespace {

namespace json = boost::json;
using workers::alarms::AlarmRule;

constexpr int64_t kSecond = 1'000'000'000;

int64_t millis(int64_t time_ns) { return time_ns / 1'000'000; }

// "storage_bytes{bucket=a,storage_class=STANDARD}" -> name and labels.
std::pair<std::string, json::object> split_series(std::string_view series) {
  json::object labels;
  const size_t brace = series.find('{');
  if (brace == std::string_view::npos || series.back() != '}') return {std::string(series), labels};
  std::string_view inside = series.substr(brace + 1, series.size() - brace - 2);
  while (!inside.empty()) {
    const size_t comma = inside.find(',');
    const std::string_view pair = inside.substr(0, comma);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos) labels[pair.substr(0, equals)] = pair.substr(equals + 1);
    if (comma == std::string_view::npos) break;
    inside.remove_prefix(comma + 1);
  }
  return {std::string(series.substr(0, brace)), labels};
}

json::object alarm_json(const AlarmRule& rule, const meta::AlarmState* state) {
  json::object alarm;
  alarm["name"] = rule.name;
  alarm["description"] = rule.description;
  alarm["source"] = rule.source;
  alarm["enabled"] = rule.enabled;
  alarm["state"] = state ? state->state : std::string(workers::alarms::kStateInsufficient);
  alarm["since"] = state ? json::value(millis(state->since_ns)) : json::value(nullptr);
  alarm["reason"] = state ? state->reason : (rule.enabled ? "not evaluated yet" : "turned off");
  if (state && state->value) {
    alarm["value"] = *state->value;
    alarm["value_text"] = workers::alarms::format_value(rule, *state->value);
  } else {
    alarm["value"] = nullptr;
    alarm["value_text"] = "no data";
  }
  alarm["threshold"] = rule.threshold;
  alarm["threshold_text"] = workers::alarms::format_value(rule, rule.threshold);
  alarm["comparison"] = workers::alarms::comparison_words(rule.comparison);
  alarm["metric"] = workers::alarms::selector_text(rule.query.selector);
  alarm["statistic"] = workers::alarms::statistic_name(rule.query.statistic, rule.query.percentile);
  alarm["period_seconds"] = rule.period_seconds;
  alarm["evaluation_periods"] = rule.evaluation_periods;
  alarm["datapoints_to_alarm"] = rule.datapoints_to_alarm;
  json::array targets;
  for (const std::string& target : rule.targets) targets.emplace_back(target);
  alarm["targets"] = std::move(targets);
  return alarm;
}

}  // namespace

OperationsView::OperationsView(meta::MetaStore& store, const AlarmRuleBook& rules,
                               const Clock& clock, int64_t resolution_seconds,
                               int64_t history_hours, StorageLocations storage)
    : store_(store),
      rules_(rules),
      clock_(clock),
      resolution_seconds_(resolution_seconds),
      history_hours_(history_hours),
      storage_(std::move(storage)) {}

Result<json::value> OperationsView::dashboard(std::string_view range) {
  static const std::map<std::string_view, int64_t> kRanges = {
      {"1h", 3600}, {"6h", 6 * 3600}, {"24h", 86400}, {"7d", 7 * 86400}, {"30d", 30 * 86400}};
  auto span = kRanges.find(range);
  if (span == kRanges.end()) {
    return fail(ErrorCode::kInvalidArgument, "range must be 1h, 6h, 24h, 7d or 30d");
  }
  const int64_t now = to_unix_nanos(clock_.now());
  const bool fine = span->second <= history_hours_ * 3600;
  const int64_t resolution = fine ? resolution_seconds_ : workers::alarms::kHourlyResolution;
  const auto points = CV_TRY(store_.list_metric_points("", resolution, now - span->second * kSecond));
  json::array series;
  std::string current;
  for (const meta::MetricPoint& point : points) {
    if (point.series != current) {
      current = point.series;
      auto [name, labels] = split_series(point.series);
      series.push_back(json::object{{"name", name}, {"labels", labels}, {"points", json::array()}});
    }
    series.back().as_object()["points"].as_array().push_back(
        json::array{millis(point.time_ns), point.value});
  }
  json::object answer;
  answer["range"] = range;
  answer["resolution_seconds"] = resolution;
  answer["now"] = millis(now);
  answer["series"] = std::move(series);
  answer["alarms"] = CV_TRY(alarms()).as_object()["alarms"];
  answer["storage"] = json::object{{"metadata", storage_.metadata}, {"bodies", storage_.bodies}};
  return answer;
}

Result<json::value> OperationsView::alarms() {
  const std::vector<AlarmRule> rules = CV_TRY(rules_.current());
  std::map<std::string, meta::AlarmState> states;
  for (meta::AlarmState& state : CV_TRY(store_.list_alarm_states())) {
    std::string name = state.name;
    states.emplace(std::move(name), std::move(state));
  }
  json::array list;
  for (const AlarmRule& rule : rules) {
    auto state = states.find(rule.name);
    list.push_back(alarm_json(rule, state == states.end() ? nullptr : &state->second));
  }
  return json::object{{"alarms", std::move(list)}};
}

Result<json::value> OperationsView::alarm_history(std::string_view name, size_t limit) {
  json::array history;
  for (const meta::AlarmHistoryEntry& entry : CV_TRY(store_.list_alarm_history(name, limit))) {
    history.push_back(json::object{{"id", entry.id},
                                   {"name", entry.name},
                                   {"time", millis(entry.time_ns)},
                                   {"old_state", entry.old_state},
                                   {"new_state", entry.new_state},
                                   {"reason", entry.reason}});
  }
  return json::object{{"history", std::move(history)}};
}

}  // namespace cv::app
