#include "workers/alarms/alarm_engine.h"

#include <boost/json.hpp>

#include "core/clock.h"

namespace cv::workers::alarms {
namespace {

namespace json = boost::json;

constexpr int64_t kSecond = 1'000'000'000;

std::string iso_time(int64_t time_ns) {
  return format_iso8601(from_unix_nanos(time_ns));
}

// The start of the run of breaching datapoints that ends the window (when the newest
// breaches), else 0.
int64_t breaching_since(const AlarmRule& rule, const std::vector<Datapoint>& points) {
  int64_t since = 0;
  for (auto point = points.rbegin(); point != points.rend(); ++point) {
    const bool breaching = point->value ? rule.breaches(*point->value)
                                        : rule.treat_missing == MissingData::kBreaching;
    if (!breaching) break;
    since = point->start_ns;
  }
  return since;
}

}  // namespace

AlarmEngine::AlarmEngine(meta::MetaStore& store, RuleSource rules, AlarmEngineOptions options)
    : store_(store), rules_(std::move(rules)), options_(std::move(options)) {}

Result<std::vector<meta::AlarmHistoryEntry>> AlarmEngine::run_once(
    const MetricSnapshot& snapshot) {
  const int64_t now = snapshot.time_ns;
  if (!states_loaded_) {
    for (meta::AlarmState& state : CV_TRY(store_.list_alarm_states())) {
      std::string name = state.name;
      states_.emplace(std::move(name), std::move(state));
    }
    states_loaded_ = true;
  }
  const std::vector<AlarmRule> rules = CV_TRY(rules_());

  std::vector<meta::AlarmUpdate> updates;
  std::map<std::string, Watch, std::less<>> watching;
  for (const AlarmRule& rule : rules) {
    if (!rule.enabled) continue;
    const std::string definition = json::serialize(alarm_rule_json(rule));
    Watch watch;
    if (auto found = watches_.find(rule.name);
        found != watches_.end() && found->second.definition == definition) {
      watch = std::move(found->second);
    } else {
      watch.definition = definition;
      watch.started_ns = now;
    }
    watch.readings.push_back(read(rule.query, snapshot));
    const int64_t period = rule.period_seconds * kSecond;
    const int64_t window = period * rule.evaluation_periods;
    while (watch.readings.size() > 2 && watch.readings[1].time_ns <= now - window) {
      watch.readings.pop_front();  // keeps one reading at or before the window: the baseline
    }
    const bool watched_long_enough = now - watch.started_ns >= period;

    if (watched_long_enough) {
      std::vector<Datapoint> points;
      for (int k = 0; k < rule.evaluation_periods; ++k) {
        const int64_t start = now - window + k * period;
        const std::vector<Reading> readings(watch.readings.begin(), watch.readings.end());
        points.push_back({start, datapoint(rule.query, readings, start, start + period)});
      }
      auto stored = states_.find(rule.name);
      const std::string current =
          stored != states_.end() ? stored->second.state : std::string(kStateInsufficient);
      const Evaluation evaluation = evaluate(rule, points, current);

      meta::AlarmUpdate update;
      update.state.name = rule.name;
      update.state.state = evaluation.state;
      update.state.evaluated_ns = now;
      update.state.reason = evaluation.reason;
      update.state.value = evaluation.value;
      update.state.since_ns =
          stored != states_.end() && stored->second.state == evaluation.state
              ? stored->second.since_ns
              : (current == evaluation.state ? watch.started_ns : now);
      if (current != evaluation.state) {
        int64_t since = now;
        if (evaluation.state == kStateAlarm) {
          since = breaching_since(rule, points);
          if (since == 0) since = now;
        } else if (stored != states_.end()) {
          since = stored->second.since_ns;  // OK: how long it had been in ALARM
        }
        const std::string document = message_document(rule, evaluation, current, now, since,
                                                      options_.dashboard_url);
        update.transition = meta::AlarmHistoryEntry{0,       rule.name,          now,
                                                    current, evaluation.state, evaluation.reason,
                                                    document};
        const bool notify = evaluation.state == kStateAlarm ||
                            (evaluation.state == kStateOk && current == kStateAlarm);
        if (notify && !rule.targets.empty()) {
          meta::Event event;
          event.name = std::string(kAlarmEventName);
          event.time_ns = now;
          event.detail = document;
          update.event = std::move(event);
        }
      }
      updates.push_back(std::move(update));
    }
    watching.emplace(rule.name, std::move(watch));
  }
  watches_ = std::move(watching);

  CV_TRY(store_.record_alarm_updates(updates));
  std::vector<meta::AlarmHistoryEntry> transitions;
  for (meta::AlarmUpdate& update : updates) {
    states_[update.state.name] = update.state;
    if (update.transition) transitions.push_back(std::move(*update.transition));
  }
  if (now - last_prune_ns_ >= 3600 * kSecond) {
    CV_TRY(store_.prune_alarm_history(now - options_.history_retention_ns));
    last_prune_ns_ = now;
  }
  return transitions;
}

std::string AlarmEngine::message_document(const AlarmRule& rule, const Evaluation& evaluation,
                                          std::string_view old_state, int64_t time_ns,
                                          int64_t since_ns, std::string_view dashboard_url) {
  json::object trigger;
  trigger["MetricName"] = rule.query.selector.metric;
  trigger["Metric"] = selector_text(rule.query.selector);
  if (rule.query.denominator) trigger["Over"] = selector_text(*rule.query.denominator);
  trigger["Statistic"] = statistic_name(rule.query.statistic, rule.query.percentile);
  trigger["Period"] = rule.period_seconds;
  trigger["EvaluationPeriods"] = rule.evaluation_periods;
  trigger["DatapointsToAlarm"] = rule.datapoints_to_alarm;
  trigger["ComparisonOperator"] = comparison_name(rule.comparison);
  trigger["Threshold"] = rule.threshold;
  trigger["TreatMissingData"] = missing_data_name(rule.treat_missing);
  if (!rule.unit.empty()) trigger["Unit"] = rule.unit;

  json::object document;
  document["AlarmName"] = rule.name;
  document["AlarmDescription"] = rule.description;
  document["NewStateValue"] = evaluation.state;
  document["OldStateValue"] = old_state;
  document["NewStateReason"] = evaluation.reason;
  document["StateChangeTime"] = iso_time(time_ns);
  document["Since"] = iso_time(since_ns);
  if (evaluation.value) {
    document["Value"] = *evaluation.value;
    document["ValueText"] = format_value(rule, *evaluation.value);
  } else {
    document["Value"] = nullptr;
    document["ValueText"] = "no data";
  }
  document["ThresholdText"] = format_value(rule, rule.threshold);
  document["Comparison"] = comparison_words(rule.comparison);
  document["Trigger"] = std::move(trigger);
  json::array targets;
  for (const std::string& target : rule.targets) targets.emplace_back(target);
  document["Targets"] = std::move(targets);
  if (!dashboard_url.empty()) document["DashboardUrl"] = dashboard_url;
  return json::serialize(document);
}

}  // namespace cv::workers::alarms
