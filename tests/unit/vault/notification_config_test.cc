#include "vault/notification_config.h"

#include <gtest/gtest.h>

#include <set>

#include "core/clock.h"
#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

constexpr std::string_view kOverlap =
    "Configurations overlap. Configurations on the same bucket cannot share a common event "
    "type.";
constexpr std::string_view kUnvalidated =
    "Unable to validate the following destination configurations";

NotificationRule rule(std::string id, std::vector<std::string> events, std::string prefix = {},
                      std::string suffix = {}) {
  NotificationRule out;
  out.id = std::move(id);
  out.kind = NotificationKind::kTopic;
  out.arn = "arn:aws:sns:us-east-1:000000000000:hook";
  out.target = "hook";
  out.events = std::move(events);
  out.prefix = std::move(prefix);
  out.suffix = std::move(suffix);
  return out;
}

// The targets a test's server configuration would define.
class KnownTargets final : public NotificationTargetCatalog {
 public:
  explicit KnownTargets(std::set<std::string, std::less<>> names) : names_(std::move(names)) {}
  bool has_target(std::string_view name) const override { return names_.contains(name); }

 private:
  std::set<std::string, std::less<>> names_;
};

TEST(NotificationEvents, EveryNameS3Supports) {
  for (std::string_view name : {"s3:ObjectCreated:*",
                                "s3:ObjectCreated:Put",
                                "s3:ObjectCreated:Post",
                                "s3:ObjectCreated:Copy",
                                "s3:ObjectCreated:CompleteMultipartUpload",
                                "s3:ObjectRemoved:*",
                                "s3:ObjectRemoved:Delete",
                                "s3:ObjectRemoved:DeleteMarkerCreated",
                                "s3:ObjectRestore:*",
                                "s3:ObjectRestore:Post",
                                "s3:ObjectRestore:Completed",
                                "s3:ObjectRestore:Delete",
                                "s3:LifecycleTransition",
                                "s3:LifecycleExpiration:*",
                                "s3:LifecycleExpiration:Delete",
                                "s3:LifecycleExpiration:DeleteMarkerCreated",
                                "s3:ObjectTagging:*",
                                "s3:ObjectTagging:Put",
                                "s3:ObjectTagging:Delete",
                                "s3:Replication:*",
                                "s3:Replication:OperationFailedReplication",
                                "s3:Replication:OperationMissedThreshold",
                                "s3:Replication:OperationReplicatedAfterThreshold",
                                "s3:Replication:OperationNotTracked",
                                "s3:ReducedRedundancyLostObject",
                                "s3:IntelligentTiering",
                                "s3:ObjectAcl:Put"}) {
    EXPECT_TRUE(is_notification_event_name(name)) << name;
  }
  for (std::string_view name :
       {"", "s3:*", "s3:ObjectCreated", "s3:ObjectCreated:Delete", "ObjectCreated:Put",
        "s3:objectcreated:put", "s3:TestEvent", "s3:ObjectAcl:*", "s3:LifecycleTransition:*"}) {
    EXPECT_FALSE(is_notification_event_name(name)) << name;
  }
}

TEST(NotificationEvents, WildcardsCoverTheirFamilyOnly) {
  EXPECT_TRUE(event_name_matches("s3:ObjectCreated:*", "s3:ObjectCreated:Put"));
  EXPECT_TRUE(event_name_matches("s3:ObjectCreated:*", "s3:ObjectCreated:CompleteMultipartUpload"));
  EXPECT_TRUE(event_name_matches("s3:ObjectCreated:Put", "s3:ObjectCreated:Put"));
  EXPECT_FALSE(event_name_matches("s3:ObjectCreated:Put", "s3:ObjectCreated:Post"));
  EXPECT_FALSE(event_name_matches("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"));
  EXPECT_FALSE(event_name_matches("s3:ObjectRemoved:*", "s3:ObjectRestore:Post"));
  EXPECT_TRUE(event_name_matches("s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete"));
  EXPECT_FALSE(event_name_matches("s3:LifecycleExpiration:*", "s3:LifecycleTransition"));
}

TEST(NotificationTargets, TheLastFieldOfAnArnOfTheRightService) {
  EXPECT_EQ(
      notification_target_name(NotificationKind::kTopic, "arn:aws:sns:us-east-1:000000000000:hook"),
      "hook");
  EXPECT_EQ(notification_target_name(NotificationKind::kQueue, "arn:aws:sqs:eu-west-1:1:mail"),
            "mail");
  EXPECT_EQ(notification_target_name(NotificationKind::kFunction,
                                     "arn:aws:lambda:us-east-1:1:function:thumbs"),
            "thumbs");
  EXPECT_EQ(notification_target_name(NotificationKind::kQueue, "arn:minio:sqs::primary:webhook"),
            "webhook");
  // Wrong service for the kind, too few fields, not an ARN, no name.
  EXPECT_EQ(notification_target_name(NotificationKind::kQueue, "arn:aws:sns:us-east-1:1:hook"), "");
  EXPECT_EQ(notification_target_name(NotificationKind::kTopic, "arn:aws:sns:hook"), "");
  EXPECT_EQ(notification_target_name(NotificationKind::kTopic, "urn:aws:sns:r:1:hook"), "");
  EXPECT_EQ(notification_target_name(NotificationKind::kTopic, "arn:aws:sns:r:1:"), "");
  EXPECT_EQ(notification_target_name(NotificationKind::kTopic, ""), "");
}

TEST(NotificationValidation, AcceptsDisjointRules) {
  NotificationConfiguration config;
  config.rules = {rule("photos", {"s3:ObjectCreated:*"}, "photos/", ".jpg"),
                  rule("pngs", {"s3:ObjectCreated:*"}, "photos/", ".png"),
                  rule("docs", {"s3:ObjectCreated:Put"}, "docs/"),
                  rule("deletes", {"s3:ObjectRemoved:*"})};
  EXPECT_TRUE(validate(config));
  EXPECT_TRUE(validate(NotificationConfiguration{}));
}

TEST(NotificationValidation, UnknownEventIsInvalidArgument) {
  NotificationConfiguration config;
  config.rules = {rule("a", {"s3:ObjectCreated:Put", "s3:ObjectCreated:Bogus"})};
  auto status = validate(config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "The event is not supported for notifications");
  ASSERT_EQ(status.error().details.size(), 1u);
  EXPECT_EQ(status.error().details[0].second, "s3:ObjectCreated:Bogus");
}

TEST(NotificationValidation, RuleWithoutEvents) {
  NotificationConfiguration config;
  config.rules = {rule("a", {})};
  auto status = validate(config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST(NotificationValidation, OverlapsNeedACommonEventAndOverlappingFilters) {
  auto overlaps = [](NotificationRule a, NotificationRule b) {
    NotificationConfiguration config;
    config.rules = {std::move(a), std::move(b)};
    auto status = validate(config);
    if (status) return false;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().message, kOverlap);
    return true;
  };
  // Same event, no filters.
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectCreated:Put"}), rule("b", {"s3:ObjectCreated:Put"})));
  // A wildcard and one of its events.
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectCreated:*"}), rule("b", {"s3:ObjectCreated:Copy"})));
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectRemoved:Delete"}),
                       rule("b", {"s3:ObjectCreated:Put", "s3:ObjectRemoved:*"})));
  // Nested prefixes; an empty prefix overlaps every prefix.
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectCreated:*"}, "photos/"),
                       rule("b", {"s3:ObjectCreated:*"}, "photos/2024/")));
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectCreated:*"}, "photos/"),
                       rule("b", {"s3:ObjectCreated:*"}, "", ".jpg")));
  // Nested suffixes.
  EXPECT_TRUE(overlaps(rule("a", {"s3:ObjectCreated:*"}, "", ".jpg"),
                       rule("b", {"s3:ObjectCreated:*"}, "", "large.jpg")));

  // Different event types; disjoint prefixes; disjoint suffixes.
  EXPECT_FALSE(overlaps(rule("a", {"s3:ObjectCreated:*"}), rule("b", {"s3:ObjectRemoved:*"})));
  EXPECT_FALSE(overlaps(rule("a", {"s3:ObjectCreated:Put"}), rule("b", {"s3:ObjectCreated:Post"})));
  EXPECT_FALSE(overlaps(rule("a", {"s3:ObjectCreated:*"}, "photos/"),
                        rule("b", {"s3:ObjectCreated:*"}, "docs/")));
  EXPECT_FALSE(overlaps(rule("a", {"s3:ObjectCreated:*"}, "", ".jpg"),
                        rule("b", {"s3:ObjectCreated:*"}, "", ".png")));
}

TEST(NotificationValidation, DuplicateIds) {
  NotificationConfiguration config;
  config.rules = {rule("same", {"s3:ObjectCreated:*"}), rule("same", {"s3:ObjectRemoved:*"})};
  auto status = validate(config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST(NotificationValidation, ArnOfTheWrongServiceCannotBeValidated) {
  NotificationConfiguration config;
  config.rules = {rule("a", {"s3:ObjectCreated:*"})};
  config.rules[0].kind = NotificationKind::kQueue;  // an sns ARN in a QueueConfiguration
  auto status = validate(config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, kUnvalidated);
  ASSERT_FALSE(status.error().details.empty());
  EXPECT_EQ(status.error().details[0].first, "ArgumentName1");
  EXPECT_EQ(status.error().details[0].second, "arn:aws:sns:us-east-1:000000000000:hook");
}

TEST(NotificationValidation, UnknownTargetCannotBeValidated) {
  NotificationConfiguration config;
  config.rules = {rule("a", {"s3:ObjectCreated:*"})};
  EXPECT_TRUE(check_notification_destinations(config, KnownTargets({"hook"})));
  auto status = check_notification_destinations(config, KnownTargets({"mail"}));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, kUnvalidated);
  ASSERT_EQ(status.error().details.size(), 2u);
  EXPECT_EQ(status.error().details[0].first, "ArgumentName1");
  EXPECT_EQ(status.error().details[0].second, "arn:aws:sns:us-east-1:000000000000:hook");
  EXPECT_EQ(status.error().details[1].first, "ArgumentValue1");
}

TEST(NotificationMatching, ByEventNameAndKeyFilter) {
  NotificationConfiguration config;
  config.rules = {rule("jpgs", {"s3:ObjectCreated:*"}, "photos/", ".jpg"),
                  rule("puts", {"s3:ObjectCreated:Put"}, "docs/"),
                  rule("removals", {"s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"}),
                  rule("tags", {"s3:ObjectTagging:Put"}, "", ".pdf")};
  auto ids = [&](std::string_view event, std::string_view key) {
    std::vector<std::string> out;
    for (const NotificationRule* matched : matching_rules(config, event, key)) {
      out.push_back(matched->id);
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids("s3:ObjectCreated:Put", "photos/cat.jpg"), Ids{"jpgs"});
  EXPECT_EQ(ids("s3:ObjectCreated:CompleteMultipartUpload", "photos/2024/big.jpg"), Ids{"jpgs"});
  EXPECT_EQ(ids("s3:ObjectCreated:Put", "photos/cat.png"), Ids{});
  EXPECT_EQ(ids("s3:ObjectCreated:Put", "other/cat.jpg"), Ids{});
  EXPECT_EQ(ids("s3:ObjectCreated:Put", "docs/a.txt"), Ids{"puts"});
  EXPECT_EQ(ids("s3:ObjectCreated:Copy", "docs/a.txt"), Ids{});
  EXPECT_EQ(ids("s3:ObjectRemoved:DeleteMarkerCreated", "anything"), Ids{"removals"});
  EXPECT_EQ(ids("s3:LifecycleExpiration:Delete", "photos/cat.jpg"), Ids{"removals"});
  EXPECT_EQ(ids("s3:ObjectTagging:Put", "docs/a.pdf"), Ids{"tags"});
  EXPECT_EQ(ids("s3:ObjectTagging:Delete", "docs/a.pdf"), Ids{});
  // Several rules may match one event (different event types never overlap).
  config.rules.push_back(rule("docs-removed", {"s3:ObjectRemoved:Delete"}, "docs/"));
  EXPECT_EQ(ids("s3:ObjectRemoved:Delete", "docs/x"), (Ids{"removals", "docs-removed"}));
  // Filters compare bytes: case matters.
  EXPECT_EQ(ids("s3:ObjectCreated:Put", "Photos/cat.JPG"), Ids{});
}

TEST(NotificationJson, RoundTrip) {
  NotificationConfiguration config;
  config.rules = {
      rule("photos", {"s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"}, "photos/", ".jpg"),
      rule("all", {"s3:LifecycleTransition"})};
  config.rules[1].kind = NotificationKind::kFunction;
  config.rules[1].arn = "arn:aws:lambda:us-east-1:1:function:thumbs";
  config.rules[1].target = "thumbs";
  config.event_bridge = true;
  const auto read = notification_from_json(to_json(config));
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->rules.size(), 2u);
  EXPECT_TRUE(read->event_bridge);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(read->rules[i].id, config.rules[i].id);
    EXPECT_EQ(read->rules[i].kind, config.rules[i].kind);
    EXPECT_EQ(read->rules[i].arn, config.rules[i].arn);
    EXPECT_EQ(read->rules[i].target, config.rules[i].target);
    EXPECT_EQ(read->rules[i].events, config.rules[i].events);
    EXPECT_EQ(read->rules[i].prefix, config.rules[i].prefix);
    EXPECT_EQ(read->rules[i].suffix, config.rules[i].suffix);
  }
}

TEST(NotificationJson, UnreadableDocumentsAreInternalErrors) {
  for (std::string_view text :
       {"", "{", "[]", R"({"rules":[]})", R"({"event_bridge":false,"rules":[{"id":"a"}]})",
        R"({"event_bridge":false,"rules":[{"id":"a","kind":"mail",)"
        R"("arn":"x","target":"x","events":[],"prefix":"","suffix":""}]})"}) {
    auto read = notification_from_json(text);
    ASSERT_FALSE(read) << text;
    EXPECT_EQ(read.error().code, ErrorCode::kInternalError);
  }
}

TEST(NotificationRuleIds, RandomLikeS3s) {
  const std::string a = new_notification_rule_id();
  EXPECT_EQ(a.size(), 48u);
  EXPECT_NE(a, new_notification_rule_id());
}

class VaultNotificationConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("bucket", "owner")); }

  SystemClock clock_;
  testing::TempVault temp_{clock_};
  Vault* vault_ = &temp_.vault();
  KnownTargets targets_{{"hook"}};
};

TEST_F(VaultNotificationConfigTest, NoneUntilPutThenAsPut) {
  auto none = vault_->get_notification_config("bucket");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  NotificationConfiguration config;
  config.rules = {rule("photos", {"s3:ObjectCreated:*"}, "photos/")};
  ASSERT_TRUE(vault_->put_notification_config("bucket", config, &targets_));
  auto stored = vault_->get_notification_config("bucket");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->rules.size(), 1u);
  EXPECT_EQ(stored->rules[0].id, "photos");
  EXPECT_EQ(stored->rules[0].prefix, "photos/");
  EXPECT_EQ(stored->rules[0].target, "hook");

  // An empty configuration removes it.
  ASSERT_TRUE(vault_->put_notification_config("bucket", {}, &targets_));
  auto removed = vault_->get_notification_config("bucket");
  ASSERT_TRUE(removed);
  EXPECT_TRUE(removed->empty());
  EXPECT_FALSE(vault_->get_bucket_config("bucket", "notification").value().has_value());
}

TEST_F(VaultNotificationConfigTest, RefusesWhatFailsValidationAndKeepsTheOld) {
  NotificationConfiguration good;
  good.rules = {rule("a", {"s3:ObjectCreated:*"})};
  ASSERT_TRUE(vault_->put_notification_config("bucket", good, &targets_));

  NotificationConfiguration unknown_target = good;
  unknown_target.rules[0].arn = "arn:aws:sns:us-east-1:000000000000:nowhere";
  unknown_target.rules[0].target = "nowhere";
  auto refused = vault_->put_notification_config("bucket", unknown_target, &targets_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, kUnvalidated);
  // x-amz-skip-destination-validation: saved without looking the target up.
  EXPECT_TRUE(vault_->put_notification_config("bucket", unknown_target, nullptr));
  EXPECT_EQ(vault_->get_notification_config("bucket")->rules[0].target, "nowhere");

  NotificationConfiguration overlapping;
  overlapping.rules = {rule("a", {"s3:ObjectCreated:*"}), rule("b", {"s3:ObjectCreated:Put"})};
  auto overlap = vault_->put_notification_config("bucket", overlapping, &targets_);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().message, kOverlap);
  // Validation still applies when destinations are not checked.
  EXPECT_FALSE(vault_->put_notification_config("bucket", overlapping, nullptr));
  EXPECT_EQ(vault_->get_notification_config("bucket")->rules.size(), 1u);
}

TEST_F(VaultNotificationConfigTest, NoSuchBucket) {
  auto get = vault_->get_notification_config("missing");
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kNoSuchBucket);
  auto put = vault_->put_notification_config("missing", {}, &targets_);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kNoSuchBucket);
}

}  // namespace
}  // namespace cv::vault
