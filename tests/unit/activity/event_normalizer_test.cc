// normalize_record: the facts of a record, its hashes, and the records it refuses.
#include "activity/event_normalizer.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv::activity {
namespace {

boost::json::object parse(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(EventNormalizer, TakesTheFactsOfAnIamUserRecord) {
  auto event = normalize_record(parse(R"({"eventVersion":"1.09","eventID":"id-1",
      "eventTime":"2024-10-04T12:00:00Z","eventSource":"ec2.amazonaws.com",
      "eventName":"RunInstances","readOnly":false,"userIdentity":{"type":"IAMUser",
      "accountId":"111122223333","arn":"arn:aws:iam::111122223333:user/alice",
      "accessKeyId":"AKIA1","userName":"alice"},"brandNewField":{"x":1}})"));
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event->event_id, "id-1");
  EXPECT_EQ(event->time_ns, 1728043200LL * 1'000'000'000);
  EXPECT_EQ(event->event_source, "ec2.amazonaws.com");
  EXPECT_EQ(event->event_name, "RunInstances");
  EXPECT_FALSE(event->read_only);
  EXPECT_FALSE(event->failed);
  EXPECT_EQ(event->actor,
            (meta::ActivityActor{"111122223333", "arn:aws:iam::111122223333:user/alice", "AKIA1",
                                 "alice", ""}));
  EXPECT_EQ(event->record_hash.size(), 32u);
}

TEST(EventNormalizer, AssumedRoleKeepsItsSessionIssuerAndErrorsMarkFailure) {
  auto event = normalize_record(parse(R"({"eventTime":"2024-10-04T12:00:00.123Z",
      "eventSource":"iam.amazonaws.com","eventName":"CreateRole","errorCode":"AccessDenied",
      "userIdentity":{"type":"AssumedRole","accountId":"1","arn":"arn:aws:sts::1:assumed-role/R/s",
      "accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/R"}}}})"));
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_TRUE(event->failed);
  EXPECT_EQ(event->actor.issuer_arn, "arn:aws:iam::1:role/R");
  EXPECT_EQ(event->actor.user_name, "");
  EXPECT_EQ(event->time_ns % 1'000'000'000, 123'000'000);
}

TEST(EventNormalizer, WithoutEventIdTheIdIsAStableContentHash) {
  auto a = normalize_record(parse(
      R"({"eventTime":"2024-10-05T09:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","x":[1,{"b":2,"a":1}]})"));
  auto b = normalize_record(parse(
      R"({ "x" : [1, {"a":1, "b":2}], "eventName":"ListBuckets", "eventSource":"s3.amazonaws.com", "eventTime":"2024-10-05T09:00:00Z" })"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->event_id, b->event_id);
  EXPECT_EQ(a->record_hash, b->record_hash);
  const std::string canonical =
      R"({"eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventTime":"2024-10-05T09:00:00Z","x":[1,{"a":1,"b":2}]})";
  EXPECT_EQ(a->event_id, "sha256:" + hex_encode(sha256(canonical)));
  EXPECT_TRUE(a->read_only);  // guessed from the name: List...
}

TEST(EventNormalizer, ReadOnlyAsTextAndLakeTimes) {
  auto event = normalize_record(parse(R"({"eventTime":"2024-10-05 09:00:00.000",
      "eventSource":"s3.amazonaws.com","eventName":"PutObject","readOnly":"true"})"));
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_TRUE(event->read_only);
  EXPECT_EQ(event->time_ns, 1728118800LL * 1'000'000'000);
}

TEST(EventNormalizer, RefusesRecordsWithoutTheFieldsScoringNeeds) {
  auto no_time = normalize_record(parse(R"({"eventSource":"s","eventName":"n"})"));
  ASSERT_FALSE(no_time);
  EXPECT_EQ(no_time.error().message, "record without eventTime");
  auto no_source =
      normalize_record(parse(R"({"eventTime":"2024-10-05T09:00:00Z","eventName":"n"})"));
  ASSERT_FALSE(no_source);
  EXPECT_EQ(no_source.error().message, "record without eventSource");
  auto bad_time =
      normalize_record(parse(R"({"eventTime":"yesterday","eventSource":"s","eventName":"n"})"));
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().message, "eventTime \"yesterday\" is no time");
}

}  // namespace
}  // namespace cv::activity
