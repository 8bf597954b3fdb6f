// The MetaStore conformance tests for the operations reads behind metrics (fixture in
// meta_store_conformance.h): storage usage counters that always equal a scan of the versions,
// uploads in progress, and the outbox's backlog per consumer and per bucket.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

using UsageKey = std::pair<std::string, std::string>;  // bucket, storage class
using UsageRow = std::tuple<uint64_t, uint64_t, uint64_t, uint64_t, uint64_t>;

// What storage_usage() must say, computed by listing every version of every bucket.
std::map<UsageKey, UsageRow> scanned_usage(MetaStore& store) {
  std::map<UsageKey, UsageRow> usage;
  const auto buckets = store.list_buckets();
  EXPECT_TRUE(buckets);
  if (!buckets) return usage;
  for (const Bucket& bucket : *buckets) {
    ListVersionsQuery query{.bucket = bucket.name, .max_keys = 1000};
    for (;;) {
      auto page = store.list_object_versions(query);
      EXPECT_TRUE(page);
      if (!page) return usage;
      for (const ObjectVersion& version : page->versions) {
        auto& [objects, bytes, noncurrent, noncurrent_bytes, markers] =
            usage[{bucket.name, version.storage_class}];
        if (version.is_delete_marker) {
          ++markers;
        } else if (version.is_latest) {
          ++objects;
          bytes += version.size;
        } else {
          ++noncurrent;
          noncurrent_bytes += version.size;
        }
      }
      if (!page->truncated) break;
      query.key_marker = page->next_key_marker;
      query.version_id_marker = page->next_version_id_marker;
    }
  }
  return usage;
}

std::map<UsageKey, UsageRow> stored_usage(MetaStore& store) {
  std::map<UsageKey, UsageRow> usage;
  auto rows = store.storage_usage();
  EXPECT_TRUE(rows) << rows.error().message;
  if (!rows) return usage;
  for (const StorageUsage& row : *rows) {
    EXPECT_FALSE(usage.contains({row.bucket, row.storage_class})) << "duplicate row";
    usage[{row.bucket, row.storage_class}] = {row.objects, row.bytes, row.noncurrent_versions,
                                              row.noncurrent_bytes, row.delete_markers};
  }
  return usage;
}

UsageRow row_of(MetaStore& store, const std::string& bucket, const std::string& storage_class) {
  return stored_usage(store)[UsageKey{bucket, storage_class}];
}

ObjectVersion version_of(const std::string& bucket, const std::string& key,
                         const std::string& version_id, const std::string& body, int64_t mtime_ns) {
  ObjectVersion object = make_object(bucket, key, body);
  object.version_id = version_id;
  object.mtime_ns = mtime_ns;
  return object;
}

ObjectVersion marker_of(const std::string& bucket, const std::string& key,
                        const std::string& version_id, int64_t mtime_ns) {
  ObjectVersion marker = make_object(bucket, key, "");
  marker.version_id = version_id;
  marker.is_delete_marker = true;
  marker.size = 0;
  marker.mtime_ns = mtime_ns;
  return marker;
}

Event event_in(const std::string& bucket, const std::string& key, uint64_t size, int64_t time_ns) {
  Event event;
  event.time_ns = time_ns;
  event.name = "ObjectCreated:Put";
  event.bucket = bucket;
  event.key = key;
  event.version_id = "null";
  event.size = size;
  event.etag = "e";
  event.storage_class = "STANDARD";
  return event;
}

TEST_P(MetaStoreConformance, StorageUsageEqualsAScanThroughEveryKindOfChange) {
  create_bucket("a");
  create_bucket("b");
  EXPECT_TRUE(store().storage_usage()->empty());

  // Unversioned puts and an overwrite (the null version replaced in place).
  ASSERT_TRUE(store().put_object(make_object("a", "one", "12345")));
  ASSERT_TRUE(store().put_object(make_object("a", "two", "12")));
  ASSERT_TRUE(store().put_object(make_object("a", "one", "1234567")));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(row_of(store(), "a", "STANDARD"), (UsageRow{2, 9, 0, 0, 0}));

  // Versions accumulate; a delete marker makes the key's versions noncurrent.
  ASSERT_TRUE(store().put_object(version_of("b", "k", "v1", "aaaa", 10)));
  ASSERT_TRUE(store().put_object(version_of("b", "k", "v2", "bbbbbb", 20)));
  ASSERT_TRUE(store().put_object(marker_of("b", "k", "m1", 30)));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(row_of(store(), "b", "STANDARD"), (UsageRow{0, 0, 2, 10, 1}));

  // Removing the marker makes v2 current again; removing a noncurrent version.
  ASSERT_TRUE(store().delete_object("b", "k", "m1"));
  ASSERT_TRUE(store().delete_object("b", "k", "v1"));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(row_of(store(), "b", "STANDARD"), (UsageRow{1, 6, 0, 0, 0}));

  // A marker added by a version change (lifecycle expiry in a versioned bucket).
  VersionChange expire;
  expire.kind = VersionChange::Kind::kAddDeleteMarker;
  expire.bucket = "b";
  expire.key = "k";
  expire.version_id = "v2";
  expire.expected_mtime_ns = 20;
  expire.marker = marker_of("b", "k", "m2", 40);
  ASSERT_TRUE(store().apply_change(expire));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));

  // A transition moves a version to another class; a noncurrent one too.
  ASSERT_TRUE(store().put_object(version_of("b", "t", "v1", "xyz", 50)));
  ASSERT_TRUE(store().put_object(version_of("b", "t", "v2", "wxyz", 60)));
  for (const auto& [version_id, mtime_ns] : {std::pair{"v1", 50}, std::pair{"v2", 60}}) {
    VersionChange transition;
    transition.bucket = "b";
    transition.key = "t";
    transition.version_id = version_id;
    transition.expected_mtime_ns = mtime_ns;
    transition.storage_class = "GLACIER";
    ASSERT_TRUE(store().apply_change(transition));
  }
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(row_of(store(), "b", "GLACIER"), (UsageRow{1, 4, 1, 3, 0}));

  // A multipart completion.
  ASSERT_TRUE(store().create_upload(make_upload("a", "big", "u1")));
  ASSERT_TRUE(store().put_part(make_part("u1", 1, std::nullopt)));
  ObjectVersion completed = make_object("a", "big", std::string(1024, 'p'));
  completed.storage_class = "STANDARD_IA";
  ASSERT_TRUE(store().complete_upload("u1", completed));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(row_of(store(), "a", "STANDARD_IA"), (UsageRow{1, 1024, 0, 0, 0}));

  // A replica arriving late joins the history as noncurrent.
  ObjectVersion replica = version_of("b", "t", "v0", "old", 5);
  replica.replication_status = "REPLICA";
  ASSERT_TRUE(store().put_replica(replica, std::nullopt));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));

  // Emptying a bucket removes its rows, so it can be deleted and leaves nothing.
  ASSERT_TRUE(store().delete_object("a", "one", ""));
  ASSERT_TRUE(store().delete_object("a", "two", ""));
  ASSERT_TRUE(store().delete_object("a", "big", ""));
  ASSERT_TRUE(store().delete_bucket("a"));
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  const auto remaining = store().storage_usage();
  ASSERT_TRUE(remaining);
  for (const StorageUsage& row : *remaining) EXPECT_NE(row.bucket, "a");

  // bucket_usage reads the same counters.
  const BucketUsage b = *store().bucket_usage("b");
  EXPECT_EQ(b.objects, 1u);  // t/v2 (k's current version is a marker)
  EXPECT_EQ(b.bytes, 4u);
  EXPECT_EQ(b.versions, 5u);  // k: v2 and the marker m2; t: v0, v1, v2
  EXPECT_EQ(b.version_bytes, 6u + 3 + 4 + 3);
}

TEST_P(MetaStoreConformance, StorageUsageSurvivesRestartAndConcurrentWriters) {
  create_bucket("b");
  std::vector<ObjectVersion> objects;
  for (int i = 0; i < 200; ++i) {
    ObjectVersion object = version_of("b", "key" + std::to_string(i % 50), "v" + std::to_string(i),
                                      std::string(static_cast<size_t>(i % 7), 'x'), 1000 + i);
    objects.push_back(object);
  }
  put_all(objects);
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  reopen();
  EXPECT_EQ(stored_usage(store()), scanned_usage(store()));
  EXPECT_EQ(std::get<0>(row_of(store(), "b", "STANDARD")), 50u);
  EXPECT_EQ(std::get<2>(row_of(store(), "b", "STANDARD")), 150u);
}

TEST_P(MetaStoreConformance, UploadsInProgressCountsUntilCompletedOrAborted) {
  create_bucket("b");
  EXPECT_EQ(*store().uploads_in_progress(), 0u);
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "u1")));
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "u2")));
  ASSERT_TRUE(store().create_upload(make_upload("b", "j", "u3")));
  EXPECT_EQ(*store().uploads_in_progress(), 3u);
  ASSERT_TRUE(store().abort_upload("b", "u1"));
  ASSERT_TRUE(store().put_part(make_part("u2", 1, std::nullopt)));
  ASSERT_TRUE(store().complete_upload("u2", make_object("b", "k", std::string(1024, 'p'))));
  EXPECT_EQ(*store().uploads_in_progress(), 1u);
}

TEST_P(MetaStoreConformance, OutboxBacklogCountsUntakenEventsPendingAndParkedTasks) {
  create_bucket("b");
  ASSERT_TRUE(store().register_consumer("notify"));
  ASSERT_TRUE(store().register_consumer("replicate"));
  auto backlog = *store().outbox_backlog();
  ASSERT_EQ(backlog.size(), 2u);
  EXPECT_EQ(backlog[0].consumer, "notify");
  EXPECT_EQ(backlog[0].untaken_events + backlog[0].pending_tasks + backlog[0].failed_tasks, 0u);
  EXPECT_EQ(backlog[0].oldest_ns, 0);

  ASSERT_TRUE(store().put_object(make_object("b", "k1", "1"), event_in("b", "k1", 1, 100)));
  ASSERT_TRUE(store().put_object(make_object("b", "k2", "22"), event_in("b", "k2", 2, 200)));
  ASSERT_TRUE(store().put_object(make_object("b", "k3", "333"), event_in("b", "k3", 3, 300)));
  auto events = *store().list_events(0, 10);
  ASSERT_EQ(events.size(), 3u);

  // notify takes the first two events, making a task of each; replicate takes nothing.
  const int64_t start = *store().consumer_position("notify");
  std::vector<OutboxTask> tasks(2);
  for (size_t i = 0; i < 2; ++i) {
    tasks[i].target = "hook";
    tasks[i].event_seq = events[i].seq;
    tasks[i].payload = "p";
  }
  ASSERT_TRUE(store().advance_consumer("notify", start, events[1].seq, tasks));
  auto due = *store().due_tasks("notify", "hook", 0, 10);
  ASSERT_EQ(due.size(), 2u);
  OutboxTask parked = due[0];
  parked.failed = true;
  ASSERT_TRUE(store().update_tasks({parked}));

  backlog = *store().outbox_backlog();
  ASSERT_EQ(backlog.size(), 2u);
  const OutboxBacklog& notify = backlog[0];
  EXPECT_EQ(notify.untaken_events, 1u);
  EXPECT_EQ(notify.pending_tasks, 1u);
  EXPECT_EQ(notify.failed_tasks, 1u);
  EXPECT_EQ(notify.oldest_ns, 200);  // the parked task's event (100) does not count
  const OutboxBacklog& replicate = backlog[1];
  EXPECT_EQ(replicate.consumer, "replicate");
  EXPECT_EQ(replicate.untaken_events, 3u);
  EXPECT_EQ(replicate.pending_tasks, 0u);
  EXPECT_EQ(replicate.oldest_ns, 100);

  // By bucket: pending and parked tasks, their sizes and the oldest event time.
  auto by_bucket = *store().task_backlog_by_bucket("notify");
  ASSERT_EQ(by_bucket.size(), 1u);
  EXPECT_EQ(by_bucket[0].bucket, "b");
  EXPECT_EQ(by_bucket[0].tasks, 2u);
  EXPECT_EQ(by_bucket[0].bytes, 3u);
  EXPECT_EQ(by_bucket[0].oldest_ns, 100);
  EXPECT_TRUE(store().task_backlog_by_bucket("replicate")->empty());

  ASSERT_TRUE(store().finish_tasks({due[0].id, due[1].id}));
  EXPECT_TRUE(store().task_backlog_by_bucket("notify")->empty());
  backlog = *store().outbox_backlog();
  EXPECT_EQ(backlog[0].pending_tasks + backlog[0].failed_tasks, 0u);
  EXPECT_EQ(backlog[0].oldest_ns, 300);
}

}  // namespace
}  // namespace cv::meta::conformance
