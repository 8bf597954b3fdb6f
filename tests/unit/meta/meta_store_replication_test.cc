// The MetaStore conformance tests for replication (fixture in meta_store_conformance.h):
// replicas keep their version id and never make an older version current, the end of a task
// sets the source's status and stats, and the backfill queue.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

ObjectVersion replica(const std::string& key, const std::string& version_id, int64_t mtime_ns,
                      const std::string& body) {
  ObjectVersion object = make_object("dst", key, body);
  object.version_id = version_id;
  object.mtime_ns = mtime_ns;
  object.replication_status = "REPLICA";
  return object;
}

Event event_for(const std::string& bucket, const std::string& key, const std::string& version_id,
                const std::string& name = "s3:ObjectCreated:Put") {
  Event event;
  event.time_ns = 5;
  event.name = name;
  event.bucket = bucket;
  event.key = key;
  event.version_id = version_id;
  return event;
}

// The end of the "replicate" task `task_id` (of event `seq`) for version `version_id` of b/k.
ReplicationOutcome task_end(ReplicationOutcome::Kind kind, int64_t task_id, int64_t seq,
                            const std::string& version_id, const std::string& rule_id) {
  ReplicationOutcome outcome;
  outcome.kind = kind;
  outcome.consumer = "replicate";
  outcome.task_id = task_id;
  outcome.event_seq = seq;
  outcome.bucket = "b";
  outcome.key = "k";
  outcome.version_id = version_id;
  outcome.rule_id = rule_id;
  return outcome;
}

std::vector<std::string> history(MetaStore& store, const std::string& bucket,
                                 const std::string& key) {
  std::vector<std::string> ids;
  auto versions = store.key_versions(bucket, key);
  EXPECT_TRUE(versions);
  if (!versions) return ids;
  for (const ObjectVersion& version : *versions) {
    ids.push_back(version.version_id + (version.is_latest ? "*" : ""));
  }
  return ids;
}

TEST_P(MetaStoreConformance, ReplicationStatusIsStoredWithTheVersion) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "k");
  object.replication_status = "PENDING";
  ASSERT_TRUE(store().put_object(object));
  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->replication_status, "PENDING");
  ASSERT_TRUE(store().set_replication_status("b", "k", "null", "COMPLETED"));
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "COMPLETED");
  auto versions = store().key_versions("b", "k");
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->at(0).replication_status, "COMPLETED");
  // A missing version is not an error.
  EXPECT_TRUE(store().set_replication_status("b", "absent", "null", "FAILED"));
}

TEST_P(MetaStoreConformance, AReplicaKeepsItsVersionIdAndIsWrittenOnce) {
  create_bucket("dst");
  auto first = store().put_replica(replica("k", "v1", 100, "one"), event_for("dst", "k", "v1"));
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, ReplicaWrite::kWritten);
  auto again = store().put_replica(replica("k", "v1", 100, "one"), event_for("dst", "k", "v1"));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, ReplicaWrite::kAlreadyThere);
  EXPECT_EQ(history(store(), "dst", "k"), (std::vector<std::string>{"v1*"}));
  auto read = store().get_object("dst", "k", "v1");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->replication_status, "REPLICA");
  EXPECT_EQ((*read)->mtime_ns, 100);
  EXPECT_EQ((*read)->inline_data, "one");
  // Only the written replica's event was appended.
  auto events = store().list_events(0, 100);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
  ObjectVersion elsewhere = replica("k", "v2", 1, "x");
  elsewhere.bucket = "absent";
  EXPECT_EQ(error_of(store().put_replica(elsewhere, std::nullopt)), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, AnOlderReplicaArrivingLateNeverBecomesCurrent) {
  create_bucket("dst");
  ASSERT_TRUE(store().put_replica(replica("k", "v1", 100, "one"), std::nullopt));
  ASSERT_TRUE(store().put_replica(replica("k", "v3", 300, "three"), std::nullopt));
  ASSERT_TRUE(store().put_replica(replica("k", "v2", 200, "two"), std::nullopt));
  EXPECT_EQ(history(store(), "dst", "k"), (std::vector<std::string>{"v3*", "v2", "v1"}));
  auto current = store().get_object("dst", "k", "");
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->version_id, "v3");
  EXPECT_EQ((*current)->inline_data, "three");
  // The oldest of all arriving last goes to the end.
  ASSERT_TRUE(store().put_replica(replica("k", "v0", 50, "zero"), std::nullopt));
  EXPECT_EQ(history(store(), "dst", "k"), (std::vector<std::string>{"v3*", "v2", "v1", "v0"}));
  // A newer one becomes current.
  ASSERT_TRUE(store().put_replica(replica("k", "v4", 400, "four"), std::nullopt));
  EXPECT_EQ(history(store(), "dst", "k"),
            (std::vector<std::string>{"v4*", "v3", "v2", "v1", "v0"}));
  // Listings agree.
  ListVersionsQuery query;
  query.bucket = "dst";
  query.max_keys = 100;
  auto page = store().list_object_versions(query);
  ASSERT_TRUE(page);
  std::vector<std::string> listed;
  for (const ObjectVersion& version : page->versions) listed.push_back(version.version_id);
  EXPECT_EQ(listed, (std::vector<std::string>{"v4", "v3", "v2", "v1", "v0"}));
}

TEST_P(MetaStoreConformance, SettlingTheLastDestinationCompletesTheVersion) {
  create_bucket("b");
  ASSERT_TRUE(store().register_consumer("replicate"));
  ObjectVersion object = make_object("b", "k");
  object.replication_status = "PENDING";
  ASSERT_TRUE(store().put_object(object, event_for("b", "k", "null")));
  auto events = store().list_events(0, 10);
  ASSERT_TRUE(events && events->size() == 1u);
  const int64_t seq = events->at(0).seq;
  std::vector<OutboxTask> tasks(2);
  tasks[0].target = "local:one";
  tasks[1].target = "local:two";
  for (OutboxTask& task : tasks) task.event_seq = seq;
  ASSERT_TRUE(store().advance_consumer("replicate", 0, seq, tasks));
  auto planned = store().list_tasks("replicate", false, 0, 10);
  ASSERT_TRUE(planned && planned->size() == 2u);

  ReplicationOutcome done =
      task_end(ReplicationOutcome::Kind::kReplicated, planned->at(0).id, seq, "null", "r1");
  done.bytes = 4;
  done.latency_ns = 7;
  done.now_ns = 1000;
  done.event = event_for("b", "k", "null", "cloudvault:Replication:OperationCompleted");
  ASSERT_TRUE(store().settle_replication(done));
  // One destination left: still PENDING.
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "PENDING");
  done.task_id = planned->at(1).id;
  done.kind = ReplicationOutcome::Kind::kSkipped;
  done.event.reset();
  ASSERT_TRUE(store().settle_replication(done));
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "COMPLETED");
  auto left = store().list_tasks("replicate", false, 0, 10);
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  auto all = store().list_events(0, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(1).name, "cloudvault:Replication:OperationCompleted");

  auto stats = store().replication_stats("b");
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ(stats->at(0).rule_id, "r1");
  EXPECT_EQ(stats->at(0).replicated, 1u);
  EXPECT_EQ(stats->at(0).replicated_bytes, 4u);
  EXPECT_EQ(stats->at(0).skipped, 1u);
  EXPECT_EQ(stats->at(0).latency_max_ns, 7);
  EXPECT_EQ(stats->at(0).last_done_ns, 1000);
}

TEST_P(MetaStoreConformance, AFailedDestinationMakesTheVersionFailedUntilItSucceeds) {
  create_bucket("b");
  ASSERT_TRUE(store().register_consumer("replicate"));
  ObjectVersion object = make_object("b", "k");
  object.replication_status = "PENDING";
  ASSERT_TRUE(store().put_object(object, event_for("b", "k", "null")));
  const int64_t seq = store().list_events(0, 10)->at(0).seq;
  std::vector<OutboxTask> tasks(2);
  tasks[0].target = "local:one";
  tasks[1].target = "remote:x:two";
  for (OutboxTask& task : tasks) task.event_seq = seq;
  ASSERT_TRUE(store().advance_consumer("replicate", 0, seq, tasks));
  auto planned = *store().list_tasks("replicate", false, 0, 10);

  ReplicationOutcome failed =
      task_end(ReplicationOutcome::Kind::kFailed, planned[1].id, seq, "null", "r2");
  failed.now_ns = 2000;
  failed.error = "NoSuchBucket";
  ASSERT_TRUE(store().settle_replication(failed));
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "FAILED");
  planned[1].failed = true;  // the runner parks it
  ASSERT_TRUE(store().update_tasks({planned[1]}));

  // The other destination succeeding does not hide the failure.
  ReplicationOutcome done = failed;
  done.kind = ReplicationOutcome::Kind::kReplicated;
  done.task_id = planned[0].id;
  done.rule_id = "r1";
  ASSERT_TRUE(store().settle_replication(done));
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "FAILED");
  // Retried by hand and done: COMPLETED.
  done.task_id = planned[1].id;
  done.rule_id = "r2";
  ASSERT_TRUE(store().settle_replication(done));
  EXPECT_EQ((*store().get_object("b", "k", ""))->replication_status, "COMPLETED");
  auto stats = *store().replication_stats("");
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[1].rule_id, "r2");
  EXPECT_EQ(stats[1].failed, 1u);
  EXPECT_EQ(stats[1].replicated, 1u);
  EXPECT_EQ(stats[1].last_error, "NoSuchBucket");
  EXPECT_EQ(stats[1].last_error_ns, 2000);
}

TEST_P(MetaStoreConformance, AReplicaAndItsTaskEndCommitTogether) {
  create_bucket("b");
  create_bucket("dst");
  ASSERT_TRUE(store().register_consumer("replicate"));
  ObjectVersion source = make_object("b", "k");
  source.version_id = "v1";
  source.replication_status = "PENDING";
  ASSERT_TRUE(store().put_object(source, event_for("b", "k", "v1")));
  const int64_t seq = store().list_events(0, 10)->at(0).seq;
  OutboxTask task;
  task.target = "local:dst";
  task.event_seq = seq;
  ASSERT_TRUE(store().advance_consumer("replicate", 0, seq, {task}));
  const auto planned = *store().list_tasks("replicate", false, 0, 10);
  ReplicationOutcome ended =
      task_end(ReplicationOutcome::Kind::kReplicated, planned[0].id, seq, "v1", "r");
  ended.bytes = 4;
  ended.event = event_for("b", "k", "v1", "cloudvault:Replication:OperationCompleted");
  auto written = store().put_replica(replica("k", "v1", 100, "body"), std::nullopt, ended);
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, ReplicaWrite::kWritten);
  EXPECT_EQ((*store().get_object("b", "k", "v1"))->replication_status, "COMPLETED");
  EXPECT_TRUE(store().list_tasks("replicate", false, 0, 10)->empty());
  EXPECT_EQ(store().list_events(0, 10)->back().name, "cloudvault:Replication:OperationCompleted");
  // The same copy replayed: skipped, counted, no second receipt.
  auto again = store().put_replica(replica("k", "v1", 100, "body"), std::nullopt, ended);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, ReplicaWrite::kAlreadyThere);
  EXPECT_EQ(store().list_events(0, 10)->size(), 2u);
  const auto stats = *store().replication_stats("b");
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].replicated, 1u);
  EXPECT_EQ(stats[0].replicated_bytes, 4u);
  EXPECT_EQ(stats[0].skipped, 1u);
}

TEST_P(MetaStoreConformance, ReplicasAreNeverMarkedAsSources) {
  create_bucket("dst");
  ASSERT_TRUE(store().put_replica(replica("k", "v1", 100, "one"), std::nullopt));
  ASSERT_TRUE(store().set_replication_status("dst", "k", "v1", "PENDING"));
  ASSERT_TRUE(store().queue_replication({event_for("dst", "k", "v1")}));
  EXPECT_EQ((*store().get_object("dst", "k", "v1"))->replication_status, "REPLICA");
}

TEST_P(MetaStoreConformance, QueuedBackfillMarksVersionsPendingWithTheirEvents) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k1")));
  ASSERT_TRUE(store().put_object(make_object("b", "k2")));
  ASSERT_TRUE(store().queue_replication(
      {event_for("b", "k1", "null", "cloudvault:Replication:Existing"),
       event_for("b", "k2", "null", "cloudvault:Replication:Existing")}));
  EXPECT_EQ((*store().get_object("b", "k1", ""))->replication_status, "PENDING");
  EXPECT_EQ((*store().get_object("b", "k2", ""))->replication_status, "PENDING");
  auto events = store().list_events(0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->at(1).key, "k2");
}

TEST_P(MetaStoreConformance, ATaskPayloadCanBeReplaced) {
  create_bucket("b");
  ASSERT_TRUE(store().register_consumer("replicate"));
  ASSERT_TRUE(store().put_object(make_object("b", "k"), event_for("b", "k", "null")));
  const int64_t seq = store().list_events(0, 10)->at(0).seq;
  OutboxTask task;
  task.target = "t";
  task.event_seq = seq;
  task.payload = "{}";
  ASSERT_TRUE(store().advance_consumer("replicate", 0, seq, {task}));
  auto planned = *store().list_tasks("replicate", false, 0, 10);
  ASSERT_TRUE(store().set_task_payload(planned[0].id, R"({"upload":"u1"})"));
  planned[0].attempts = 1;
  ASSERT_TRUE(store().update_tasks(planned));  // keeps the new payload
  auto again = *store().list_tasks("replicate", false, 0, 10);
  EXPECT_EQ(again[0].payload, R"({"upload":"u1"})");
  EXPECT_EQ(again[0].attempts, 1);
}

}  // namespace
}  // namespace cv::meta::conformance
