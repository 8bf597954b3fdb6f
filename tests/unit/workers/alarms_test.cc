// Alarms (workers/alarms): the statistics over snapshots of a real prometheus-cpp registry,
// CloudWatch's M-of-N evaluation and missing-data treatments, rule documents, and the engine
// recording states, history and the notifying event in a real metadata store.
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <boost/json.hpp>
#include <cmath>

#include "vault/temp_vault.h"
#include "workers/alarms/alarm_engine.h"
#include "workers/alarms/alarm_evaluator.h"
#include "workers/alarms/alarm_rule.h"
#include "workers/alarms/default_alarms.h"
#include "workers/alarms/metric_history.h"
#include "workers/alarms/metric_query.h"

namespace cv::workers::alarms {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'800'000'000} * kSecond;  // a whole hour

AlarmRule parse(std::string_view text) {
  auto rule = parse_alarm_rule(boost::json::parse(text));
  EXPECT_TRUE(rule) << (rule ? "" : rule.error().message);
  return rule ? *rule : AlarmRule{};
}

Reading reading_at(int64_t seconds, std::optional<double> value,
                   std::optional<double> denominator = std::nullopt) {
  return Reading{kStart + seconds * kSecond, value, denominator, {}};
}

TEST(MetricQuery, LevelsCombineAcrossSeriesThenOverThePeriod) {
  prometheus::Registry registry;
  auto& free = prometheus::BuildGauge().Name("disk_free").Register(registry);
  free.Add({{"folder", "data"}}).Set(0.5);
  free.Add({{"folder", "cold"}}).Set(0.05);
  MetricQuery minimum{{"disk_free", {}}, Statistic::kMinimum, 0, std::nullopt};
  MetricQuery sum{{"disk_free", {}}, Statistic::kSum, 0, std::nullopt};
  MetricQuery data_only{{"disk_free", {{"folder", "data"}}}, Statistic::kAverage, 0, std::nullopt};
  const MetricSnapshot first = take_snapshot(registry, kStart + kSecond);
  free.Add({{"folder", "cold"}}).Set(0.15);
  const MetricSnapshot second = take_snapshot(registry, kStart + 2 * kSecond);

  EXPECT_DOUBLE_EQ(*read(minimum, first).value, 0.05);
  EXPECT_DOUBLE_EQ(*read(sum, first).value, 0.55);
  EXPECT_DOUBLE_EQ(*read(data_only, first).value, 0.5);
  std::vector<Reading> readings{read(minimum, first), read(minimum, second)};
  EXPECT_DOUBLE_EQ(*datapoint(minimum, readings, kStart, kStart + 2 * kSecond), 0.05);
  readings = {read(sum, first), read(sum, second)};
  EXPECT_DOUBLE_EQ(*datapoint(sum, readings, kStart, kStart + 2 * kSecond), 0.6);  // mean level
  EXPECT_FALSE(datapoint(sum, readings, kStart + 2 * kSecond, kStart + 9 * kSecond));
  MetricQuery absent{{"no_such_metric", {}}, Statistic::kMaximum, 0, std::nullopt};
  EXPECT_FALSE(read(absent, first).value);
}

TEST(MetricQuery, RatesUseTheBaselineBeforeThePeriodAndSurviveResets) {
  MetricQuery rate{{"c", {}}, Statistic::kRate, 0, std::nullopt};
  const std::vector<Reading> readings{reading_at(0, 100), reading_at(10, 150),
                                      reading_at(20, 10), reading_at(30, 40)};
  // (0,30]: +50, reset to 10 counts 10, +30 -> 90 over 30 s.
  EXPECT_DOUBLE_EQ(*datapoint(rate, readings, kStart, kStart + 30 * kSecond), 3.0);
  // (10,20]: baseline at 10 s.
  EXPECT_DOUBLE_EQ(*datapoint(rate, readings, kStart + 10 * kSecond, kStart + 20 * kSecond), 1.0);
  EXPECT_FALSE(datapoint(rate, readings, kStart + 40 * kSecond, kStart + 50 * kSecond));

  MetricQuery ratio{{"c", {}}, Statistic::kRatio, 0, MetricSelector{"d", {}}};
  const std::vector<Reading> pairs{reading_at(0, 0, 0), reading_at(10, 2, 100),
                                   reading_at(20, 2, 100)};
  EXPECT_DOUBLE_EQ(*datapoint(ratio, pairs, kStart, kStart + 10 * kSecond), 0.02);
  EXPECT_FALSE(datapoint(ratio, pairs, kStart + 10 * kSecond, kStart + 20 * kSecond))
      << "no requests: no ratio";
}

TEST(MetricQuery, ACounterSeriesThatAppearsCountsFromZero) {
  prometheus::Registry registry;
  auto& requests = prometheus::BuildCounter().Name("requests").Register(registry);
  requests.Add({{"class", "2xx"}}).Increment(10);
  MetricQuery errors{{"requests", {{"class", "5xx"}}}, Statistic::kRatio, 0,
                     MetricSelector{"requests", {}}};
  const MetricSnapshot before = take_snapshot(registry, kStart);
  requests.Add({{"class", "5xx"}}).Increment(3);
  requests.Add({{"class", "2xx"}}).Increment(7);
  const MetricSnapshot after = take_snapshot(registry, kStart + kSecond);
  const std::vector<Reading> readings{read(errors, before), read(errors, after)};
  EXPECT_DOUBLE_EQ(*datapoint(errors, readings, kStart - 1, kStart + kSecond), 0.3);
}

TEST(MetricQuery, PercentilesInterpolateWithinTheBucketAsPromQlDoes) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildHistogram().Name("latency").Register(registry);
  auto& histogram = family.Add({}, prometheus::Histogram::BucketBoundaries{0.1, 0.2, 0.4});
  for (int i = 0; i < 50; ++i) histogram.Observe(5);  // before the period: ignored
  MetricQuery p50{{"latency", {}}, Statistic::kPercentile, 50, std::nullopt};
  MetricQuery p99{{"latency", {}}, Statistic::kPercentile, 99, std::nullopt};
  const MetricSnapshot before = take_snapshot(registry, kStart);
  for (int i = 0; i < 100; ++i) histogram.Observe(i < 50 ? 0.05 : 0.3);
  const MetricSnapshot after = take_snapshot(registry, kStart + 10 * kSecond);
  std::vector<Reading> readings{read(p50, before), read(p50, after)};
  EXPECT_NEAR(*datapoint(p50, readings, kStart, kStart + 10 * kSecond), 0.1, 1e-9);
  readings = {read(p99, before), read(p99, after)};
  // 99th of 100: rank 99 in (0.2, 0.4] holding 50 from cumulative 50 -> 0.2 + 0.2 * 49/50.
  EXPECT_NEAR(*datapoint(p99, readings, kStart, kStart + 10 * kSecond), 0.396, 1e-9);
}

TEST(AlarmEvaluator, MOutOfNAlarmsAndMissingDataFollowsItsTreatment) {
  AlarmRule rule = parse(
      R"({"name":"e","metric":"m","comparison":"GreaterThanThreshold","threshold":1,)"
      R"("evaluation_periods":3,"datapoints_to_alarm":2,"unit":"ratio"})");
  const std::vector<Datapoint> two_of_three{{0, 2.0}, {1, 0.5}, {2, 3.0}};
  Evaluation alarm = evaluate(rule, two_of_three, kStateOk);
  EXPECT_EQ(alarm.state, kStateAlarm);
  EXPECT_EQ(alarm.breaching, 2);
  EXPECT_EQ(*alarm.value, 3.0);
  EXPECT_NE(alarm.reason.find("2 of the last 3 datapoints were greater than the threshold (100%)"),
            std::string::npos)
      << alarm.reason;
  EXPECT_NE(alarm.reason.find("300%"), std::string::npos) << alarm.reason;

  const std::vector<Datapoint> one_of_three{{0, 2.0}, {1, std::nullopt}, {2, 0.1}};
  EXPECT_EQ(evaluate(rule, one_of_three, kStateAlarm).state, kStateOk);
  rule.treat_missing = MissingData::kBreaching;
  EXPECT_EQ(evaluate(rule, one_of_three, kStateOk).state, kStateAlarm);

  const std::vector<Datapoint> none{{0, std::nullopt}, {1, std::nullopt}, {2, std::nullopt}};
  rule.treat_missing = MissingData::kMissing;
  EXPECT_EQ(evaluate(rule, none, kStateOk).state, kStateInsufficient);
  rule.treat_missing = MissingData::kIgnore;
  EXPECT_EQ(evaluate(rule, none, kStateAlarm).state, kStateAlarm);
  rule.treat_missing = MissingData::kNotBreaching;
  EXPECT_EQ(evaluate(rule, none, kStateAlarm).state, kStateOk);
}

TEST(AlarmRule, DocumentsRoundTripAndBadOnesNameTheKey) {
  const AlarmRule rule = parse(
      R"({"name":"errors","metric":"cloudvault_requests_total","labels":{"status_class":"5xx"},)"
      R"("statistic":"Ratio","over":"cloudvault_requests_total","period_seconds":300,)"
      R"("comparison":"GreaterThanThreshold","threshold":0.01,"targets":["ops"],)"
      R"("treat_missing_data":"notBreaching","unit":"ratio"})");
  EXPECT_EQ(rule.query.statistic, Statistic::kRatio);
  EXPECT_EQ(rule.query.selector.labels.at("status_class"), "5xx");
  const AlarmRule again = parse(boost::json::serialize(alarm_rule_json(rule)));
  EXPECT_EQ(boost::json::serialize(alarm_rule_json(again)),
            boost::json::serialize(alarm_rule_json(rule)));
  EXPECT_EQ(format_value(rule, 0.042), "4.2%");

  auto refused = [](std::string_view text, std::string_view key) {
    auto result = parse_alarm_rule(boost::json::parse(text));
    ASSERT_FALSE(result) << text;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(result.error().message.find(key), std::string::npos) << result.error().message;
  };
  const std::string base = R"("metric":"m","comparison":"LessThanThreshold","threshold":1)";
  refused(R"({"name":"a b",)" + base + "}", "name");
  refused(R"({"name":"a",)" + base + R"(,"statistic":"Median"})", "statistic");
  refused(R"({"name":"a",)" + base + R"(,"statistic":"Ratio"})", "over");
  refused(R"({"name":"a",)" + base + R"(,"evaluation_periods":2,"datapoints_to_alarm":3})",
          "datapoints_to_alarm");
  refused(R"({"name":"a",)" + base + R"(,"period_seconds":0})", "period_seconds");
  refused(R"({"name":"a",)" + base + R"(,"colour":"red"})", "colour");
  refused(R"({"name":"a","metric":"m","threshold":1})", "comparison");
  refused(R"({"name":"a","metric":"m","comparison":"Above","threshold":1})", "comparison");
}

TEST(DefaultAlarms, AreTheSevenTheIssueNamesAndValid) {
  const std::vector<AlarmRule> rules = default_alarms();
  std::vector<std::string> names;
  for (const AlarmRule& rule : rules) {
    names.push_back(rule.name);
    EXPECT_TRUE(parse_alarm_rule(alarm_rule_json(rule))) << rule.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"disk-free-low", "error-rate-high", "host-cpu-high",
                                             "replication-lag-high", "deliveries-parked",
                                             "health-check-failing", "master-key-unreadable"}));
}

class AlarmEngineTest : public ::testing::Test {
 protected:
  AlarmEngineTest()
      : vault_(clock_),
        gauge_(prometheus::BuildGauge().Name("level").Register(registry_).Add({})) {}

  Result<std::vector<meta::AlarmHistoryEntry>> tick(AlarmEngine& engine, int64_t seconds) {
    return engine.run_once(take_snapshot(registry_, kStart + seconds * kSecond));
  }

  SystemClock clock_;
  vault::testing::TempVault vault_;
  prometheus::Registry registry_;
  prometheus::Gauge& gauge_;
};

TEST_F(AlarmEngineTest, GoesToAlarmAndBackNotifyingBothAndRecordingHistory) {
  const int64_t position = *vault_.meta().register_consumer("test");
  AlarmRule rule = parse(
      R"({"name":"level-high","metric":"level","comparison":"GreaterThanThreshold",)"
      R"("threshold":10,"period_seconds":10,"evaluation_periods":2,"datapoints_to_alarm":2,)"
      R"("targets":["ops"]})");
  AlarmEngine engine(vault_.meta(), [&] { return Result<std::vector<AlarmRule>>({rule}); },
                     {.dashboard_url = "http://vault/_console/#/dashboard"});
  gauge_.Set(1);
  ASSERT_TRUE(tick(engine, 0));
  ASSERT_TRUE(tick(engine, 5));
  EXPECT_TRUE(vault_.meta().list_alarm_states()->empty()) << "not watched for a period yet";
  auto first = tick(engine, 10);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->at(0).new_state, "OK");  // one datapoint of two present, not breaching
  gauge_.Set(50);
  ASSERT_TRUE(tick(engine, 20));
  EXPECT_EQ(vault_.meta().list_alarm_states()->at(0).state, "OK") << "one breaching of two";
  auto alarmed = tick(engine, 30);
  ASSERT_TRUE(alarmed);
  ASSERT_EQ(alarmed->size(), 1u);
  EXPECT_EQ(alarmed->at(0).old_state, "OK");
  EXPECT_EQ(alarmed->at(0).new_state, "ALARM");
  gauge_.Set(2);
  auto recovered = tick(engine, 40);  // (20,30] breached, (30,40] did not: 1 of 2
  ASSERT_TRUE(recovered);
  ASSERT_EQ(recovered->size(), 1u);
  EXPECT_EQ(recovered->at(0).new_state, "OK");

  auto events = vault_.meta().list_events(position, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u) << "INSUFFICIENT_DATA -> OK notifies no one";
  const auto alarm = boost::json::parse(events->at(0).detail).as_object();
  EXPECT_EQ(alarm.at("AlarmName").as_string(), "level-high");
  EXPECT_EQ(alarm.at("NewStateValue").as_string(), "ALARM");
  EXPECT_EQ(alarm.at("OldStateValue").as_string(), "OK");
  EXPECT_EQ(alarm.at("Value").as_double(), 50.0);
  EXPECT_EQ(alarm.at("ThresholdText").as_string(), "10");
  EXPECT_EQ(alarm.at("DashboardUrl").as_string(), "http://vault/_console/#/dashboard");
  EXPECT_EQ(alarm.at("Targets").as_array().at(0).as_string(), "ops");
  EXPECT_EQ(boost::json::parse(events->at(1).detail).at("NewStateValue").as_string(), "OK");
  EXPECT_EQ(vault_.meta().list_alarm_history("level-high", 10)->size(), 3u);
}

TEST_F(AlarmEngineTest, ARestartKeepsTheStoredStateUntilAPeriodIsWatched) {
  AlarmRule rule = parse(
      R"({"name":"low","metric":"level","comparison":"LessThanThreshold","threshold":5,)"
      R"("period_seconds":10})");
  auto rules = [&] { return Result<std::vector<AlarmRule>>({rule}); };
  {
    AlarmEngine engine(vault_.meta(), rules);
    gauge_.Set(1);
    ASSERT_TRUE(tick(engine, 0));
    ASSERT_TRUE(tick(engine, 10));
    EXPECT_EQ(vault_.meta().list_alarm_states()->at(0).state, "ALARM");
  }
  AlarmEngine restarted(vault_.meta(), rules);
  gauge_.Set(100);
  auto early = tick(restarted, 100);
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  EXPECT_EQ(vault_.meta().list_alarm_states()->at(0).state, "ALARM");
  auto later = tick(restarted, 110);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->at(0).old_state, "ALARM");
  EXPECT_EQ(later->at(0).new_state, "OK");
}

TEST_F(AlarmEngineTest, HistoryStoresOnePointPerSeriesAndIntervalAndAnHourlyAverage) {
  auto& requests = prometheus::BuildCounter().Name("cloudvault_requests_total").Register(registry_);
  auto& s3_ok = requests.Add({{"api", "s3"}, {"status_class", "2xx"}});
  auto& s3_fail = requests.Add({{"api", "s3"}, {"status_class", "5xx"}});
  MetricHistory history(vault_.meta(), {.resolution_seconds = 60});
  const int64_t base = 3540;  // a minute before an hour ends
  ASSERT_TRUE(history.run_once(take_snapshot(registry_, kStart + base * kSecond)));
  s3_ok.Increment(90);
  s3_fail.Increment(30);
  ASSERT_TRUE(history.run_once(take_snapshot(registry_, kStart + (base + 30) * kSecond)));
  ASSERT_TRUE(history.run_once(take_snapshot(registry_, kStart + (base + 60) * kSecond)));
  auto rate = vault_.meta().list_metric_points("requests_per_second", 60, 0);
  ASSERT_TRUE(rate) << rate.error().message;
  ASSERT_EQ(rate->size(), 1u);
  EXPECT_EQ(rate->at(0).series, "requests_per_second{api=s3}");
  EXPECT_EQ(rate->at(0).time_ns, kStart + base * kSecond);
  EXPECT_DOUBLE_EQ(rate->at(0).value, 2.0);  // 120 requests in 60 s
  auto errors = vault_.meta().list_metric_points("error_ratio{class=5xx}", 60, 0);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_DOUBLE_EQ(errors->at(0).value, 0.25);
  auto hourly = vault_.meta().list_metric_points("requests_per_second", kHourlyResolution, 0);
  ASSERT_TRUE(hourly) << hourly.error().message;
  ASSERT_EQ(hourly->size(), 1u);
  EXPECT_DOUBLE_EQ(hourly->at(0).value, 2.0);
  EXPECT_EQ(hourly->at(0).time_ns, kStart);
}

}  // namespace
}  // namespace cv::workers::alarms
