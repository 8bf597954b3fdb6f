// Regression tests for what fuzz/request_parsing_fuzz found (fuzz/README.md): dates a
// TimePoint cannot hold (it counts nanoseconds in 64 bits, years 1678 to 2262) overflowed
// while being parsed; they are now refused like any other malformed date.
#include <gtest/gtest.h>

#include "core/clock.h"

namespace cv {
namespace {

TEST(ClockFuzzFindings, DatesBeyondTheTimePointRangeAreRefused) {
  EXPECT_FALSE(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sat, 01 Jan 1000 00:00:00 GMT").has_value());
  EXPECT_FALSE(parse_amz_date("99991231T235959Z").has_value());
  EXPECT_FALSE(parse_amz_date("16000101T000000Z").has_value());
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59.999Z").has_value());
  EXPECT_FALSE(parse_iso8601("2263-01-01T00:00:00Z").has_value());
}

TEST(ClockFuzzFindings, DatesInsideTheRangeStillParse) {
  const auto late = parse_amz_date("22620411T234715Z");
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(format_amz_date(*late), "22620411T234715Z");
  const auto early = parse_http_date("Fri, 01 Jan 1700 00:00:00 GMT");
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(format_http_date(*early), "Fri, 01 Jan 1700 00:00:00 GMT");
  EXPECT_TRUE(parse_iso8601("2262-04-11T23:47:15.999Z").has_value());
}

}  // namespace
}  // namespace cv
