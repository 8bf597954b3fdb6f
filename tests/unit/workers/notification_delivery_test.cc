// The "notify" consumer's planning and delivery over a real vault (SQLite in a temp folder) and a
// real webhook receiver on loopback.
#include "workers/notify/notification_delivery.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "vault/temp_vault.h"
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
