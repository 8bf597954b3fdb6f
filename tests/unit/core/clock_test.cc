#include "core/clock.h"

#include <gtest/gtest.h>

#include <ctime>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace cv {
namespace {

TEST(Clock, AmzDateRoundTrip) {
  const auto t = parse_amz_date("20130524T000000Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_amz_date(*t), "20130524T000000Z");
  EXPECT_EQ(format_http_date(*t), "Fri, 24 May 2013 00:00:00 GMT");
  EXPECT_FALSE(parse_amz_date("2013-05-24T00:00:00Z").has_value());
}

TEST(Clock, Iso8601WithMillis) {
  const auto t = parse_iso8601("2009-10-12T17:50:30.250Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_iso8601(*t), "2009-10-12T17:50:30.250Z");
  EXPECT_TRUE(parse_iso8601("2009-10-12T17:50:30Z").has_value());
  EXPECT_FALSE(parse_iso8601("2009-10-12 17:50:30Z").has_value());
}

TEST(Clock, HttpDateForms) {
  const auto a = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  const auto b = parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT");
  const auto c = parse_http_date("Sun Nov  6 08:49:37 1994");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_FALSE(parse_http_date("yesterday").has_value());
  using namespace std::string_view_literals;
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT\0junk"sv).has_value());
  EXPECT_FALSE(parse_amz_date("20130524T000000Z\0"sv).has_value());
  EXPECT_FALSE(parse_iso8601("2009-10-12T17:50\0:30Z"sv).has_value());
}

// What strftime makes of the same instant (the implementation before it was written digit by
// digit), milliseconds floored.
std::string iso8601_by_strftime(int64_t nanos) {
  int64_t seconds = nanos / 1'000'000'000;
  int64_t rest = nanos % 1'000'000'000;
  if (rest < 0) {
    rest += 1'000'000'000;
    --seconds;
  }
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(rest / 1'000'000));
  return std::string(text, n) + millis;
}

TEST(Clock, Iso8601MatchesStrftimeOverTheWholeRange) {
  std::vector<int64_t> instants = {0, -1, 1, 999'999, 1'000'000, -1'000'000, -1'000'001,
                                   951'782'400'000'000'000,   // 2000-02-29
                                   4'107'456'000'000'000'000,  // 2100-02-28
                                   -2'203'891'200'000'000'000,  // 1900-03-01
                                   std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()};
  std::mt19937_64 random(20261207);
  for (int i = 0; i < 200'000; ++i) instants.push_back(static_cast<int64_t>(random()));
  for (const int64_t nanos : instants) {
    ASSERT_EQ(format_iso8601(from_unix_nanos(nanos)), iso8601_by_strftime(nanos)) << nanos;
  }
}

}  // namespace
}  // namespace cv
