#include "workers/notify/event_message.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

// 2024-05-06T07:08:09.123Z
constexpr int64_t kTime = 1'714'979'289'123'456'789;

meta::Event put_event() {
  meta::Event event;
  event.seq = 0x2A;
  event.time_ns = kTime;
  event.name = "s3:ObjectCreated:Put";
  event.bucket = "photos";
  event.key = "2024/my cat.jpg";
  event.version_id = "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY";
  event.size = 1234;
  event.etag = "0123456789abcdef0123456789abcdef";
  event.storage_class = "STANDARD";
  event.principal_id = "a1b2";
  event.source_ip = "192.0.2.7";
  event.request_id = "17A5F2B8C3D4E5F6";
  return event;
}

EventMessageContext context() {
  return {.region = "eu-west-1",
          .bucket_owner_id = "owner-id",
          .configuration_id = "photos-rule",
          .host_id = "host-7"};
}

json::object record_of(const meta::Event& event, const EventMessageContext& ctx = context()) {
  const json::value message = json::parse(event_message(event, ctx));
  const json::array& records = message.at("Records").as_array();
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(message.as_object().size(), 1u);
  return records.at(0).as_object();
}

TEST(EventMessage, ObjectCreatedFieldByField) {
  const json::object record = record_of(put_event());
  EXPECT_EQ(record.at("eventVersion"), "2.1");
  EXPECT_EQ(record.at("eventSource"), "aws:s3");
  EXPECT_EQ(record.at("awsRegion"), "eu-west-1");
  EXPECT_EQ(record.at("eventTime"), "2024-05-06T07:08:09.123Z");
  EXPECT_EQ(record.at("eventName"), "ObjectCreated:Put");
  EXPECT_EQ(record.at("userIdentity"), (json::object{{"principalId", "a1b2"}}));
  EXPECT_EQ(record.at("requestParameters"), (json::object{{"sourceIPAddress", "192.0.2.7"}}));
  EXPECT_EQ(record.at("responseElements"),
            (json::object{{"x-amz-request-id", "17A5F2B8C3D4E5F6"}, {"x-amz-id-2", "host-7"}}));
  const json::object& s3 = record.at("s3").as_object();
  EXPECT_EQ(s3.at("s3SchemaVersion"), "1.0");
  EXPECT_EQ(s3.at("configurationId"), "photos-rule");
  EXPECT_EQ(s3.at("bucket"), (json::object{{"name", "photos"},
                                           {"ownerIdentity", {{"principalId", "owner-id"}}},
                                           {"arn", "arn:aws:s3:::photos"}}));
  EXPECT_EQ(s3.at("object"), (json::object{{"key", "2024/my+cat.jpg"},
                                           {"size", 1234},
                                           {"eTag", "0123456789abcdef0123456789abcdef"},
                                           {"versionId", "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"},
                                           {"sequencer", "000000000000002A"}}));
  EXPECT_FALSE(record.contains("glacierEventData"));
  EXPECT_FALSE(record.contains("lifecycleEventData"));
  EXPECT_FALSE(record.contains("replicationEventData"));
  EXPECT_EQ(record.size(), 9u);
}

TEST(EventMessage, UnversionedObjectsHaveNoVersionId) {
  meta::Event event = put_event();
  event.version_id = "null";
  EXPECT_FALSE(record_of(event).at("s3").at("object").as_object().contains("versionId"));
}

TEST(EventMessage, RemovalsHaveNoSizeOrETag) {
  for (std::string_view name : {"s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
                                "s3:LifecycleExpiration:Delete"}) {
    meta::Event event = put_event();
    event.name = name;
    const json::object object = record_of(event).at("s3").at("object").as_object();
    EXPECT_FALSE(object.contains("size")) << name;
    EXPECT_FALSE(object.contains("eTag")) << name;
    EXPECT_TRUE(object.contains("key")) << name;
    EXPECT_TRUE(object.contains("sequencer")) << name;
    EXPECT_TRUE(object.contains("versionId")) << name;
  }
}

TEST(EventMessage, VersionsPerEventType) {
  for (std::string_view name :
       {"s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:Delete",
        "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:Post",
        "s3:ObjectRestore:Completed", "s3:ReducedRedundancyLostObject"}) {
    EXPECT_EQ(event_message_version(name), "2.1") << name;
  }
  for (std::string_view name :
       {"s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked"}) {
    EXPECT_EQ(event_message_version(name), "2.2") << name;
  }
  for (std::string_view name :
       {"s3:LifecycleTransition", "s3:LifecycleExpiration:Delete",
        "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:Put",
        "s3:ObjectTagging:Delete", "s3:ObjectRestore:Delete", "s3:IntelligentTiering",
        "s3:ObjectAcl:Put"}) {
    EXPECT_EQ(event_message_version(name), "2.3") << name;
  }
  meta::Event tagging = put_event();
  tagging.name = "s3:ObjectTagging:Put";
  const json::object record = record_of(tagging);
  EXPECT_EQ(record.at("eventVersion"), "2.3");
  EXPECT_EQ(record.at("eventName"), "ObjectTagging:Put");
}

TEST(EventMessage, LifecycleTransitionCarriesTheDestinationClass) {
  meta::Event event = put_event();
  event.name = "s3:LifecycleTransition";
  event.principal_id.clear();
  event.source_ip.clear();
  event.request_id.clear();
  event.detail = R"({"rule":"r1","from":"STANDARD","to":"GLACIER"})";
  const json::object record = record_of(event);
  EXPECT_EQ(record.at("eventVersion"), "2.3");
  EXPECT_EQ(record.at("lifecycleEventData"),
            (json::object{{"transitionEventData", {{"destinationStorageClass", "GLACIER"}}}}));
  // S3 names itself as the cause of its own changes.
  EXPECT_EQ(record.at("userIdentity").at("principalId"), "s3.amazonaws.com");
  EXPECT_EQ(record.at("requestParameters").at("sourceIPAddress"), "s3.amazonaws.com");

  event.detail.clear();  // an older event without "to": the event's class
  event.storage_class = "STANDARD_IA";
  EXPECT_EQ(record_of(event)
                .at("lifecycleEventData")
                .at("transitionEventData")
                .at("destinationStorageClass"),
            "STANDARD_IA");
}

TEST(EventMessage, RestoreCompletedCarriesGlacierEventData) {
  meta::Event event = put_event();
  event.name = "s3:ObjectRestore:Completed";
  event.storage_class = "GLACIER";
  event.detail = R"({"restore_expiry_ns":1715000000000000000})";
  const json::object record = record_of(event);
  EXPECT_EQ(record.at("eventVersion"), "2.1");
  EXPECT_EQ(record.at("glacierEventData"),
            (json::object{{"restoreEventData",
                           {{"lifecycleRestorationExpiryTime", "2024-05-06T12:53:20.000Z"},
                            {"lifecycleRestoreStorageClass", "GLACIER"}}}}));

  event.detail.clear();
  EXPECT_EQ(record_of(event).at("glacierEventData").at("restoreEventData"),
            (json::object{{"lifecycleRestoreStorageClass", "GLACIER"}}));

  event.name = "s3:ObjectRestore:Post";
  EXPECT_FALSE(record_of(event).contains("glacierEventData"));
}

TEST(EventMessage, ReplicationCarriesReplicationEventData) {
  meta::Event event = put_event();
  event.name = "s3:Replication:OperationFailedReplication";
  event.detail = R"({"replicationRuleId":"backup","destinationBucket":"arn:aws:s3:::copy",)"
                 R"("s3Operation":"OBJECT_PUT","requestTime":"2024-05-06T07:08:09.000Z",)"
                 R"("failureReason":"AssumeRoleNotPermitted","unrelated":1})";
  const json::object record = record_of(event);
  EXPECT_EQ(record.at("eventVersion"), "2.2");
  EXPECT_EQ(record.at("replicationEventData"),
            (json::object{{"replicationRuleId", "backup"},
                          {"destinationBucket", "arn:aws:s3:::copy"},
                          {"s3Operation", "OBJECT_PUT"},
                          {"requestTime", "2024-05-06T07:08:09.000Z"},
                          {"failureReason", "AssumeRoleNotPermitted"}}));
}

TEST(EventMessage, KeysAreFormEncodedWithSlashesKept) {
  EXPECT_EQ(event_message_key("photos/cat.jpg"), "photos/cat.jpg");
  EXPECT_EQ(event_message_key("my cat.jpg"), "my+cat.jpg");
  EXPECT_EQ(event_message_key("dt=2024-05-06/a+b.log"), "dt%3D2024-05-06/a%2Bb.log");
  EXPECT_EQ(event_message_key("a~b*c_d-e.f"), "a%7Eb*c_d-e.f");
  EXPECT_EQ(event_message_key("100%:?#&"), "100%25%3A%3F%23%26");
  EXPECT_EQ(event_message_key("caf\xC3\xA9"), "caf%C3%A9");
  EXPECT_EQ(event_message_key(std::string("nul\0x", 5)), "nul%00x");
}

TEST(EventMessage, HostIdDefaultsToTheRequestId) {
  EventMessageContext ctx = context();
  ctx.host_id.clear();
  EXPECT_EQ(record_of(put_event(), ctx).at("responseElements").at("x-amz-id-2"),
            "17A5F2B8C3D4E5F6");
}

TEST(EventMessage, TestEvent) {
  const json::value message =
      json::parse(test_event_message("photos", kTime, "17A5F2B8C3D4E5F6", "host-7"));
  EXPECT_EQ(message, (json::object{{"Service", "Amazon S3"},
                                   {"Event", "s3:TestEvent"},
                                   {"Time", "2024-05-06T07:08:09.123Z"},
                                   {"Bucket", "photos"},
                                   {"RequestId", "17A5F2B8C3D4E5F6"},
                                   {"HostId", "host-7"}}));
}

}  // namespace
}  // namespace cv::workers::notify
