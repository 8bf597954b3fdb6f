// The MetaStore conformance tests for the outbox (fixture in meta_store_conformance.h):
// events written with the change they describe, consumer positions, tasks and pruning.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

Event change_event(const std::string& name, const std::string& key, int64_t time_ns = 10) {
  Event event;
  event.time_ns = time_ns;
  event.name = name;
  event.bucket = "b";
  event.key = key;
  event.version_id = "null";
  event.size = 4;
  event.etag = "0123456789abcdef0123456789abcdef";
  event.storage_class = "STANDARD";
  event.principal_id = kOwner;
  event.source_ip = "127.0.0.1";
  event.request_id = "REQ1";
  return event;
}

std::vector<Event> all_events(MetaStore& store) {
  auto events = store.list_events(0, 100000);
  EXPECT_TRUE(events);
  return events ? *events : std::vector<Event>{};
}

OutboxTask task_for(const Event& event, const std::string& target, int64_t next_try_ns = 0) {
  OutboxTask task;
  task.target = target;
  task.event_seq = event.seq;
  task.payload = "config-1";
  task.next_try_ns = next_try_ns;
  return task;
}

TEST_P(MetaStoreConformance, ObjectChangesWriteTheirEventsWithThem) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k"), change_event("s3:ObjectCreated:Put", "k")));
  ASSERT_TRUE(store().put_object_tags("b", "k", "", {{"a", "1"}},
                                      change_event("s3:ObjectTagging:Put", "k")));
  // A delete that removes nothing writes no event; one that removes a version names it.
  Event removed = change_event("s3:ObjectRemoved:Delete", "absent");
  ASSERT_TRUE(store().delete_object("b", "absent", "", removed));
  removed = change_event("s3:ObjectRemoved:Delete", "k");
  removed.version_id.clear();
  ASSERT_TRUE(store().delete_object("b", "k", "", removed));
  const std::vector<Event> events = all_events(store());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].name, "s3:ObjectCreated:Put");
  EXPECT_EQ(events[0].principal_id, kOwner);
  EXPECT_EQ(events[0].source_ip, "127.0.0.1");
  EXPECT_EQ(events[0].request_id, "REQ1");
  EXPECT_EQ(events[0].etag, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(events[1].name, "s3:ObjectTagging:Put");
  EXPECT_EQ(events[2].name, "s3:ObjectRemoved:Delete");
  EXPECT_EQ(events[2].version_id, "null");
  EXPECT_LT(events[0].seq, events[1].seq);
  EXPECT_LT(events[1].seq, events[2].seq);
}

TEST_P(MetaStoreConformance, AFailedChangeWritesNoEvent) {
  // No bucket: the put fails, and so does its event.
  EXPECT_FALSE(store().put_object(make_object("nobucket", "k"),
                                  change_event("s3:ObjectCreated:Put", "k")));
  create_bucket("b");
  EXPECT_FALSE(store().put_object_tags("b", "missing", "", {{"a", "1"}},
                                       change_event("s3:ObjectTagging:Put", "missing")));
  EXPECT_FALSE(store().complete_upload("no-such-upload", make_object("b", "k"),
                                       change_event("s3:ObjectCreated:CompleteMultipartUpload", "k")));
  EXPECT_TRUE(all_events(store()).empty());
}

TEST_P(MetaStoreConformance, BucketConfigWritesItsEventWithIt) {
  Event test = change_event("s3:TestEvent", "");
  EXPECT_FALSE(store().put_bucket_config("nobucket", "notification", "{}", test));
  EXPECT_TRUE(all_events(store()).empty());
  create_bucket("b");
  ASSERT_TRUE(store().put_bucket_config("b", "notification", "{\"rules\":[]}", test));
  const auto events = all_events(store());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "s3:TestEvent");
  EXPECT_EQ(events[0].bucket, "b");
  EXPECT_EQ(*store().get_bucket_config("b", "notification").value(), "{\"rules\":[]}");
}

TEST_P(MetaStoreConformance, CompletedUploadWritesItsEvent) {
  create_bucket("b");
  MultipartUpload upload;
  upload.upload_id = "u1";
  upload.bucket = "b";
  upload.key = "k";
  upload.initiated_ns = 1;
  upload.owner_id = kOwner;
  ASSERT_TRUE(store().create_upload(upload));
  ASSERT_TRUE(store().complete_upload("u1", make_object("b", "k"),
                                      change_event("s3:ObjectCreated:CompleteMultipartUpload", "k")));
  const auto events = all_events(store());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "s3:ObjectCreated:CompleteMultipartUpload");
}

TEST_P(MetaStoreConformance, SequencersIncreasePerKeyAcrossThreadsAndRestarts) {
  create_bucket("b");
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string key = "k" + std::to_string(t);
        EXPECT_TRUE(store().put_object(make_object("b", key),
                                       change_event("s3:ObjectCreated:Put", key, i)));
      }
    });
  }
  for (auto& writer : writers) writer.join();
  std::vector<Event> events = all_events(store());
  ASSERT_EQ(events.size(), 200u);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LT(event_sequencer(events[i - 1]), event_sequencer(events[i]));
  }
  const int64_t last = events.back().seq;
  // Pruning every event, then reopening, never hands out a seq again.
  ASSERT_TRUE(store().register_consumer("c"));
  ASSERT_TRUE(store().prune_events(1'000, 1'000));
  EXPECT_TRUE(all_events(store()).empty());
  reopen();
  ASSERT_TRUE(store().put_object(make_object("b", "k0"), change_event("s3:ObjectCreated:Put", "k0")));
  events = all_events(store());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_GT(events[0].seq, last);
  EXPECT_EQ(event_sequencer(events[0]).size(), 16u);
}

TEST_P(MetaStoreConformance, ConsumersStartAtTheNewestEventAndOnlyMoveForward) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "old"), change_event("s3:ObjectCreated:Put", "old")));
  EXPECT_EQ(*store().consumer_position("notify"), 0);
  const int64_t start = *store().register_consumer("notify");
  EXPECT_EQ(start, all_events(store()).back().seq);
  ASSERT_TRUE(store().put_object(make_object("b", "new"), change_event("s3:ObjectCreated:Put", "new")));
  EXPECT_EQ(*store().register_consumer("notify"), start);  // registering again keeps it
  const auto fresh = *store().list_events(start, 10);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].key, "new");

  ASSERT_TRUE(store().advance_consumer("notify", start, fresh[0].seq, {task_for(fresh[0], "hook")}));
  EXPECT_EQ(*store().consumer_position("notify"), fresh[0].seq);
  // A second instance that read the old position loses, and adds nothing.
  EXPECT_EQ(error_of(store().advance_consumer("notify", start, fresh[0].seq,
                                              {task_for(fresh[0], "hook")})),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(error_of(store().advance_consumer("notify", fresh[0].seq, start, {})),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().list_tasks("notify", false, 0, 10)->size(), 1u);
  reopen();
  EXPECT_EQ(*store().consumer_position("notify"), fresh[0].seq);
}

TEST_P(MetaStoreConformance, TasksAreDueRetriedParkedAndFinished) {
  create_bucket("b");
  const int64_t start = *store().register_consumer("notify");
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_TRUE(store().put_object(make_object("b", key), change_event("s3:ObjectCreated:Put", key)));
  }
  const auto events = *store().list_events(start, 10);
  ASSERT_EQ(events.size(), 3u);
  ASSERT_TRUE(store().advance_consumer(
      "notify", start, events.back().seq,
      {task_for(events[0], "hook", 100), task_for(events[1], "hook", 50),
       task_for(events[2], "mail", 0), task_for(events[0], "mail", 0)}));
  EXPECT_EQ(*store().pending_targets("notify"), (std::vector<std::string>{"hook", "mail"}));

  auto due = *store().due_tasks("notify", "hook", 60, 10);
  ASSERT_EQ(due.size(), 1u);  // only the one due at 50
  EXPECT_EQ(due[0].event.key, "b");
  EXPECT_EQ(due[0].payload, "config-1");
  EXPECT_EQ(due[0].consumer, "notify");
  due = *store().due_tasks("notify", "hook", 1000, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].event.key, "b");  // by next_try_ns
  EXPECT_EQ(due[1].event.key, "a");

  // A failed try moves the task later; parking takes it out of due_tasks.
  OutboxTask retry = due[0];
  retry.attempts = 1;
  retry.next_try_ns = 5000;
  retry.last_error = "HTTP 503";
  OutboxTask parked = due[1];
  parked.attempts = 8;
  parked.failed = true;
  parked.last_error = "HTTP 404";
  ASSERT_TRUE(store().update_tasks({retry, parked}));
  EXPECT_TRUE(store().due_tasks("notify", "hook", 1000, 10)->empty());
  due = *store().due_tasks("notify", "hook", 5000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "HTTP 503");
  const auto failed = *store().list_tasks("notify", true, 0, 10);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "HTTP 404");
  EXPECT_TRUE(failed[0].failed);
  EXPECT_EQ(store().list_tasks("", false, 0, 10)->size(), 4u);

  // Retried by hand: pending again, due now.
  EXPECT_EQ(*store().retry_tasks("notify", failed[0].id, 7000), 1u);
  EXPECT_EQ(*store().retry_tasks("notify", 0, 7000), 0u);
  due = *store().due_tasks("notify", "hook", 7000, 10);
  ASSERT_EQ(due.size(), 2u);

  std::vector<int64_t> ids;
  const auto pending = *store().list_tasks("notify", false, 0, 10);
  for (const auto& task : pending) ids.push_back(task.id);
  ASSERT_TRUE(store().finish_tasks(ids));
  EXPECT_TRUE(store().list_tasks("", false, 0, 10)->empty());
  EXPECT_TRUE(store().pending_targets("notify")->empty());
}

TEST_P(MetaStoreConformance, TasksSharingAPayloadAreFoundTogether) {
  create_bucket("b");
  const int64_t start = *store().register_consumer("notify");
  ASSERT_TRUE(store().register_consumer("other"));
  for (const char* key : {"a", "b", "c", "d"}) {
    ASSERT_TRUE(
        store().put_object(make_object("b", key), change_event("s3:ObjectCreated:Put", key)));
  }
  const auto events = *store().list_events(start, 10);
  ASSERT_EQ(events.size(), 4u);
  auto with = [](OutboxTask task, std::string payload) {
    task.payload = std::move(payload);
    return task;
  };
  ASSERT_TRUE(store().advance_consumer(
      "notify", start, events.back().seq,
      {with(task_for(events[0], "mail", 900), "window-1"),
       with(task_for(events[1], "mail", 900), "window-2"),
       with(task_for(events[2], "mail", 900), "window-1"),
       with(task_for(events[3], "hook", 900), "window-1"),      // another target
       with(task_for(events[3], "mail", 2000), "window-1")}));  // due later: found too
  ASSERT_TRUE(store().advance_consumer("other", start, events.back().seq,
                                       {with(task_for(events[1], "mail"), "window-1")}));

  auto group = *store().tasks_with_payload("notify", "mail", "window-1", 10);
  ASSERT_EQ(group.size(), 3u);
  EXPECT_EQ(group[0].event.key, "a");  // by id
  EXPECT_EQ(group[1].event.key, "c");
  EXPECT_EQ(group[2].event.key, "d");
  EXPECT_EQ(group[0].payload, "window-1");
  EXPECT_EQ(group[0].next_try_ns, 900);
  EXPECT_EQ(store().tasks_with_payload("notify", "mail", "window-1", 2)->size(), 2u);
  EXPECT_TRUE(store().tasks_with_payload("notify", "mail", "window-", 10)->empty());

  // Parked and finished tasks are not part of it.
  OutboxTask parked = group[1];
  parked.failed = true;
  ASSERT_TRUE(store().update_tasks({parked}));
  ASSERT_TRUE(store().finish_tasks({group[2].id}));
  group = *store().tasks_with_payload("notify", "mail", "window-1", 10);
  ASSERT_EQ(group.size(), 1u);
  EXPECT_EQ(group[0].event.key, "a");
}

TEST_P(MetaStoreConformance, PruningKeepsWhatAConsumerStillNeeds) {
  create_bucket("b");
  const int64_t start = *store().register_consumer("notify");
  ASSERT_TRUE(store().register_consumer("replicate"));
  for (int i = 0; i < 4; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_TRUE(store().put_object(make_object("b", key),
                                   change_event("s3:ObjectCreated:Put", key, 100 + i)));
  }
  const auto events = *store().list_events(start, 10);
  // notify took all four and still has work for the first; replicate took two.
  ASSERT_TRUE(store().advance_consumer("notify", start, events[3].seq, {task_for(events[0], "hook")}));
  ASSERT_TRUE(store().advance_consumer("replicate", start, events[1].seq, {}));
  // Too recent: nothing.
  EXPECT_EQ(*store().prune_events(100, 100), 0u);
  // Old enough: only events[1] (events[0] has a task, [2] and [3] are ahead of replicate).
  EXPECT_EQ(*store().prune_events(1'000, 100), 1u);
  auto left = all_events(store());
  ASSERT_EQ(left.size(), 3u);
  EXPECT_EQ(left[0].seq, events[0].seq);
  EXPECT_EQ(left[1].seq, events[2].seq);
  ASSERT_TRUE(store().advance_consumer("replicate", events[1].seq, events[3].seq, {}));
  const auto tasks = *store().list_tasks("", false, 0, 10);
  for (const auto& task : tasks) ASSERT_TRUE(store().finish_tasks({task.id}));
  EXPECT_EQ(*store().prune_events(1'000, 2), 2u);  // at most `max`
  EXPECT_EQ(*store().prune_events(1'000, 100), 1u);
  EXPECT_TRUE(all_events(store()).empty());
}

}  // namespace
}  // namespace cv::meta::conformance
