#include "vault/bucket_tags.h"

#include <gtest/gtest.h>

#include <string>

namespace cv::vault {
namespace {

ErrorCode code_of(const Status& status) {
  return status ? ErrorCode::kInternalError : status.error().code;
}

TEST(BucketTagsTest, AcceptsS3Limits) {
  meta::StringPairs tags;
  for (int i = 0; i < 50; ++i) tags.emplace_back("k" + std::to_string(i), "");
  tags[0] = {std::string(128, 'k'), std::string(256, 'v')};
  EXPECT_TRUE(validate_bucket_tags(tags));
  EXPECT_TRUE(validate_bucket_tags({}));
  EXPECT_TRUE(validate_bucket_tags({{"awsome", "x"}, {"x-aws:y", "z"}}));
}

TEST(BucketTagsTest, RefusesWhatS3Refuses) {
  meta::StringPairs too_many;
  for (int i = 0; i < 51; ++i) too_many.emplace_back("k" + std::to_string(i), "v");
  EXPECT_EQ(code_of(validate_bucket_tags(too_many)), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{std::string(129, 'k'), "v"}})), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"", "v"}})), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"k", std::string(257, 'v')}})), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"k", "1"}, {"k", "2"}})), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"aws:cloudformation:stack", "v"}})),
            ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"AWS:Name", "v"}})), ErrorCode::kInvalidTag);
  EXPECT_EQ(code_of(validate_bucket_tags({{"k", "\xff\xfe"}})), ErrorCode::kInvalidTag);
}

TEST(BucketTagsTest, StoredFormRoundTrips) {
  const meta::StringPairs tags = {{"team", "storage"}, {"cost \"centre\"", "4/2, é"}, {"e", ""}};
  auto back = bucket_tags_from_json(bucket_tags_to_json(tags));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, tags);
  EXPECT_FALSE(bucket_tags_from_json("{\"not\": \"a list\"}"));
  EXPECT_FALSE(bucket_tags_from_json("[[\"one\"]]"));
}

}  // namespace
}  // namespace cv::vault
