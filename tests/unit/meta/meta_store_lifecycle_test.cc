// The MetaStore conformance tests for background work (fixture in meta_store_conformance.h):
// the due-time index, guarded version changes with their outbox events, rescheduling and
// usage by storage class.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

ObjectVersion due_object(const std::string& key, int64_t due_ns) {
  ObjectVersion object = make_object("b", key);
  object.lifecycle_due_ns = due_ns;
  return object;
}

Event event_named(const std::string& name, const std::string& key) {
  Event event;
  event.time_ns = 5;
  event.name = name;
  event.bucket = "b";
  event.key = key;
  event.version_id = "null";
  event.size = 4;
  event.etag = "e";
  event.storage_class = "STANDARD_IA";
  event.detail = R"({"rule":"r1"})";
  return event;
}

TEST_P(MetaStoreConformance, DueVersionsComeFromTheIndexEarliestFirst) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(due_object("late", 300)));
  ASSERT_TRUE(store().put_object(due_object("early", 100)));
  ASSERT_TRUE(store().put_object(due_object("never", 0)));
  ASSERT_TRUE(store().put_object(due_object("future", 900)));

  auto due = store().due_versions(300, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].key, "early");
  EXPECT_EQ((*due)[0].due_ns, 100);
  EXPECT_EQ((*due)[1].key, "late");
  EXPECT_EQ((*due)[1].version_id, "null");
  EXPECT_EQ(store().due_versions(1000, 1)->size(), 1u);
  EXPECT_TRUE(store().due_versions(99, 10)->empty());
}

TEST_P(MetaStoreConformance, DemotionMakesAVersionDueOnlyUnderLifecycleRules) {
  create_bucket("b");
  ObjectVersion first = make_object("b", "k");
  first.version_id = "v1";
  first.mtime_ns = 10;
  ObjectVersion second = first;
  second.version_id = "v2";
  second.mtime_ns = 20;
  ASSERT_TRUE(store().put_object(first));
  ASSERT_TRUE(store().put_object(second));
  auto versions = store().key_versions("b", "k");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version_id, "v2");
  EXPECT_EQ((*versions)[0].noncurrent_since_ns, 0);
  EXPECT_EQ((*versions)[1].version_id, "v1");
  EXPECT_EQ((*versions)[1].noncurrent_since_ns, 20);
  EXPECT_EQ((*versions)[1].lifecycle_due_ns, 0);
  EXPECT_TRUE((*versions)[1].inline_data.empty());

  ASSERT_TRUE(store().put_bucket_config("b", "lifecycle", "{}"));
  ObjectVersion third = first;
  third.version_id = "v3";
  third.mtime_ns = 30;
  ASSERT_TRUE(store().put_object(third));
  auto due = store().due_versions(30, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].version_id, "v2");
  EXPECT_EQ((*due)[0].due_ns, 30);
}

TEST_P(MetaStoreConformance, UpdateChangeMovesTheBodyAndRecordsItsEvent) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "k", {"hot"});
  object.lifecycle_due_ns = 50;
  ASSERT_TRUE(store().put_object(object));

  VersionChange change;
  change.bucket = "b";
  change.key = "k";
  change.version_id = "null";
  change.expected_mtime_ns = object.mtime_ns;
  change.storage_class = "STANDARD_IA";
  change.blobs = std::vector<BlobRef>{
      BlobRef{.blob_id = "cold", .size = 1024, .stored_size = 99, .codec = "zstd"}};
  change.due_ns = 777;
  change.event = event_named("s3:LifecycleTransition", "k");
  ASSERT_TRUE(store().apply_change(change));

  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->storage_class, "STANDARD_IA");
  ASSERT_EQ((*read)->blobs.size(), 1u);
  EXPECT_EQ((*read)->blobs[0].blob_id, "cold");
  EXPECT_EQ((*read)->blobs[0].codec, "zstd");
  EXPECT_EQ((*read)->lifecycle_due_ns, 777);
  EXPECT_TRUE(*store().blob_in_use("cold"));
  EXPECT_FALSE(*store().blob_in_use("hot"));
  auto garbage = store().take_garbage(10);
  ASSERT_TRUE(garbage);
  EXPECT_EQ(*garbage, std::vector<std::string>{"hot"});

  auto events = store().list_events(0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_GT((*events)[0].seq, 0);
  EXPECT_EQ((*events)[0].name, "s3:LifecycleTransition");
  EXPECT_EQ((*events)[0].storage_class, "STANDARD_IA");
  EXPECT_EQ((*events)[0].detail, R"({"rule":"r1"})");
  EXPECT_TRUE(store().list_events((*events)[0].seq, 10)->empty());
}

TEST_P(MetaStoreConformance, UpdateChangeDropsTheInlineBody) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k", "inline body")));
  VersionChange change;
  change.bucket = "b";
  change.key = "k";
  change.version_id = "null";
  change.blobs = std::vector<BlobRef>{BlobRef{.blob_id = "moved", .size = 11}};
  ASSERT_TRUE(store().apply_change(change));
  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  EXPECT_TRUE((*read)->inline_data.empty());
  EXPECT_EQ((*read)->size, 11u);
  EXPECT_EQ((*read)->storage_class, "STANDARD");
}

TEST_P(MetaStoreConformance, ChangesAreGuardedAndFailWithoutEffect) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "k");
  ASSERT_TRUE(store().put_object(object));
  VersionChange change;
  change.bucket = "b";
  change.key = "k";
  change.version_id = "null";
  change.expected_mtime_ns = object.mtime_ns + 1;
  change.storage_class = "GLACIER";
  change.event = event_named("s3:LifecycleTransition", "k");
  EXPECT_EQ(error_of(store().apply_change(change)), ErrorCode::kPreconditionFailed);
  change.version_id = "missing";
  EXPECT_EQ(error_of(store().apply_change(change)), ErrorCode::kNoSuchVersion);
  EXPECT_EQ((*store().get_object("b", "k", ""))->storage_class, "STANDARD");
  EXPECT_TRUE(store().list_events(0, 10)->empty());
}

TEST_P(MetaStoreConformance, DeleteAndDeleteMarkerChanges) {
  create_bucket("b");
  ObjectVersion old_version = make_object("b", "k");
  old_version.version_id = "v1";
  ObjectVersion current = old_version;
  current.version_id = "v2";
  current.mtime_ns += 10;
  ASSERT_TRUE(store().put_object(old_version));
  ASSERT_TRUE(store().put_object(current));

  VersionChange marker;
  marker.kind = VersionChange::Kind::kAddDeleteMarker;
  marker.bucket = "b";
  marker.key = "k";
  marker.version_id = "v1";  // not current: refused
  marker.marker.bucket = "b";
  marker.marker.key = "k";
  marker.marker.version_id = "m1";
  marker.marker.is_delete_marker = true;
  EXPECT_EQ(error_of(store().apply_change(marker)), ErrorCode::kPreconditionFailed);
  marker.version_id = "v2";
  marker.event = event_named("s3:LifecycleExpiration:DeleteMarkerCreated", "k");
  ASSERT_TRUE(store().apply_change(marker));
  EXPECT_TRUE((*store().get_object("b", "k", ""))->is_delete_marker);

  VersionChange remove;
  remove.kind = VersionChange::Kind::kDelete;
  remove.bucket = "b";
  remove.key = "k";
  remove.version_id = "v1";
  remove.event = event_named("s3:LifecycleExpiration:Delete", "k");
  ASSERT_TRUE(store().apply_change(remove));
  auto versions = store().key_versions("b", "k");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version_id, "m1");
  EXPECT_EQ((*versions)[1].version_id, "v2");
  auto events = store().list_events(0, 10);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].name, "s3:LifecycleExpiration:DeleteMarkerCreated");
  EXPECT_EQ((*events)[1].name, "s3:LifecycleExpiration:Delete");
}

TEST_P(MetaStoreConformance, RescheduleBucketMakesEveryVersionDue) {
  create_bucket("b");
  create_bucket("other");
  put_keys("b", {"a", "b", "c"});
  put_keys("other", {"x"});
  ASSERT_TRUE(store().reschedule_bucket("b", 42));
  auto due = store().due_versions(42, 10);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->size(), 3u);
  ASSERT_TRUE(store().reschedule_bucket("b", 0));
  EXPECT_TRUE(store().due_versions(1'000'000, 10)->empty());
  EXPECT_EQ(error_of(store().reschedule_bucket("missing", 1)), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, UsageByStorageClassCountsStoredAndLogicalBytes) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "inline", "12345")));
  ObjectVersion cold = make_blob_object("b", "cold", {"c1", "c2"});
  cold.storage_class = "STANDARD_IA";
  cold.blobs[0].stored_size = 100;
  cold.blobs[0].codec = "zstd";
  ASSERT_TRUE(store().put_object(cold));
  ObjectVersion archived = make_blob_object("b", "archived", {"g1"});
  archived.storage_class = "GLACIER";
  archived.restore = Restore{.expiry_ns = 9};
  archived.restore->blobs.push_back(BlobRef{.blob_id = "r1", .size = 1024});
  ASSERT_TRUE(store().put_object(archived));

  auto usage = store().usage_by_class("b");
  ASSERT_TRUE(usage);
  ASSERT_EQ(usage->size(), 3u);
  EXPECT_EQ((*usage)[0].storage_class, "GLACIER");
  EXPECT_EQ((*usage)[0].restored_bytes, 1024u);
  EXPECT_EQ((*usage)[1].storage_class, "STANDARD");
  EXPECT_EQ((*usage)[1].objects, 1u);
  EXPECT_EQ((*usage)[1].logical_bytes, 5u);
  EXPECT_EQ((*usage)[1].stored_bytes, 5u);
  EXPECT_EQ((*usage)[2].storage_class, "STANDARD_IA");
  EXPECT_EQ((*usage)[2].logical_bytes, 2048u);
  EXPECT_EQ((*usage)[2].stored_bytes, 1124u);
  EXPECT_EQ(error_of(store().usage_by_class("missing")), ErrorCode::kNoSuchBucket);
}

}  // namespace
}  // namespace cv::meta::conformance

namespace cv::meta::conformance {
namespace {

TEST_P(MetaStoreConformance, StateGuardLetsOnlyTheFirstOfTwoPlannedChangesApply) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "k", {"hot"});
  ASSERT_TRUE(store().put_object(object));
  auto make_change = [&](const std::string& target_blob) {
    VersionChange change;
    change.bucket = "b";
    change.key = "k";
    change.version_id = "null";
    change.expected_mtime_ns = object.mtime_ns;
    change.expect_state = true;
    change.expected_storage_class = object.storage_class;
    change.expected_blobs = object.blobs;
    change.storage_class = "STANDARD_IA";
    change.blobs = std::vector<BlobRef>{BlobRef{.blob_id = target_blob, .size = 1024}};
    return change;
  };
  auto first = store().apply_change(make_change("first"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(error_of(store().apply_change(make_change("second"))), ErrorCode::kPreconditionFailed);
  EXPECT_EQ((*store().get_object("b", "k", ""))->blobs[0].blob_id, "first");
}

}  // namespace
}  // namespace cv::meta::conformance
