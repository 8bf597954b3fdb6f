#include "vault/lifecycle_rules.h"

#include <gtest/gtest.h>

namespace cv::vault {
namespace {

constexpr int64_t kDay = 86'400'000'000'000;
constexpr int64_t kT0 = 1'700'000'000'000'000'000;  // an arbitrary creation time
constexpr uint64_t kMiB = 1024 * 1024;

LifecycleRule rule_with_expiration_days(std::string id, int32_t days) {
  LifecycleRule rule;
  rule.id = std::move(id);
  rule.expiration = LifecycleExpiration{.days = days};
  return rule;
}

// The seed's plan: STANDARD_IA at 30 days, GLACIER at 60, noncurrent versions gone after 90.
LifecycleConfiguration seed_plan() {
  LifecycleRule rule;
  rule.id = "tiering";
  rule.filter.shape = LifecycleFilter::Shape::kEmpty;
  rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"},
                      {.days = 60, .storage_class = "GLACIER"}};
  rule.noncurrent_expiration = NoncurrentExpiration{.noncurrent_days = 90};
  return LifecycleConfiguration{{rule}};
}

VersionFacts current_object(uint64_t size = kMiB, std::string storage_class = "STANDARD") {
  VersionFacts facts;
  facts.key = "photos/cat.jpg";
  facts.version_id = "v-current";
  facts.is_latest = true;
  facts.size = size;
  facts.created_ns = kT0;
  facts.storage_class = std::move(storage_class);
  return facts;
}

VersionFacts noncurrent_object(std::string id, int64_t since_ns, bool marker = false) {
  VersionFacts facts;
  facts.key = "photos/cat.jpg";
  facts.version_id = std::move(id);
  facts.is_delete_marker = marker;
  facts.size = marker ? 0 : kMiB;
  facts.created_ns = since_ns - kDay;
  facts.noncurrent_since_ns = since_ns;
  facts.storage_class = "STANDARD";
  return facts;
}

VersionPlan plan_one(const LifecycleConfiguration& config, const VersionFacts& facts,
                     int64_t now_ns) {
  const auto plans = plan_key(config, std::span(&facts, 1), now_ns, kDay);
  return plans.at(0);
}

ErrorCode validation_error(const LifecycleConfiguration& config) {
  auto status = validate(config);
  return status ? ErrorCode::kNotModified : status.error().code;  // kNotModified: "valid"
}

ErrorCode validation_error(const LifecycleRule& rule) {
  return validation_error(LifecycleConfiguration{{rule}});
}

// ---- Matching ------------------------------------------------------------------------------

TEST(LifecycleFilterTest, EmptyFilterMatchesEverything) {
  LifecycleFilter filter;
  EXPECT_TRUE(filter.matches("anything", 0, {}));
  EXPECT_TRUE(filter.matches("", 5 * kMiB, {{"a", "b"}}));
}

TEST(LifecycleFilterTest, PrefixMatchesKeysStartingWithIt) {
  LifecycleFilter filter{.shape = LifecycleFilter::Shape::kPrefix, .prefix = "logs/"};
  EXPECT_TRUE(filter.matches("logs/2024/a.txt", 1, {}));
  EXPECT_TRUE(filter.matches("logs/", 1, {}));
  EXPECT_FALSE(filter.matches("log/a.txt", 1, {}));
  EXPECT_FALSE(filter.matches("data/logs/a.txt", 1, {}));
}

TEST(LifecycleFilterTest, EveryTagMustBePresentWithTheSameValue) {
  LifecycleFilter filter{.shape = LifecycleFilter::Shape::kAnd,
                         .tags = {{"project", "x"}, {"tier", "cold"}}};
  EXPECT_TRUE(filter.matches("k", 1, {{"tier", "cold"}, {"project", "x"}, {"extra", "1"}}));
  EXPECT_FALSE(filter.matches("k", 1, {{"project", "x"}}));
  EXPECT_FALSE(filter.matches("k", 1, {{"project", "x"}, {"tier", "hot"}}));
  EXPECT_FALSE(filter.matches("k", 1, {}));
}

TEST(LifecycleFilterTest, SizeBoundsAreExclusive) {
  LifecycleFilter filter{.shape = LifecycleFilter::Shape::kAnd,
                         .object_size_greater_than = 100,
                         .object_size_less_than = 200};
  EXPECT_FALSE(filter.matches("k", 100, {}));
  EXPECT_TRUE(filter.matches("k", 101, {}));
  EXPECT_TRUE(filter.matches("k", 199, {}));
  EXPECT_FALSE(filter.matches("k", 200, {}));
}

TEST(LifecycleFilterTest, AndCombinesPrefixTagsAndSizes) {
  LifecycleFilter filter{.shape = LifecycleFilter::Shape::kAnd,
                         .prefix = "a/",
                         .tags = {{"t", "1"}},
                         .object_size_greater_than = 10};
  EXPECT_TRUE(filter.matches("a/x", 11, {{"t", "1"}}));
  EXPECT_FALSE(filter.matches("b/x", 11, {{"t", "1"}}));
  EXPECT_FALSE(filter.matches("a/x", 10, {{"t", "1"}}));
  EXPECT_FALSE(filter.matches("a/x", 11, {{"t", "2"}}));
}

// ---- Validation ----------------------------------------------------------------------------

TEST(LifecycleValidateTest, SeedPlanIsValid) { EXPECT_TRUE(validate(seed_plan())); }

TEST(LifecycleValidateTest, RuleCountMustBeOneToAThousand) {
  EXPECT_EQ(validation_error(LifecycleConfiguration{}), ErrorCode::kMalformedXML);
  LifecycleConfiguration many;
  for (int i = 0; i < 1000; ++i)
    many.rules.push_back(rule_with_expiration_days(std::to_string(i), 1));
  EXPECT_TRUE(validate(many));
  many.rules.push_back(rule_with_expiration_days("one-too-many", 1));
  EXPECT_EQ(validation_error(many), ErrorCode::kMalformedXML);
}

TEST(LifecycleValidateTest, IdsAreUniqueAndAtMost255Characters) {
  EXPECT_TRUE(
      validate(LifecycleConfiguration{{rule_with_expiration_days(std::string(255, 'a'), 1)}}));
  auto status =
      validate(LifecycleConfiguration{{rule_with_expiration_days(std::string(256, 'a'), 1)}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "ID length should not exceed allowed limit of 255");
  status = validate(LifecycleConfiguration{
      {rule_with_expiration_days("same", 1), rule_with_expiration_days("same", 2)}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "Rule ID must be unique. Found same ID for more than one rule");
}

TEST(LifecycleValidateTest, GeneratedIdsAreDistinctAndFitTheLimit) {
  const std::string a = new_lifecycle_rule_id();
  const std::string b = new_lifecycle_rule_id();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 48u);
}

TEST(LifecycleValidateTest, ARuleNeedsAnAction) {
  LifecycleRule rule;
  rule.id = "idle";
  auto status = validate(LifecycleConfiguration{{rule}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(status.error().message, "At least one action needs to be specified in a rule");
}

TEST(LifecycleValidateTest, ExpirationForms) {
  EXPECT_EQ(validation_error(rule_with_expiration_days("r", 0)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(validation_error(rule_with_expiration_days("r", -1)), ErrorCode::kInvalidArgument);
  LifecycleRule rule = rule_with_expiration_days("r", 1);
  rule.expiration->date_ns = 20000 * kDay;
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // Days and Date
  rule.expiration = LifecycleExpiration{.days = 1, .expired_object_delete_marker = true};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // marker with Days
  rule.expiration = LifecycleExpiration{};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // nothing
  rule.expiration = LifecycleExpiration{.date_ns = 20000 * kDay + 3600'000'000'000};
  auto status = validate(LifecycleConfiguration{{rule}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "'Date' must be at midnight GMT");
  rule.expiration = LifecycleExpiration{.date_ns = 20000 * kDay};
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.expiration = LifecycleExpiration{.expired_object_delete_marker = true};
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.filter = {.shape = LifecycleFilter::Shape::kTag, .tags = {{"a", "b"}}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);  // marker with tags
}

TEST(LifecycleValidateTest, StandardIaNeedsThirtyDays) {
  LifecycleRule rule;
  rule.id = "ia";
  rule.transitions = {{.days = 29, .storage_class = "STANDARD_IA"}};
  auto status = validate(LifecycleConfiguration{{rule}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "'Days' in Transition action must be greater than or equal to 30 for storageClass "
            "'STANDARD_IA'");
  rule.transitions[0].days = 30;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.transitions = {{.days = 0, .storage_class = "GLACIER"}};
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.transitions = {{.days = -1, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
}

TEST(LifecycleValidateTest, GlacierComesThirtyDaysAfterStandardIa) {
  LifecycleRule rule;
  rule.id = "tiers";
  rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"},
                      {.days = 59, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.transitions[1].days = 60;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.transitions = {{.date_ns = 20000 * kDay, .storage_class = "STANDARD_IA"},
                      {.date_ns = 20010 * kDay, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.transitions[1].date_ns = 20030 * kDay;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
}

TEST(LifecycleValidateTest, TransitionShapes) {
  LifecycleRule rule;
  rule.id = "t";
  rule.transitions = {{.days = 1, .date_ns = 20000 * kDay, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // Days and Date
  rule.transitions = {{.storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // neither
  rule.transitions = {{.days = 40, .storage_class = "STANDARD"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);
  rule.transitions = {{.days = 40, .storage_class = "BOGUS"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);
  rule.transitions = {{.days = 40, .storage_class = "DEEP_ARCHIVE"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidStorageClass);
  rule.transitions = {{.days = 40, .storage_class = "GLACIER"},
                      {.days = 80, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);  // same class twice
  rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"},
                      {.date_ns = 20000 * kDay, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);  // mixed Days and Date
}

TEST(LifecycleValidateTest, ExpirationComesAfterTransitions) {
  LifecycleRule rule = seed_plan().rules[0];
  rule.expiration = LifecycleExpiration{.days = 60};
  auto status = validate(LifecycleConfiguration{{rule}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "'Days' in the Expiration action for filter '(prefix=)' must be greater than 'Days' "
            "in the Transition action");
  rule.expiration->days = 61;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.expiration = LifecycleExpiration{.date_ns = 20000 * kDay};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);  // Date with Days transitions
}

TEST(LifecycleValidateTest, NoncurrentActions) {
  LifecycleRule rule;
  rule.id = "nc";
  rule.noncurrent_transitions = {{.noncurrent_days = 10, .storage_class = "STANDARD_IA"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.noncurrent_transitions = {{.noncurrent_days = 30, .storage_class = "STANDARD_IA"},
                                 {.noncurrent_days = 40, .storage_class = "GLACIER"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.noncurrent_transitions[1].noncurrent_days = 60;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.noncurrent_expiration = NoncurrentExpiration{.noncurrent_days = 60};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);  // not after the transition
  rule.noncurrent_expiration->noncurrent_days = 61;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.noncurrent_transitions.clear();
  rule.noncurrent_expiration = NoncurrentExpiration{.noncurrent_days = 0};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.noncurrent_expiration =
      NoncurrentExpiration{.noncurrent_days = 1, .newer_noncurrent_versions = 0};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.noncurrent_expiration->newer_noncurrent_versions = 101;
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.noncurrent_expiration->newer_noncurrent_versions = 100;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
}

TEST(LifecycleValidateTest, AbortIncompleteMultipartUpload) {
  LifecycleRule rule;
  rule.id = "abort";
  rule.abort_incomplete_multipart_days = 0;
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.abort_incomplete_multipart_days = 7;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.filter = {.shape = LifecycleFilter::Shape::kTag, .tags = {{"a", "b"}}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);
  rule.filter = {.shape = LifecycleFilter::Shape::kSizeGreater, .object_size_greater_than = 5};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);
}

TEST(LifecycleValidateTest, FilterShapes) {
  LifecycleRule rule = rule_with_expiration_days("f", 1);
  using Shape = LifecycleFilter::Shape;
  rule.filter = {.shape = Shape::kTag, .tags = {{"a", "1"}, {"b", "2"}}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // two conditions without And
  rule.filter = {.shape = Shape::kPrefix, .prefix = "p/", .object_size_greater_than = 1};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);
  rule.filter = {.shape = Shape::kAnd, .prefix = "p/"};
  EXPECT_EQ(validation_error(rule), ErrorCode::kMalformedXML);  // And of one prefix
  rule.filter = {.shape = Shape::kAnd, .prefix = "p/", .tags = {{"a", "1"}, {"b", "2"}}};
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.filter.tags = {{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);  // duplicate tag keys
  rule.filter.tags = {{"", "1"}};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidTag);
  rule.filter = {.shape = Shape::kAnd, .object_size_greater_than = 10, .object_size_less_than = 10};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidArgument);
  rule.filter.object_size_less_than = 11;
  EXPECT_TRUE(validate(LifecycleConfiguration{{rule}}));
  rule.filter = {.shape = Shape::kSizeLess, .object_size_less_than = 0};
  EXPECT_EQ(validation_error(rule), ErrorCode::kInvalidRequest);
}

// ---- JSON ----------------------------------------------------------------------------------

TEST(LifecycleJsonTest, RoundTripKeepsEverything) {
  LifecycleConfiguration config = seed_plan();
  config.transition_minimum_size = TransitionMinimumSize::kVariesByStorageClass;
  LifecycleRule rule;
  rule.id = "everything";
  rule.enabled = false;
  rule.filter = {.shape = LifecycleFilter::Shape::kAnd,
                 .prefix = "logs/\"quoted\"",
                 .tags = {{"k1", "v1"}, {"k2", ""}},
                 .object_size_greater_than = 0,
                 .object_size_less_than = 1ull << 40};
  rule.transitions = {{.date_ns = 20000 * kDay, .storage_class = "GLACIER"}};
  rule.expiration = LifecycleExpiration{.date_ns = 20100 * kDay};
  rule.noncurrent_transitions = {
      {.noncurrent_days = 30, .storage_class = "STANDARD_IA", .newer_noncurrent_versions = 3}};
  rule.noncurrent_expiration =
      NoncurrentExpiration{.noncurrent_days = 40, .newer_noncurrent_versions = 5};
  config.rules.push_back(rule);
  LifecycleRule marker;
  marker.id = "markers";
  marker.filter = {.shape = LifecycleFilter::Shape::kRulePrefix, .prefix = "old/"};
  marker.expiration = LifecycleExpiration{.expired_object_delete_marker = false};
  marker.abort_incomplete_multipart_days = 3;
  config.rules.push_back(marker);

  const std::string json = to_json(config);
  auto back = lifecycle_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), json);
  ASSERT_EQ(back->rules.size(), 3u);
  EXPECT_EQ(back->transition_minimum_size, TransitionMinimumSize::kVariesByStorageClass);
  const LifecycleRule& read = back->rules[1];
  EXPECT_FALSE(read.enabled);
  EXPECT_EQ(read.filter.shape, LifecycleFilter::Shape::kAnd);
  EXPECT_EQ(read.filter.prefix, "logs/\"quoted\"");
  EXPECT_EQ(read.filter.tags, (meta::StringPairs{{"k1", "v1"}, {"k2", ""}}));
  EXPECT_EQ(read.filter.object_size_greater_than, 0u);
  EXPECT_EQ(read.filter.object_size_less_than, 1ull << 40);
  EXPECT_EQ(read.transitions.at(0).date_ns, 20000 * kDay);
  EXPECT_FALSE(read.transitions.at(0).days.has_value());
  EXPECT_EQ(read.expiration->date_ns, 20100 * kDay);
  EXPECT_EQ(read.noncurrent_transitions.at(0).newer_noncurrent_versions, 3);
  EXPECT_EQ(read.noncurrent_expiration->newer_noncurrent_versions, 5);
  EXPECT_EQ(back->rules[2].filter.shape, LifecycleFilter::Shape::kRulePrefix);
  EXPECT_EQ(back->rules[2].expiration->expired_object_delete_marker, false);
  EXPECT_EQ(back->rules[2].abort_incomplete_multipart_days, 3);
  EXPECT_EQ(back->rules[0].transitions.at(1).days, 60);
}

TEST(LifecycleJsonTest, UnreadableDocumentsAreInternalErrors) {
  for (std::string_view text : {"", "not json", "[]", R"({"rules": 5})",
                                R"({"transition_minimum_size": "x", "rules": []})"}) {
    auto read = lifecycle_from_json(text);
    ASSERT_FALSE(read) << text;
    EXPECT_EQ(read.error().code, ErrorCode::kInternalError);
  }
}

// ---- plan_key ------------------------------------------------------------------------------

TEST(LifecyclePlanTest, SeedPlanTransitionsAt30And60Days) {
  const LifecycleConfiguration config = seed_plan();
  VersionPlan plan = plan_one(config, current_object(), kT0 + 29 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, kT0 + 30 * kDay);

  plan = plan_one(config, current_object(), kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "STANDARD_IA");
  EXPECT_EQ(plan.rule_id, "tiering");
  EXPECT_EQ(plan.next_due_ns, kT0 + 60 * kDay);

  plan = plan_one(config, current_object(kMiB, "STANDARD_IA"), kT0 + 45 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, kT0 + 60 * kDay);

  plan = plan_one(config, current_object(kMiB, "STANDARD_IA"), kT0 + 60 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "GLACIER");
  EXPECT_EQ(plan.next_due_ns, 0);

  plan = plan_one(config, current_object(kMiB, "GLACIER"), kT0 + 365 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
}

TEST(LifecyclePlanTest, SeveralDueTransitionsPickTheColdest) {
  const VersionPlan plan = plan_one(seed_plan(), current_object(), kT0 + 100 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "GLACIER");
  EXPECT_EQ(plan.next_due_ns, 0);
}

TEST(LifecyclePlanTest, DayLengthIsConfigurableAndNotRounded) {
  const int64_t day = 1'000'000'000;  // a one-second lifecycle day
  VersionFacts facts = current_object();
  facts.created_ns = 1'234'567;
  const auto plans = plan_key(seed_plan(), std::span(&facts, 1), 1'234'567 + 29 * day, day);
  EXPECT_EQ(plans[0].next_due_ns, 1'234'567 + 30 * day);
}

TEST(LifecyclePlanTest, ExpirationWinsOverTransition) {
  LifecycleConfiguration config = seed_plan();
  config.rules.push_back(rule_with_expiration_days("expire", 30));
  const VersionPlan plan = plan_one(config, current_object(), kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kExpireCurrent);
  EXPECT_EQ(plan.rule_id, "expire");
  EXPECT_EQ(plan.next_due_ns, 0);
}

TEST(LifecyclePlanTest, NextDueIsTheEarliestOfExpirationAndTransitions) {
  LifecycleConfiguration config = seed_plan();
  config.rules[0].expiration = LifecycleExpiration{.days = 45};
  VersionPlan plan = plan_one(config, current_object(), kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.next_due_ns, kT0 + 45 * kDay);
  plan = plan_one(config, current_object(kMiB, "STANDARD_IA"), kT0 + 45 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kExpireCurrent);
}

TEST(LifecyclePlanTest, NoTransitionToAWarmerOrTheSameClass) {
  LifecycleRule rule;
  rule.id = "ia";
  rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"}};
  const LifecycleConfiguration config{{rule}};
  VersionPlan plan = plan_one(config, current_object(kMiB, "GLACIER"), kT0 + 40 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
  plan = plan_one(config, current_object(kMiB, "STANDARD_IA"), kT0 + 40 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
}

TEST(LifecyclePlanTest, ObjectsUnder128KiBStayUnlessTheFilterNamesASize) {
  LifecycleConfiguration config = seed_plan();
  const uint64_t small = kTransitionMinimumObjectSize - 1;
  VersionPlan plan = plan_one(config, current_object(small), kT0 + 100 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
  plan = plan_one(config, current_object(kTransitionMinimumObjectSize), kT0 + 100 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);

  config.rules[0].filter = {.shape = LifecycleFilter::Shape::kSizeGreater,
                            .object_size_greater_than = 0};
  plan = plan_one(config, current_object(small), kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "STANDARD_IA");

  config = seed_plan();
  config.transition_minimum_size = TransitionMinimumSize::kVariesByStorageClass;
  plan = plan_one(config, current_object(small), kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);  // STANDARD_IA still needs 128 KiB
  EXPECT_EQ(plan.next_due_ns, kT0 + 60 * kDay);    // GLACIER does not
  plan = plan_one(config, current_object(small), kT0 + 60 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "GLACIER");
}

TEST(LifecyclePlanTest, DisabledAndNonMatchingRulesDoNothing) {
  LifecycleConfiguration config = seed_plan();
  config.rules[0].enabled = false;
  EXPECT_EQ(plan_one(config, current_object(), kT0 + 100 * kDay).action, LifecycleAction::kNone);
  config = seed_plan();
  config.rules[0].filter = {.shape = LifecycleFilter::Shape::kPrefix, .prefix = "videos/"};
  VersionPlan plan = plan_one(config, current_object(), kT0 + 100 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
  config.rules[0].filter.prefix = "photos/";
  EXPECT_EQ(plan_one(config, current_object(), kT0 + 100 * kDay).action,
            LifecycleAction::kTransition);
  config.rules[0].filter = {.shape = LifecycleFilter::Shape::kTag, .tags = {{"keep", "no"}}};
  VersionFacts tagged = current_object();
  EXPECT_EQ(plan_one(config, tagged, kT0 + 100 * kDay).action, LifecycleAction::kNone);
  tagged.tags = {{"keep", "no"}};
  EXPECT_EQ(plan_one(config, tagged, kT0 + 100 * kDay).action, LifecycleAction::kTransition);
}

TEST(LifecyclePlanTest, DateRules) {
  const int64_t date = 20000 * kDay;
  LifecycleRule rule;
  rule.id = "dated";
  rule.transitions = {{.date_ns = date, .storage_class = "GLACIER"}};
  rule.expiration = LifecycleExpiration{.date_ns = date + 10 * kDay};
  const LifecycleConfiguration config{{rule}};
  VersionFacts facts = current_object();
  facts.created_ns = date - 100 * kDay;
  VersionPlan plan = plan_one(config, facts, date - 1);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, date);
  plan = plan_one(config, facts, date);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "GLACIER");
  EXPECT_EQ(plan.next_due_ns, date + 10 * kDay);
  // An object created after the date is due at once (S3 keeps applying a past date).
  facts.created_ns = date + 11 * kDay;
  plan = plan_one(config, facts, date + 11 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kExpireCurrent);
}

TEST(LifecyclePlanTest, NoncurrentVersionsExpireNDaysAfterTheyStoppedBeingCurrent) {
  const LifecycleConfiguration config = seed_plan();
  const int64_t since = kT0 + 5 * kDay;
  std::vector<VersionFacts> versions = {current_object(), noncurrent_object("old", since)};
  versions[0].created_ns = since;
  auto plans = plan_key(config, versions, since + 89 * kDay, kDay);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[1].action, LifecycleAction::kNone);
  EXPECT_EQ(plans[1].next_due_ns, since + 90 * kDay);
  plans = plan_key(config, versions, since + 90 * kDay, kDay);
  EXPECT_EQ(plans[1].action, LifecycleAction::kDeleteNoncurrent);
  EXPECT_EQ(plans[1].rule_id, "tiering");
  EXPECT_EQ(plans[1].next_due_ns, 0);
  // The current version follows its own clock: both transitions are due by then.
  EXPECT_EQ(plans[0].action, LifecycleAction::kTransition);
  EXPECT_EQ(plans[0].storage_class, "GLACIER");
}

TEST(LifecyclePlanTest, NoncurrentTransitionsAndExpiration) {
  LifecycleRule rule;
  rule.id = "nc";
  rule.noncurrent_transitions = {{.noncurrent_days = 30, .storage_class = "STANDARD_IA"},
                                 {.noncurrent_days = 60, .storage_class = "GLACIER"}};
  rule.noncurrent_expiration = NoncurrentExpiration{.noncurrent_days = 90};
  const LifecycleConfiguration config{{rule}};
  VersionFacts old = noncurrent_object("old", kT0);
  VersionPlan plan = plan_one(config, old, kT0 + 30 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kTransition);
  EXPECT_EQ(plan.storage_class, "STANDARD_IA");
  EXPECT_EQ(plan.next_due_ns, kT0 + 60 * kDay);
  old.storage_class = "GLACIER";
  plan = plan_one(config, old, kT0 + 61 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, kT0 + 90 * kDay);
  // A current version is not touched by noncurrent actions.
  plan = plan_one(config, current_object(), kT0 + 1000 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
}

TEST(LifecyclePlanTest, NewerNoncurrentVersionsKeepsTheNewestN) {
  LifecycleRule rule;
  rule.id = "keep2";
  rule.noncurrent_expiration =
      NoncurrentExpiration{.noncurrent_days = 10, .newer_noncurrent_versions = 2};
  const LifecycleConfiguration config{{rule}};
  std::vector<VersionFacts> versions = {current_object(), noncurrent_object("n1", kT0 + 4 * kDay),
                                        noncurrent_object("n2", kT0 + 3 * kDay),
                                        noncurrent_object("n3", kT0 + 2 * kDay),
                                        noncurrent_object("n4", kT0 + 1 * kDay)};
  auto plans = plan_key(config, versions, kT0 + 100 * kDay, kDay);
  ASSERT_EQ(plans.size(), 5u);
  EXPECT_EQ(plans[1].action, LifecycleAction::kNone);
  EXPECT_EQ(plans[1].next_due_ns, 0);
  EXPECT_EQ(plans[2].action, LifecycleAction::kNone);
  EXPECT_EQ(plans[3].action, LifecycleAction::kDeleteNoncurrent);
  EXPECT_EQ(plans[4].action, LifecycleAction::kDeleteNoncurrent);
  // Old enough by count but not by days yet: due 10 days after it became noncurrent.
  plans = plan_key(config, versions, kT0 + 11 * kDay + 1, kDay);
  EXPECT_EQ(plans[3].action, LifecycleAction::kNone);
  EXPECT_EQ(plans[3].next_due_ns, kT0 + 12 * kDay);
  EXPECT_EQ(plans[4].action, LifecycleAction::kDeleteNoncurrent);
}

TEST(LifecyclePlanTest, NoncurrentDeleteMarkersAreExpiredButNeverTransitioned) {
  LifecycleRule rule;
  rule.id = "nc";
  rule.noncurrent_transitions = {{.noncurrent_days = 0, .storage_class = "GLACIER"}};
  // varies_by_storage_class lets a 0-byte version go to GLACIER: only being a marker stops it.
  LifecycleConfiguration transitions{{rule}, TransitionMinimumSize::kVariesByStorageClass};
  VersionFacts object = noncurrent_object("o", kT0);
  object.size = 0;
  EXPECT_EQ(plan_one(transitions, object, kT0 + kDay).action, LifecycleAction::kTransition);
  const VersionFacts marker = noncurrent_object("m", kT0, /*marker=*/true);
  EXPECT_EQ(plan_one(transitions, marker, kT0 + kDay).action, LifecycleAction::kNone);
  rule.filter = {};
  rule.noncurrent_transitions.clear();
  rule.noncurrent_expiration = NoncurrentExpiration{.noncurrent_days = 1};
  const VersionPlan plan = plan_one(LifecycleConfiguration{{rule}}, marker, kT0 + kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kDeleteNoncurrent);
}

TEST(LifecyclePlanTest, ExpiredObjectDeleteMarkerRemovesALoneMarker) {
  LifecycleRule rule;
  rule.id = "markers";
  rule.expiration = LifecycleExpiration{.expired_object_delete_marker = true};
  const LifecycleConfiguration config{{rule}};
  VersionFacts marker = current_object(0);
  marker.is_delete_marker = true;
  VersionPlan plan = plan_one(config, marker, kT0);
  EXPECT_EQ(plan.action, LifecycleAction::kDeleteExpiredMarker);
  EXPECT_EQ(plan.rule_id, "markers");
  // Not while it hides an older version.
  const std::vector<VersionFacts> versions = {marker, noncurrent_object("old", kT0)};
  auto plans = plan_key(config, versions, kT0 + 1000 * kDay, kDay);
  EXPECT_EQ(plans[0].action, LifecycleAction::kNone);
  EXPECT_EQ(plans[0].next_due_ns, 0);
  // ExpiredObjectDeleteMarker false does nothing.
  LifecycleConfiguration off = config;
  off.rules[0].expiration->expired_object_delete_marker = false;
  EXPECT_EQ(plan_one(off, marker, kT0 + 1000 * kDay).action, LifecycleAction::kNone);
}

TEST(LifecyclePlanTest, ExpirationDaysNeverExpiresAMarkerAgainButCleansALoneOneUp) {
  const LifecycleConfiguration config{{rule_with_expiration_days("expire", 10)}};
  VersionFacts marker = current_object(0);
  marker.is_delete_marker = true;
  const std::vector<VersionFacts> versions = {marker, noncurrent_object("old", kT0)};
  auto plans = plan_key(config, versions, kT0 + 100 * kDay, kDay);
  EXPECT_EQ(plans[0].action, LifecycleAction::kNone);
  VersionPlan plan = plan_one(config, marker, kT0 + 9 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, kT0 + 10 * kDay);
  plan = plan_one(config, marker, kT0 + 10 * kDay);
  EXPECT_EQ(plan.action, LifecycleAction::kDeleteExpiredMarker);
}

TEST(LifecyclePlanTest, HugeDaysNeverComeDue) {
  const LifecycleConfiguration config{{rule_with_expiration_days("far", INT32_MAX)}};
  const VersionPlan plan = plan_one(config, current_object(), kT0);
  EXPECT_EQ(plan.action, LifecycleAction::kNone);
  EXPECT_EQ(plan.next_due_ns, 0);
}

TEST(LifecyclePlanTest, EmptyKeyGivesNoPlans) {
  EXPECT_TRUE(plan_key(seed_plan(), {}, kT0, kDay).empty());
}

// ---- plan_upload ---------------------------------------------------------------------------

TEST(LifecyclePlanTest, UploadsAreAbortedDaysAfterInitiation) {
  LifecycleRule rule;
  rule.id = "abort";
  rule.filter = {.shape = LifecycleFilter::Shape::kPrefix, .prefix = "tmp/"};
  rule.abort_incomplete_multipart_days = 7;
  LifecycleRule quicker = rule;
  quicker.id = "quicker";
  quicker.abort_incomplete_multipart_days = 2;
  quicker.enabled = false;
  const LifecycleConfiguration config{{rule, quicker}};
  UploadPlan plan = plan_upload(config, "tmp/big.iso", kT0, kT0 + 6 * kDay, kDay);
  EXPECT_FALSE(plan.abort_now);
  EXPECT_EQ(plan.due_ns, kT0 + 7 * kDay);
  EXPECT_EQ(plan.rule_id, "abort");
  plan = plan_upload(config, "tmp/big.iso", kT0, kT0 + 7 * kDay, kDay);
  EXPECT_TRUE(plan.abort_now);
  plan = plan_upload(config, "keep/big.iso", kT0, kT0 + 70 * kDay, kDay);
  EXPECT_FALSE(plan.abort_now);
  EXPECT_EQ(plan.due_ns, 0);
  EXPECT_TRUE(plan.rule_id.empty());
  EXPECT_EQ(plan_upload(seed_plan(), "tmp/x", kT0, kT0 + 999 * kDay, kDay).due_ns, 0);
}

}  // namespace
}  // namespace cv::vault
