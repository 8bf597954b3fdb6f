// The MetaStore conformance tests for the activity pipeline (fixture in
// meta_store_conformance.h): events upserted by id, bursts counted once with their highest
// points whatever the order, days summed over the actors a profile's principals name,
// rescore rebuilding every aggregate, file checkpoints and profiles.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

constexpr int64_t kDay = 86'400'000'000'000;
constexpr int64_t kDay20000 = 20000 * kDay;  // 2024-10-04T00:00:00Z

ActivityActor alice() {
  return ActivityActor{"111122223333", "arn:aws:iam::111122223333:user/alice", "AKIAALICE", "alice",
                       ""};
}
ActivityActor role_session() {
  return ActivityActor{"111122223333", "arn:aws:sts::111122223333:assumed-role/Admin/bob",
                       "ASIABOB", "", "arn:aws:iam::111122223333:role/Admin"};
}

ActivityEvent make_event(std::string id, ActivityActor actor, int64_t time_ns, std::string name,
                         std::string service, int64_t points, int64_t window_s) {
  ActivityEvent event;
  event.event_id = std::move(id);
  event.time_ns = time_ns;
  event.event_source = service + ".amazonaws.com";
  event.event_name = std::move(name);
  event.actor = std::move(actor);
  event.record_hash = std::string(32, '\x07');
  event.scoring = ActivityScoring{std::move(service), points, window_s};
  return event;
}

std::vector<ActivityDayService> days_of(MetaStore& store, std::vector<std::string> principals,
                                        int64_t from = 19990, int64_t to = 20010) {
  auto days = store.activity_days(principals, from, to);
  EXPECT_TRUE(days) << days.error().message;
  return days ? *days : std::vector<ActivityDayService>{};
}

TEST_P(MetaStoreConformance, ActivityEventsAreUpsertedByIdAndSummedPerDayAndService) {
  std::vector<ActivityEvent> events = {
      make_event("e1", alice(), kDay20000 + 10, "RunInstances", "ec2", 5000, 100),
      make_event("e2", alice(), kDay20000 + 20, "CreateBucket", "s3", 3000, 200),
      make_event("e3", alice(), kDay20000 + kDay + 5, "CreateBucket", "s3", 3000, 300),
  };
  auto first = store().put_activity_events(events);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->added, 3u);
  EXPECT_EQ(first->duplicates, 0u);
  auto again = store().put_activity_events(events);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->added, 0u);
  EXPECT_EQ(again->duplicates, 3u);

  auto days = days_of(store(), {"alice"});
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].day, 20000);
  EXPECT_EQ(days[0].service, "ec2");
  EXPECT_EQ(days[0].points_milli, 5000);
  EXPECT_EQ(days[0].events, 1);
  EXPECT_EQ(days[1].service, "s3");
  EXPECT_EQ(days[1].points_milli, 3000);
  EXPECT_EQ(days[2].day, 20001);
  EXPECT_EQ(days[2].points_milli, 3000);
  // Outside the range: nothing.
  EXPECT_TRUE(days_of(store(), {"alice"}, 20002, 20010).empty());
}

TEST_P(MetaStoreConformance, ActivityBurstCountsOnceWithItsHighestPointsInAnyOrder) {
  // Same actor, source, name and window: one burst. A failed call (fewer points) first.
  std::vector<ActivityEvent> burst = {
      make_event("b1", alice(), kDay20000 + 1, "PutObject", "s3", 500, 60),
      make_event("b2", alice(), kDay20000 + 2, "PutObject", "s3", 2000, 60),
      make_event("b3", alice(), kDay20000 + 3, "PutObject", "s3", 2000, 60),
      make_event("b4", alice(), kDay20000 + 4, "PutObject", "s3", 2000, 120),  // next window
  };
  ASSERT_TRUE(store().put_activity_events({burst[0]}));
  ASSERT_TRUE(store().put_activity_events({burst[1], burst[2], burst[3]}));
  auto days = days_of(store(), {"AKIAALICE"});
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].points_milli, 4000);  // 2000 for window 60, 2000 for window 120
  EXPECT_EQ(days[0].events, 4);

  // The reverse order gives the same.
  reopen();
  std::vector<ActivityEvent> reversed(burst.rbegin(), burst.rend());
  for (ActivityEvent& event : reversed) {
    event.event_id += "-r";
    event.actor.user_name = "carol";
    event.actor.arn = "arn:aws:iam::111122223333:user/carol";
    event.actor.access_key_id = "AKIACAROL";
    ASSERT_TRUE(store().put_activity_events({event}));
  }
  auto carol = days_of(store(), {"carol"});
  ASSERT_EQ(carol.size(), 1u);
  EXPECT_EQ(carol[0].points_milli, 4000);
  EXPECT_EQ(carol[0].events, 4);
}

TEST_P(MetaStoreConformance, ActivityPrincipalsMatchAnyIdentityFact) {
  ASSERT_TRUE(store().put_activity_events({
      make_event("a", alice(), kDay20000, "RunInstances", "ec2", 1000, 1),
      make_event("r", role_session(), kDay20000, "CreateFunction20150331", "lambda", 4000, 1),
  }));
  auto by_account = days_of(store(), {"111122223333"});
  ASSERT_EQ(by_account.size(), 2u);
  auto by_role = days_of(store(), {"arn:aws:iam::111122223333:role/Admin"});
  ASSERT_EQ(by_role.size(), 1u);
  EXPECT_EQ(by_role[0].service, "lambda");
  auto by_session =
      days_of(store(), {"arn:aws:sts::111122223333:assumed-role/Admin/bob", "AKIAALICE"});
  EXPECT_EQ(by_session.size(), 2u);
  // A principal named twice (account and key of one actor) counts the actor once.
  auto twice = days_of(store(), {"111122223333", "AKIAALICE"});
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_EQ(twice[0].points_milli, 1000);
  EXPECT_TRUE(days_of(store(), {"999999999999"}).empty());
}

TEST_P(MetaStoreConformance, ActivityEventsOfPrincipalsAreListedInTimeOrder) {
  ASSERT_TRUE(store().put_activity_events({
      make_event("late", alice(), kDay20000 + kDay + 9, "CreateBucket", "s3", 3000, 2),
      make_event("early", alice(), kDay20000 + 1, "RunInstances", "ec2", 5000, 1),
      make_event("bob", role_session(), kDay20000 + 2, "CreateFunction", "lambda", 4000, 1),
      make_event("outside", alice(), kDay20000 + 3 * kDay, "CreateBucket", "s3", 3000, 3),
  }));
  auto events = store().activity_events({"alice"}, 20000, 20001);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event_id, "early");
  EXPECT_EQ((*events)[0].scoring.points_milli, 5000);
  EXPECT_EQ((*events)[0].scoring.service, "ec2");
  EXPECT_EQ((*events)[0].record_hash, std::string(32, '\x07'));
  EXPECT_EQ((*events)[0].actor, alice());
  EXPECT_EQ((*events)[1].event_id, "late");
  auto everyone = store().activity_events({"111122223333"}, 20000, 20003);
  ASSERT_TRUE(everyone);
  EXPECT_EQ(everyone->size(), 4u);
  auto nobody = store().activity_events({"nobody"}, 20000, 20003);
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty());
}

TEST_P(MetaStoreConformance, ActivityRescoreRebuildsEveryAggregate) {
  ASSERT_TRUE(store().put_activity_events({
      make_event("x1", alice(), kDay20000 + 1, "DescribeInstances", "ec2", 100, 10),
      make_event("x2", alice(), kDay20000 + 2, "DescribeInstances", "ec2", 100, 10),
      make_event("x3", alice(), kDay20000 + 3, "CreateVpc", "ec2", 100, 10),
  }));
  ASSERT_EQ(days_of(store(), {"alice"})[0].points_milli, 200);
  std::vector<std::string> seen;
  auto scored =
      store().rescore_activity([&](const ActivityEvent& event) -> Result<ActivityScoring> {
        seen.push_back(event.event_id);
        EXPECT_EQ(event.actor, alice());
        EXPECT_EQ(event.record_hash, std::string(32, '\x07'));
        // Every event its own window now; CreateVpc moves to the vpc service.
        std::string service = event.event_name == "CreateVpc" ? "vpc" : "ec2";
        return ActivityScoring{service, 700, event.time_ns};
      });
  ASSERT_TRUE(scored) << scored.error().message;
  EXPECT_EQ(*scored, 3u);
  EXPECT_EQ(seen, (std::vector<std::string>{"x1", "x2", "x3"}));
  auto days = days_of(store(), {"alice"});
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].service, "ec2");
  EXPECT_EQ(days[0].points_milli, 1400);
  EXPECT_EQ(days[0].events, 2);
  EXPECT_EQ(days[1].service, "vpc");
  EXPECT_EQ(days[1].points_milli, 700);

  // A failing rescore leaves the aggregates as they were.
  auto failed = store().rescore_activity([](const ActivityEvent&) -> Result<ActivityScoring> {
    return fail(ErrorCode::kInvalidArgument, "no rules");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(days_of(store(), {"alice"})[0].points_milli, 1400);
}

TEST_P(MetaStoreConformance, ActivityFileCheckpointsAreKeptPerSourceAndPath) {
  auto none = store().get_activity_file("/trails", "a.json.gz");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store().put_activity_file({"/trails", "a.json.gz", 100, "etag1", 7, 5}));
  ASSERT_TRUE(store().put_activity_file({"s3://b/p", "a.json.gz", 200, "etag2", 9, 6}));
  ASSERT_TRUE(store().put_activity_file({"/trails", "a.json.gz", 150, "etag3", 8, 7}));
  auto got = store().get_activity_file("/trails", "a.json.gz");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->size, 150);
  EXPECT_EQ((*got)->etag, "etag3");
  EXPECT_EQ((*got)->records, 8);
  auto other = store().get_activity_file("s3://b/p", "a.json.gz");
  ASSERT_TRUE(other && other->has_value());
  EXPECT_EQ((*other)->size, 200);
}

TEST_P(MetaStoreConformance, ActivityProfilesGatherPrincipals) {
  ASSERT_TRUE(store().add_activity_principals("dev", {"alice", "111122223333"}, 42));
  ASSERT_TRUE(store().add_activity_principals("dev", {"alice", "AKIAX"}, 43));
  ASSERT_TRUE(store().add_activity_principals("admin", {"root"}, 44));
  auto listed = store().list_activity_profiles();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "admin");
  EXPECT_EQ((*listed)[1].principals, (std::vector<std::string>{"111122223333", "AKIAX", "alice"}));
  EXPECT_EQ((*listed)[1].created_ns, 42);
  auto dev = store().get_activity_profile("dev");
  ASSERT_TRUE(dev && dev->has_value());
  EXPECT_EQ((*dev)->principals.size(), 3u);
  auto removed = store().remove_activity_profile("dev");
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  auto again = store().remove_activity_profile("dev");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto gone = store().get_activity_profile("dev");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  // Re-created empty of the old principals.
  ASSERT_TRUE(store().add_activity_principals("dev", {"bob"}, 50));
  EXPECT_EQ((*store().get_activity_profile("dev"))->principals, std::vector<std::string>{"bob"});
}

}  // namespace
}  // namespace cv::meta::conformance
