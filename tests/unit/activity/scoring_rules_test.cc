// ScoringRules: the shipped file, how an event is scored, and the documents refused.
#include "activity/scoring_rules.h"

#include <gtest/gtest.h>

#include <set>

namespace cv::activity {
namespace {

meta::ActivityEvent event_of(std::string source, std::string name, int64_t seconds,
                             bool read_only = false, bool failed = false) {
  meta::ActivityEvent event;
  event.event_source = std::move(source);
  event.event_name = std::move(name);
  event.time_ns = seconds * 1'000'000'000;
  event.read_only = read_only;
  event.failed = failed;
  return event;
}

ScoringRules shipped() {
  auto rules = ScoringRules::load(CV_TEST_ACTIVITY_RULES);
  EXPECT_TRUE(rules) << rules.error().message;
  return *rules;
}

TEST(ScoringRules, TheShippedFileCoversTheServicesItMust) {
  ScoringRules rules = shipped();
  EXPECT_GE(rules.event_count(), 60u);
  EXPECT_GE(rules.service_count(), 10u);
  std::set<std::string> services;
  for (auto [source, name] : std::vector<std::pair<std::string, std::string>>{
           {"ec2.amazonaws.com", "RunInstances"},
           {"ec2.amazonaws.com", "CreateVpc"},
           {"s3.amazonaws.com", "CreateBucket"},
           {"iam.amazonaws.com", "CreateRole"},
           {"lambda.amazonaws.com", "CreateFunction20150331"},
           {"rds.amazonaws.com", "CreateDBInstance"},
           {"cloudformation.amazonaws.com", "CreateStack"},
           {"eks.amazonaws.com", "CreateCluster"},
           {"dynamodb.amazonaws.com", "CreateTable"},
           {"monitoring.amazonaws.com", "PutMetricAlarm"},
           {"console.cloudvault", "CreateFolder"}}) {
    EXPECT_GT(rules.listed_points_milli(source, name), 0) << name;
    services.insert(rules.service_of(source, name));
  }
  EXPECT_EQ(services,
            (std::set<std::string>{"ec2", "vpc", "s3", "iam", "lambda", "rds", "cloudformation",
                                   "eks", "dynamodb", "cloudwatch", "cloudvault"}));
  // Writes weigh more than reads.
  EXPECT_GT(rules.listed_points_milli("ec2.amazonaws.com", "RunInstances"),
            rules.listed_points_milli("ec2.amazonaws.com", "DescribeInstances"));
  EXPECT_GT(rules.listed_points_milli("s3.amazonaws.com", "PutObject"),
            rules.listed_points_milli("s3.amazonaws.com", "GetObject"));
  EXPECT_GT(rules.listed_points_milli("iam.amazonaws.com", "CreatePolicy"),
            rules.listed_points_milli("iam.amazonaws.com", "ListPolicies"));
}

TEST(ScoringRules, ScoresListedDefaultFailedAndUnknownEvents) {
  ScoringRules rules = shipped();
  auto run = rules.score(event_of("ec2.amazonaws.com", "RunInstances", 1728043265));
  EXPECT_EQ(run.service, "ec2");
  EXPECT_EQ(run.points_milli, 5000);
  EXPECT_EQ(run.window_start_s, 1728043260);  // aligned 60 s window
  EXPECT_EQ(rules.score(event_of("ec2.amazonaws.com", "CreateVpc", 0)).service, "vpc");
  auto failed = rules.score(event_of("iam.amazonaws.com", "CreateRole", 0, false, true));
  EXPECT_EQ(failed.points_milli, 1250);
  auto unlisted_write = rules.score(event_of("ec2.amazonaws.com", "CreateTags", 0));
  EXPECT_EQ(unlisted_write.service, "ec2");
  EXPECT_EQ(unlisted_write.points_milli, 1000);
  auto unlisted_read = rules.score(event_of("ec2.amazonaws.com", "DescribeTags", 0, true));
  EXPECT_EQ(unlisted_read.points_milli, 100);
  auto unknown = rules.score(event_of("braket.amazonaws.com", "CreateQuantumTask", 0));
  EXPECT_EQ(unknown.service, "other");
  EXPECT_EQ(unknown.points_milli, 0);
}

TEST(ScoringRules, RefusesBrokenDocumentsWithTheFieldNamed) {
  const std::string base =
      R"("failed_factor":0.5,"daily_cap":10,"service_daily_cap":5,"default_points":{"write":1,"read":0},)";
  auto window = ScoringRules::parse("{\"collapse_window_seconds\":7," + base + "\"services\":{}}");
  ASSERT_FALSE(window);
  EXPECT_NE(window.error().message.find("collapse_window_seconds"), std::string::npos);
  auto twice = ScoringRules::parse(
      "{\"collapse_window_seconds\":60," + base +
      R"("services":{"a":{"sources":["x"],"events":{"E":1}},"b":{"borrows":["x"],"events":{"E":2}}}})");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("event E of x is listed by a and b"), std::string::npos)
      << twice.error().message;
  auto negative = ScoringRules::parse("{\"collapse_window_seconds\":60," + base +
                                      R"("services":{"a":{"sources":["x"],"events":{"E":-1}}}})");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("services.a.events.E"), std::string::npos);
  auto missing = ScoringRules::parse(R"({"collapse_window_seconds":60})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "activity rules: \"failed_factor\" is missing");
  auto fine = ScoringRules::parse("{\"collapse_window_seconds\":60," + base +
                                  R"("services":{"a":{"sources":["x"],"events":{"E":2.5}}}})");
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_EQ(fine->daily_cap_milli(), 10000);
  EXPECT_EQ(fine->score(event_of("x", "E", 0, false, true)).points_milli, 1250);
}

}  // namespace
}  // namespace cv::activity
