#include "workers/alarms/default_alarms.h"

namespace cv::workers::alarms {
namespace {

AlarmRule rule(std::string name, std::string description, std::string metric,
               Statistic statistic, Comparison comparison, double threshold, std::string unit) {
  AlarmRule rule;
  rule.name = std::move(name);
  rule.description = std::move(description);
  rule.query.selector.metric = std::move(metric);
  rule.query.statistic = statistic;
  rule.comparison = comparison;
  rule.threshold = threshold;
  rule.unit = std::move(unit);
  rule.source = "default";
  return rule;
}

}  // namespace

std::vector<AlarmRule> default_alarms() {
  std::vector<AlarmRule> rules;

  rules.push_back(rule("disk-free-low", "Free space in a data folder is below 10%",
                       "cloudvault_disk_free_ratio", Statistic::kMinimum, Comparison::kLessThan,
                       0.10, "ratio"));

  AlarmRule errors = rule("error-rate-high", "More than 1% of requests failed with a 5xx error",
                          "cloudvault_requests_total", Statistic::kRatio,
                          Comparison::kGreaterThan, 0.01, "ratio");
  errors.query.selector.labels = {{"status_class", "5xx"}};
  errors.query.denominator = MetricSelector{"cloudvault_requests_total", {}};
  errors.period_seconds = 300;
  errors.treat_missing = MissingData::kNotBreaching;  // no requests: nothing failed
  rules.push_back(std::move(errors));

  AlarmRule cpu = rule("host-cpu-high", "Host CPU above 80% for 10 minutes",
                       "cloudvault_host_cpu_seconds_total", Statistic::kRatio,
                       Comparison::kGreaterThan, 0.80, "ratio");
  cpu.query.selector.labels = {{"mode", "busy"}};
  cpu.query.denominator = MetricSelector{"cloudvault_host_cpu_seconds_total", {}};
  cpu.evaluation_periods = 10;
  cpu.datapoints_to_alarm = 10;
  rules.push_back(std::move(cpu));

  AlarmRule lag = rule("replication-lag-high",
                       "A backup copy has been waiting for more than 15 minutes",
                       "cloudvault_replication_lag_seconds", Statistic::kMaximum,
                       Comparison::kGreaterThan, 900, "seconds");
  lag.treat_missing = MissingData::kNotBreaching;  // no replication configured
  rules.push_back(std::move(lag));

  AlarmRule parked = rule("deliveries-parked",
                          "Notifications were given up on (see `cloudvault admin events list "
                          "--failed`)",
                          "cloudvault_outbox_failed_tasks", Statistic::kMaximum,
                          Comparison::kGreaterThan, 0, "");
  parked.query.selector.labels = {{"consumer", "notify"}};
  parked.treat_missing = MissingData::kNotBreaching;
  rules.push_back(std::move(parked));

  rules.push_back(rule("health-check-failing",
                       "The readiness check (/_cloudvault/ready) is failing",
                       "cloudvault_ready", Statistic::kMinimum, Comparison::kLessThan, 1, ""));

  rules.push_back(rule("master-key-unreadable", "The master key file can no longer be read",
                       "cloudvault_master_key_readable", Statistic::kMinimum,
                       Comparison::kLessThan, 1, ""));
  return rules;
}

}  // namespace cv::workers::alarms
