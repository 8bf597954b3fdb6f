#include "activity/daily_scores.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace cv::activity {

std::vector<DayScore> daily_scores(const std::vector<meta::ActivityDayService>& sums,
                                   int64_t from_day, int64_t to_day, int64_t daily_cap_milli,
                                   int64_t service_cap_milli) {
  std::vector<DayScore> days;
  if (to_day < from_day) return days;
  days.resize(static_cast<size_t>(to_day - from_day + 1));
  for (size_t i = 0; i < days.size(); ++i) days[i].day = from_day + static_cast<int64_t>(i);
  for (const meta::ActivityDayService& sum : sums) {
    if (sum.day < from_day || sum.day > to_day) continue;
    DayScore& day = days[static_cast<size_t>(sum.day - from_day)];
    day.events += sum.events;
    int64_t capped = std::min(sum.points_milli, service_cap_milli);
    auto same = std::find_if(day.top_services.begin(), day.top_services.end(),
                             [&](const ServiceScore& s) { return s.service == sum.service; });
    if (same != day.top_services.end()) {
      same->score_milli = std::min(same->score_milli + sum.points_milli, service_cap_milli);
    } else {
      day.top_services.push_back(ServiceScore{sum.service, capped});
    }
  }
  std::vector<int64_t> scoring;
  for (DayScore& day : days) {
    int64_t total = 0;
    for (const ServiceScore& service : day.top_services) total += service.score_milli;
    day.score_milli = std::min(total, daily_cap_milli);
    std::erase_if(day.top_services, [](const ServiceScore& s) { return s.score_milli == 0; });
    std::sort(day.top_services.begin(), day.top_services.end(),
              [](const ServiceScore& a, const ServiceScore& b) {
                return a.score_milli != b.score_milli ? a.score_milli > b.score_milli
                                                      : a.service < b.service;
              });
    if (day.top_services.size() > 3) day.top_services.resize(3);
    if (day.score_milli > 0) scoring.push_back(day.score_milli);
  }
  if (scoring.empty()) return days;
  std::sort(scoring.begin(), scoring.end());
  auto rank = [&](int quarter) {  // nearest-rank percentile quarter*25
    size_t n = scoring.size();
    size_t index = (static_cast<size_t>(quarter) * n + 3) / 4;  // ceil(quarter * n / 4)
    return scoring[std::max<size_t>(index, 1) - 1];
  };
  int64_t q1 = rank(1), q2 = rank(2), q3 = rank(3);
  for (DayScore& day : days) {
    if (day.score_milli == 0) continue;
    day.level = day.score_milli <= q1   ? 1
                : day.score_milli <= q2 ? 2
                : day.score_milli <= q3 ? 3
                                        : 4;
  }
  return days;
}

std::optional<int64_t> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0, month = 0, day = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  year = std::stoi(std::string(text.substr(0, 4)));
  month = std::stoi(std::string(text.substr(5, 2)));
  day = std::stoi(std::string(text.substr(8, 2)));
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                   std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count();
}

boost::json::value points_json(int64_t milli) {
  if (milli % 1000 == 0) return milli / 1000;
  return static_cast<double>(milli) / 1000.0;
}

std::string format_day(int64_t day) {
  std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace cv::activity
