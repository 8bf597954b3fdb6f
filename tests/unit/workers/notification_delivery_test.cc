// The "notify" consumer's planning and delivery over a real vault (SQLite in a temp folder) and a
// real webhook receiver on loopback.
#include "workers/notify/notification_delivery.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "vault/temp_vault.h"
#include "workers/outbox/outbox_fan_out.h"
#include "workers/targets/receiver.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

class NotificationDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault().create_bucket("bkt", "owner-id")); }

  vault::Vault& vault() { return temp_.vault(); }

  std::unique_ptr<LiveTargetCatalog> catalog(const std::string& hook_url) {
    TargetSettings hook;
    hook.name = "hook";
    hook.url = hook_url;
    hook.secret = "a-webhook-secret";
    hook.timeout = std::chrono::seconds(5);
    return LiveTargetCatalog::fixed(TargetCatalog::create({hook}, clock_).value());
  }

  static vault::NotificationRule rule(std::string id, std::string target,
                                      std::vector<std::string> events, std::string prefix = "") {
    vault::NotificationRule rule;
    rule.id = std::move(id);
    rule.arn = "arn:aws:sqs:us-east-1:000000000000:" + target;
    rule.target = std::move(target);
    rule.events = std::move(events);
    rule.prefix = std::move(prefix);
    return rule;
  }

  void configure(std::vector<vault::NotificationRule> rules) {
    vault::NotificationConfiguration config;
    config.rules = std::move(rules);
    ASSERT_TRUE(vault().put_notification_config("bkt", config, nullptr,
                                                {"alice", "192.0.2.7", "REQ-CONF"}));
  }

  meta::Event last_event() { return vault().events(0, 1000).value().back(); }

  meta::Event put(const std::string& key) {
    StringSource source("hello");
    vault::PutObjectInput input;
    input.bucket = "bkt";
    input.key = key;
    input.body = &source;
    input.expected_size = 5;
    input.origin = {"alice", "192.0.2.7", "REQ-PUT"};
    EXPECT_TRUE(vault().put_object(input));
    return last_event();
  }

  static json::object payload_of(const meta::OutboxTask& task) {
    return json::parse(task.payload).as_object();
  }

  ManualClock clock_{from_unix_nanos(1'700'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
};

TEST_F(NotificationDeliveryTest, PlansOneTaskPerMatchingRule) {
  auto targets = catalog("http://127.0.0.1:9/unused");
  NotificationDelivery delivery(vault(), *targets, {});
  configure({rule("photos", "hook", {"s3:ObjectCreated:*"}, "photos/"),
             rule("removals", "mail", {"s3:ObjectRemoved:*"})});

  const auto created = delivery.plan(put("photos/a.jpg")).value();
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].target, "hook");
  EXPECT_EQ(payload_of(created[0]).at("configuration_id").as_string(), "photos");
  EXPECT_EQ(payload_of(created[0]).at("bucket_owner").as_string(), "owner-id");

  EXPECT_TRUE(delivery.plan(put("docs/a.txt")).value().empty());  // prefix differs

  ASSERT_TRUE(vault().delete_object("bkt", "docs/a.txt", "", {}));
  const auto removed = delivery.plan(last_event()).value();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].target, "mail");  // unknown to the catalog: planned, parked at delivery

  meta::Event elsewhere = last_event();
  elsewhere.bucket = "no-such-bucket";
  EXPECT_TRUE(delivery.plan(elsewhere).value().empty());
}

TEST_F(NotificationDeliveryTest, SavingAConfigurationPlansOneTestEventPerTarget) {
  auto targets = catalog("http://127.0.0.1:9/unused");
  NotificationDelivery delivery(vault(), *targets, {});
  configure({rule("a", "hook", {"s3:ObjectCreated:*"}, "a/"),
             rule("b", "hook", {"s3:ObjectCreated:*"}, "b/"),
             rule("c", "mail", {"s3:ObjectRemoved:*"})});
  const meta::Event test = last_event();
  EXPECT_EQ(test.name, "s3:TestEvent");
  EXPECT_EQ(test.request_id, "REQ-CONF");
  const auto tasks = delivery.plan(test).value();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].target, "hook");
  EXPECT_EQ(tasks[1].target, "mail");

  // An empty configuration turns notifications off and sends no test message.
  const int64_t before = test.seq;
  ASSERT_TRUE(vault().put_notification_config("bkt", {}, nullptr, {}));
  EXPECT_EQ(last_event().seq, before);
}

TEST_F(NotificationDeliveryTest, DeliversS3MessagesAndClassifiesFailures) {
  testing::Receiver receiver(200);
  auto targets = catalog(receiver.url());
  NotificationDelivery delivery(vault(), *targets,
                                {.region = "eu-west-1", .public_url = "https://vault.example"});
  configure({rule("uploads", "hook", {"s3:ObjectCreated:Put"})});

  meta::OutboxTask test;
  test.target = "hook";
  test.event = last_event();
  test.payload = delivery.plan(test.event).value().at(0).payload;
  EXPECT_EQ(delivery.deliver(test).kind, TaskOutcome::Kind::kDone);

  meta::OutboxTask task;
  task.event = put("k");
  const auto planned = delivery.plan(task.event).value();
  ASSERT_EQ(planned.size(), 1u);
  task.target = planned[0].target;
  task.payload = planned[0].payload;
  EXPECT_EQ(delivery.deliver(task).kind, TaskOutcome::Kind::kDone);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(json::parse(requests[0].body).at("Event").as_string(), "s3:TestEvent");
  const json::value record = json::parse(requests[1].body).at("Records").at(0);
  EXPECT_EQ(record.at("eventName").as_string(), "ObjectCreated:Put");
  EXPECT_EQ(record.at("awsRegion").as_string(), "eu-west-1");
  EXPECT_EQ(record.at("s3").at("configurationId").as_string(), "uploads");
  EXPECT_EQ(record.at("s3").at("bucket").at("ownerIdentity").at("principalId").as_string(),
            "owner-id");
  EXPECT_EQ(record.at("responseElements").at("x-amz-request-id").as_string(), "REQ-PUT");

  task.target = "absent";
  const TaskOutcome unknown = delivery.deliver(task);
  EXPECT_EQ(unknown.kind, TaskOutcome::Kind::kPermanent);
  EXPECT_NE(unknown.error.find("absent"), std::string::npos);
}

TEST_F(NotificationDeliveryTest, ReceiverErrorsAreRetriedOrParked) {
  testing::Receiver failing(503);
  auto targets = catalog(failing.url());
  NotificationDelivery delivery(vault(), *targets, {});
  configure({rule("uploads", "hook", {"s3:ObjectCreated:Put"})});
  meta::OutboxTask task;
  task.target = "hook";
  task.event = put("k");
  EXPECT_EQ(delivery.deliver(task).kind, TaskOutcome::Kind::kRetry);

  testing::Receiver refusing(404);
  auto other = catalog(refusing.url());
  NotificationDelivery refused(vault(), *other, {});
  EXPECT_EQ(refused.deliver(task).kind, TaskOutcome::Kind::kPermanent);
}

// A receipt (or failure) as the replication worker writes it, appended to the outbox.
meta::Event replication_event(meta::MetaStore& store, std::string_view name, std::string key,
                              int64_t time_ns, int64_t digest_seconds) {
  meta::Event event;
  event.time_ns = time_ns;
  event.name = std::string(name);
  event.bucket = "bkt";
  event.key = std::move(key);
  event.version_id = "null";
  event.size = 1000;
  json::object detail{{"replicationRuleId", "backup-to-dst"},
                      {"destinationBucket", "dst"},
                      {"targets", json::array{"hook"}}};
  if (digest_seconds > 0) detail["digest_seconds"] = digest_seconds;
  event.detail = json::serialize(detail);
  EXPECT_TRUE(store.queue_replication({event}));
  return event;
}

TEST_F(NotificationDeliveryTest, DigestReceiptsGoOutAsOneMessagePerWindowAndFailuresAtOnce) {
  testing::Receiver receiver(200);
  auto targets = catalog(receiver.url());
  NotificationDelivery delivery(vault(), *targets, {.public_url = "https://vault.example"});
  meta::MetaStore& store = temp_.meta();
  auto fan_out = OutboxFanOut::open(store, std::string(kNotifyConsumer), delivery.planner());
  ASSERT_TRUE(fan_out);
  constexpr int64_t kMinute = 60'000'000'000;
  const int64_t now = to_unix_nanos(clock_.now());
  const int64_t window_end = now - now % kMinute + kMinute;
  for (const char* key : {"a.jpg", "b.jpg", "c.jpg"}) {
    replication_event(store, vault::kReplicationCompletedEvent, key, now, 60);
  }
  replication_event(store, vault::kReplicationCompletedEvent, "next.jpg", window_end, 60);
  replication_event(store, vault::kReplicationCompletedEvent, "single.jpg", now, 0);
  replication_event(store, vault::kReplicationFailedEvent, "broken.jpg", now, 60);
  ASSERT_EQ(*fan_out->run_once(), 6u);

  // The digest's tasks wait for their window's end and share one payload.
  const auto planned = *store.list_tasks(kNotifyConsumer, false, 0, 10);
  ASSERT_EQ(planned.size(), 6u);
  EXPECT_EQ(planned[0].next_try_ns, window_end);
  EXPECT_EQ(planned[1].payload, planned[0].payload);
  EXPECT_EQ(planned[3].next_try_ns, window_end + kMinute);
  EXPECT_NE(planned[3].payload, planned[0].payload);
  EXPECT_EQ(planned[4].next_try_ns, 0);  // no digest asked
  EXPECT_EQ(planned[5].next_try_ns, 0);  // failures are never digested

  OutboxTaskRunner runner(store, std::string(kNotifyConsumer), "hook", delivery.executors()("hook"),
                          {}, clock_);
  EXPECT_EQ(runner.run_once()->done, 2u);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(
      json::parse(requests[0].body).at("Records").at(0).at("s3").at("object").at("key").as_string(),
      "single.jpg");
  EXPECT_EQ(json::parse(requests[1].body).at("Records").at(0).at("eventName").as_string(),
            "Replication:OperationFailedReplication");

  clock_.set(from_unix_nanos(window_end));
  EXPECT_EQ(runner.run_once()->done, 3u);  // one message, three receipts
  requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  const json::value digest = json::parse(requests[2].body);
  EXPECT_EQ(digest.at("cloudvault").as_string(), "BackupDigest");
  EXPECT_EQ(digest.at("rule").as_string(), "backup-to-dst");
  EXPECT_EQ(digest.at("destination").as_string(), "dst");
  EXPECT_EQ(digest.at("count").to_number<int>(), 3);
  EXPECT_EQ(digest.at("bytes").to_number<int>(), 3000);
  EXPECT_EQ(digest.at("objects").at(2).at("key").as_string(), "c.jpg");

  clock_.set(from_unix_nanos(window_end + kMinute));
  EXPECT_EQ(runner.run_once()->done, 1u);
  requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(json::parse(requests[3].body).at("objects").at(0).at("key").as_string(), "next.jpg");
  EXPECT_TRUE(store.list_tasks(kNotifyConsumer, false, 0, 10)->empty());
}

TEST(NotificationDeliveryLinks, PointAtTheFolderInTheConsole) {
  EXPECT_EQ(NotificationDelivery::console_link("https://v.example", "bkt", "a.jpg"),
            "https://v.example/_console/#/b/bkt/");
  EXPECT_EQ(NotificationDelivery::console_link("https://v.example", "bkt", "my photos/2024/a b.jpg"),
            "https://v.example/_console/#/b/bkt/my%20photos/2024/");
  EXPECT_EQ(NotificationDelivery::console_link("http://h:9000", "bkt", "x#y/z?.txt"),
            "http://h:9000/_console/#/b/bkt/x%23y/");
}

}  // namespace
}  // namespace cv::workers::notify
