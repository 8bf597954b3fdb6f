// daily_scores: caps per service and per day, levels by quartile, top services; day text.
#include "activity/daily_scores.h"

#include <gtest/gtest.h>

namespace cv::activity {
namespace {

TEST(DailyScores, CapsEachServiceThenTheDay) {
  std::vector<meta::ActivityDayService> sums = {
      {10, "ec2", 100'000, 20}, {10, "rds", 60'000, 10}, {10, "eks", 40'000, 5},
      {11, "s3", 3'000, 4},     {13, "other", 0, 2},
  };
  auto days = daily_scores(sums, 10, 13, 100'000, 40'000);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ(days[0].score_milli, 100'000);  // 40 + 40 + 40 capped at 100
  EXPECT_EQ(days[0].events, 35);
  ASSERT_EQ(days[0].top_services.size(), 3u);
  EXPECT_EQ(days[0].top_services[0].service, "ec2");  // ties by name
  EXPECT_EQ(days[0].top_services[0].score_milli, 40'000);
  EXPECT_EQ(days[1].score_milli, 3'000);
  EXPECT_EQ(days[2].score_milli, 0);
  EXPECT_EQ(days[2].level, 0);
  EXPECT_EQ(days[3].events, 2);  // activity that scores nothing
  EXPECT_EQ(days[3].level, 0);
  EXPECT_TRUE(days[3].top_services.empty());
}

TEST(DailyScores, LevelsAreQuartilesOfTheScoringDays) {
  // Scores 4, 4, 9, 11, 16.45, 100: q1 = 4, median = 9, q3 = 16.45 (nearest rank).
  std::vector<meta::ActivityDayService> sums = {
      {1, "a", 16'450, 1}, {2, "a", 11'000, 1}, {3, "a", 100'000, 1},
      {4, "a", 9'000, 1},  {5, "a", 4'000, 1},  {6, "a", 4'000, 1},
  };
  auto days = daily_scores(sums, 0, 6, 1'000'000, 1'000'000);
  std::vector<int> levels;
  for (const DayScore& day : days) levels.push_back(day.level);
  EXPECT_EQ(levels, (std::vector<int>{0, 3, 3, 4, 2, 1, 1}));
  // One scoring day is level 1 (it is its own every quartile).
  auto single = daily_scores({{3, "a", 5'000, 1}}, 0, 6, 1'000'000, 1'000'000);
  EXPECT_EQ(single[3].level, 1);
}

TEST(DailyScores, DaysAsText) {
  EXPECT_EQ(parse_day("1970-01-01"), 0);
  EXPECT_EQ(parse_day("2024-10-04"), 20000);
  EXPECT_EQ(format_day(20000), "2024-10-04");
  EXPECT_EQ(format_day(19782), "2024-02-29");
  EXPECT_EQ(parse_day("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_day("2024-1-04"), std::nullopt);
  EXPECT_EQ(parse_day("2024-10-04x"), std::nullopt);
}

}  // namespace
}  // namespace cv::activity
