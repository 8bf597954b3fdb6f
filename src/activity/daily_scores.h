// A profile's days: the store's per-(day, service) sums capped as the rules say, and the
// heatmap level of each day as GitHub computes it. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meta/activity_types.h"

namespace cv::activity {

struct ServiceScore {
  std::string service;
  int64_t score_milli = 0;  // capped at the service cap
};

struct DayScore {
  int64_t day = 0;          // days since 1970-01-01
  int64_t score_milli = 0;  // the sum of the services' capped scores, capped at the daily cap
  int level = 0;            // 0-4
  int64_t events = 0;
  std::vector<ServiceScore> top_services;  // at most 3, highest capped score first
};

// Every day of [from_day, to_day], in order, from `sums` (ordered or not; days outside the
// range ignored). A service's day counts at most `service_cap_milli`, a day at most
// `daily_cap_milli`. Levels: 0 for a day scoring 0; otherwise the quartile of the day's score
// among the range's scoring days (nearest rank: level 1 up to the 25th percentile, 2 up to
// the median, 3 up to the 75th, 4 above), as GitHub's contribution graph does.
std::vector<DayScore> daily_scores(const std::vector<meta::ActivityDayService>& sums,
                                   int64_t from_day, int64_t to_day, int64_t daily_cap_milli,
                                   int64_t service_cap_milli);

// "YYYY-MM-DD" <-> days since 1970-01-01. parse_day: nullopt unless a valid date.
std::optional<int64_t> parse_day(std::string_view text);
std::string format_day(int64_t day);
// A score in thousandths of a point as a JSON number of points (an integer when whole).
boost::json::value points_json(int64_t milli);

}  // namespace cv::activity
