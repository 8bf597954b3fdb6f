#include "core/clock.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cv
