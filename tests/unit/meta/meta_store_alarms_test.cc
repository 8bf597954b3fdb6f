// The MetaStore conformance tests for alarms and the dashboard's metric points (fixture in
// meta_store_conformance.h): rules kept as given and replaced by name, state and history and
// the notifying event written together, history newest first and pruned by age, metric points
// replaced by (series, resolution, time), listed by prefix and pruned per resolution.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

AlarmUpdate transition(const std::string& name, const std::string& from, const std::string& to,
                       int64_t time_ns, bool with_event) {
  AlarmUpdate update;
  update.state = AlarmState{name, to, time_ns, time_ns, "because " + to, 0.5};
  update.transition = AlarmHistoryEntry{0, name, time_ns, from, to, "because " + to, "{}"};
  if (with_event) {
    Event event;
    event.name = "cloudvault:Alarm:StateChange";
    event.time_ns = time_ns;
    event.detail = R"({"alarm":")" + name + R"("})";
    update.event = event;
  }
  return update;
}

TEST_P(MetaStoreConformance, AlarmRulesAreReplacedByNameAndDeletedWithTheirState) {
  ASSERT_TRUE(store().put_alarm_rule({"zeta", R"({"threshold":1})", 10}));
  ASSERT_TRUE(store().put_alarm_rule({"alpha", R"({"threshold":2})", 11}));
  ASSERT_TRUE(store().put_alarm_rule({"zeta", R"({"threshold":3})", 12}));
  auto rules = store().list_alarm_rules();
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ(rules->at(0).name, "alpha");
  EXPECT_EQ(rules->at(1).document, R"({"threshold":3})");
  EXPECT_EQ(rules->at(1).updated_ns, 12);

  ASSERT_TRUE(store().record_alarm_updates({transition("zeta", "INSUFFICIENT_DATA", "ALARM", 5,
                                                       false)}));
  EXPECT_EQ(store().delete_alarm_rule("zeta").value_or(false), true);
  EXPECT_EQ(store().delete_alarm_rule("zeta").value_or(true), false);
  auto states = store().list_alarm_states();
  ASSERT_TRUE(states);
  EXPECT_TRUE(states->empty());
  auto history = store().list_alarm_history("zeta", 10);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 1u);  // the history outlives the rule
}

TEST_P(MetaStoreConformance, AlarmStateHistoryAndEventCommitTogether) {
  const int64_t start = *store().register_consumer("alarm-test");
  AlarmUpdate quiet;
  quiet.state = AlarmState{"disk", "OK", 1, 7, "fine", std::nullopt};
  ASSERT_TRUE(store().record_alarm_updates(
      {quiet, transition("cpu", "OK", "ALARM", 100, true)}));
  ASSERT_TRUE(store().record_alarm_updates({transition("cpu", "ALARM", "OK", 200, true)}));
  reopen();

  auto states = store().list_alarm_states();
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), 2u);
  EXPECT_EQ(states->at(0).name, "cpu");
  EXPECT_EQ(states->at(0).state, "OK");
  EXPECT_EQ(states->at(0).since_ns, 200);
  ASSERT_TRUE(states->at(0).value.has_value());
  EXPECT_DOUBLE_EQ(*states->at(0).value, 0.5);
  EXPECT_EQ(states->at(1).name, "disk");
  EXPECT_FALSE(states->at(1).value.has_value());
  EXPECT_EQ(states->at(1).evaluated_ns, 7);

  auto history = store().list_alarm_history("", 10);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(0).new_state, "OK");  // newest first
  EXPECT_EQ(history->at(0).old_state, "ALARM");
  EXPECT_GT(history->at(0).id, history->at(1).id);
  EXPECT_EQ(store().list_alarm_history("disk", 10)->size(), 0u);
  EXPECT_EQ(store().list_alarm_history("cpu", 1)->size(), 1u);

  auto events = store().list_events(start, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->at(0).name, "cloudvault:Alarm:StateChange");
  EXPECT_EQ(events->at(1).time_ns, 200);

  EXPECT_EQ(store().prune_alarm_history(150).value_or(0), 1u);
  EXPECT_EQ(store().list_alarm_history("", 10)->size(), 1u);
}

TEST_P(MetaStoreConformance, MetricPointsAreReplacedListedByPrefixAndPrunedPerResolution) {
  ASSERT_TRUE(store().append_metric_points({{"requests{api=s3}", 60, 60'000, 1.5},
                                            {"requests{api=console}", 60, 60'000, 2},
                                            {"requests{api=s3}", 60, 0, 1},
                                            {"storage{bucket=a}", 60, 0, 10},
                                            {"requests{api=s3}", 3600, 0, 9}}));
  ASSERT_TRUE(store().append_metric_points({{"requests{api=s3}", 60, 60'000, 4.25}}));
  auto points = store().list_metric_points("requests", 60, 0);
  ASSERT_TRUE(points) << points.error().message;
  ASSERT_EQ(points->size(), 3u);
  EXPECT_EQ(points->at(0).series, "requests{api=console}");
  EXPECT_EQ(points->at(1).series, "requests{api=s3}");
  EXPECT_EQ(points->at(1).time_ns, 0);
  EXPECT_DOUBLE_EQ(points->at(2).value, 4.25);
  EXPECT_EQ(store().list_metric_points("requests{api=s3}", 60, 1)->size(), 1u);
  EXPECT_EQ(store().list_metric_points("", 3600, 0)->size(), 1u);

  EXPECT_EQ(store().prune_metric_points(60, 60'000).value_or(0), 2u);
  EXPECT_EQ(store().list_metric_points("", 60, 0)->size(), 2u);
  EXPECT_EQ(store().list_metric_points("", 3600, 0)->size(), 1u);
}

}  // namespace
}  // namespace cv::meta::conformance
