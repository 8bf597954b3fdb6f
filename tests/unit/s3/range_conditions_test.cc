#include <gtest/gtest.h>

#include "core/clock.h"
#include "s3/conditions.h"
#include "s3/range.h"

namespace cv::s3 {
namespace {

TEST(Range, Forms) {
  auto r = resolve_range("bytes=0-9", 100).value();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->offset, 0u);
  EXPECT_EQ(r->length, 10u);
  r = resolve_range("bytes=90-", 100).value();
  EXPECT_EQ(r->offset, 90u);
  EXPECT_EQ(r->length, 10u);
  r = resolve_range("bytes=-5", 100).value();
  EXPECT_EQ(r->offset, 95u);
  EXPECT_EQ(r->length, 5u);
  r = resolve_range("bytes=-500", 100).value();
  EXPECT_EQ(r->offset, 0u);
  EXPECT_EQ(r->length, 100u);
  r = resolve_range("bytes=50-1000", 100).value();
  EXPECT_EQ(r->length, 50u);
}

TEST(Range, IgnoredAndUnsatisfiable) {
  EXPECT_FALSE(resolve_range("items=0-1", 100).value());
  EXPECT_FALSE(resolve_range("bytes=5-2", 100).value());
  EXPECT_FALSE(resolve_range("bytes=0-1,5-6", 100).value());
  EXPECT_FALSE(resolve_range("bytes=x-", 100).value());
  EXPECT_EQ(resolve_range("bytes=100-", 100).error().code, ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=0-", 0).error().code, ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=-0", 10).error().code, ErrorCode::kInvalidRange);
}

meta::ObjectVersion object_at(const char* http_date) {
  meta::ObjectVersion object;
  object.etag = "abc";
  object.mtime_ns = to_unix_nanos(*parse_http_date(http_date));
  return object;
}

Status check(std::vector<std::pair<std::string, std::string>> fields,
             std::string_view prefix = "") {
  Headers headers;
  for (auto& [n, v] : fields) headers.add(n, v);
  return check_conditions(headers, object_at("Wed, 21 Oct 2015 07:28:00 GMT"), prefix);
}

TEST(Conditions, IfMatchAndIfNoneMatch) {
  EXPECT_TRUE(check({{"if-match", "\"abc\""}}));
  EXPECT_TRUE(check({{"if-match", "*"}}));
  EXPECT_EQ(check({{"if-match", "\"zzz\""}}).error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(check({{"if-none-match", "\"abc\""}}).error().code, ErrorCode::kNotModified);
  EXPECT_TRUE(check({{"if-none-match", "\"zzz\", \"yyy\""}}));
  EXPECT_EQ(
      check({{"x-amz-copy-source-if-none-match", "\"abc\""}}, "x-amz-copy-source-").error().code,
      ErrorCode::kPreconditionFailed);
}

TEST(Conditions, Dates) {
  EXPECT_EQ(check({{"if-modified-since", "Wed, 21 Oct 2015 07:28:00 GMT"}}).error().code,
            ErrorCode::kNotModified);
  EXPECT_TRUE(check({{"if-modified-since", "Wed, 21 Oct 2015 07:27:59 GMT"}}));
  EXPECT_EQ(check({{"if-unmodified-since", "Wed, 21 Oct 2015 07:27:59 GMT"}}).error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(check({{"if-unmodified-since", "Wed, 21 Oct 2015 07:28:00 GMT"}}));
  // If-Match true overrides a failing If-Unmodified-Since, as S3 documents.
  EXPECT_TRUE(
      check({{"if-match", "\"abc\""}, {"if-unmodified-since", "Wed, 21 Oct 2015 07:00:00 GMT"}}));
  // An unparseable date is ignored.
  EXPECT_TRUE(check({{"if-modified-since", "not a date"}}));
}

}  // namespace
}  // namespace cv::s3
