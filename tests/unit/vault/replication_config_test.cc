#include "vault/replication_config.h"

#include <gtest/gtest.h>

namespace cv::vault {
namespace {

using Shape = ReplicationFilter::Shape;

ReplicationRule v2_rule(std::string id, int32_t priority, std::string prefix,
                        std::string bucket = "backup") {
  ReplicationRule rule;
  rule.id = std::move(id);
  rule.priority = priority;
  rule.filter = {.shape = Shape::kPrefix, .prefix = std::move(prefix)};
  rule.destination.bucket_arn = "arn:aws:s3:::" + bucket;
  rule.delete_marker_replication = false;
  return rule;
}

ReplicationConfiguration config_of(std::vector<ReplicationRule> rules) {
  return ReplicationConfiguration{"arn:aws:iam::123456789012:role/replication", std::move(rules)};
}

ErrorCode error_of(const ReplicationConfiguration& config) {
  auto status = validate(config);
  return status ? ErrorCode::kNotModified : status.error().code;  // kNotModified: valid
}

std::string message_of(const ReplicationConfiguration& config) {
  auto status = validate(config);
  return status ? "" : status.error().message;
}

std::vector<std::string> ids(const std::vector<const ReplicationRule*>& rules) {
  std::vector<std::string> out;
  for (const ReplicationRule* rule : rules) out.push_back(rule->id);
  return out;
}

// ---- Validation -----------------------------------------------------------------------------

TEST(ReplicationValidateTest, AcceptsV2AndV1Configurations) {
  EXPECT_TRUE(validate(config_of({v2_rule("a", 1, "photos/"), v2_rule("b", 2, "docs/")})));
  ReplicationRule v1;
  v1.id = "v1";
  v1.filter = {.shape = Shape::kRulePrefix, .prefix = "logs/"};
  v1.destination.bucket_arn = "arn:aws:s3:::backup";
  EXPECT_TRUE(validate(config_of({v1})));
}

TEST(ReplicationValidateTest, RuleCountBounds) {
  EXPECT_EQ(error_of(config_of({})), ErrorCode::kMalformedXML);
  std::vector<ReplicationRule> rules;
  for (int i = 0; i < 1000; ++i) rules.push_back(v2_rule("r" + std::to_string(i), i, "p/"));
  EXPECT_TRUE(validate(config_of(rules)));
  rules.push_back(v2_rule("r1000", 1000, "p/"));
  EXPECT_EQ(error_of(config_of(rules)), ErrorCode::kInvalidRequest);
  EXPECT_EQ(message_of(config_of(rules)),
            "The number of replication rules must not exceed the allowed limit of 1000 rules.");
}

TEST(ReplicationValidateTest, IdsAreUniqueAndShort) {
  EXPECT_EQ(error_of(config_of({v2_rule("same", 1, "a"), v2_rule("same", 2, "b")})),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of(config_of({v2_rule(std::string(256, 'x'), 1, "a")})),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(validate(config_of({v2_rule(std::string(255, 'x'), 1, "a")})));
}

TEST(ReplicationValidateTest, V2NeedsPriorityAndDeleteMarkerReplication) {
  ReplicationRule rule = v2_rule("a", 1, "");
  rule.priority.reset();
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidRequest);
  EXPECT_EQ(message_of(config_of({rule}))
                .find("Priority must be specified for this version of "
                      "Cross Region Replication configuration schema."),
            0u);
  rule = v2_rule("a", 1, "");
  rule.delete_marker_replication.reset();
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidRequest);
  EXPECT_EQ(message_of(config_of({rule})).find("DeleteMarkerReplication must be specified"), 0u);
  rule = v2_rule("a", -1, "");
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidRequest);
}

TEST(ReplicationValidateTest, PrioritiesAreUnique) {
  const auto config = config_of({v2_rule("a", 3, "a/"), v2_rule("b", 3, "b/", "other")});
  EXPECT_EQ(error_of(config), ErrorCode::kInvalidRequest);
  EXPECT_EQ(message_of(config), "Found duplicate priority 3 in replication configuration.");
}

TEST(ReplicationValidateTest, V1RefusesPriorityAndDeleteMarkerReplication) {
  ReplicationRule v1;
  v1.id = "v1";
  v1.filter = {.shape = Shape::kRulePrefix};
  v1.destination.bucket_arn = "arn:aws:s3:::backup";
  v1.priority = 1;
  EXPECT_EQ(message_of(config_of({v1})).find("Priority cannot be used for this version"), 0u);
  v1.priority.reset();
  v1.delete_marker_replication = true;
  EXPECT_EQ(message_of(config_of({v1})).find("DeleteMarkerReplication cannot be used"), 0u);
  v1.delete_marker_replication.reset();
  EXPECT_EQ(error_of(config_of({v1, v2_rule("v2", 1, "")})), ErrorCode::kInvalidRequest);
}

TEST(ReplicationValidateTest, DeleteMarkersAreNotReplicatedWithTagFilters) {
  ReplicationRule rule = v2_rule("a", 1, "");
  rule.filter = {.shape = Shape::kTag, .tags = {{"backup", "yes"}}};
  rule.delete_marker_replication = true;
  EXPECT_EQ(message_of(config_of({rule}))
                .find("Delete marker replication is not supported if "
                      "any Tag filter is specified."),
            0u);
  // Our suffix filter is about the key, so delete markers can follow it; content type cannot.
  rule.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:suffix", ".pdf"}}};
  EXPECT_TRUE(validate(config_of({rule})));
  rule.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:content-type", "image/*"}}};
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidRequest);
}

TEST(ReplicationValidateTest, FilterTags) {
  ReplicationRule rule = v2_rule("a", 1, "");
  rule.filter = {.shape = Shape::kAnd, .prefix = "p/", .tags = {{"k", "1"}, {"k", "2"}}};
  EXPECT_EQ(message_of(config_of({rule})), "Duplicate Tag Keys are not allowed.");
  rule.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:suffix", ""}}};
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidArgument);
}

TEST(ReplicationValidateTest, Destinations) {
  ReplicationRule rule = v2_rule("a", 1, "");
  rule.destination.bucket_arn = "backup";
  EXPECT_EQ(message_of(config_of({rule})), "Invalid bucket ARN.");
  rule.destination.bucket_arn = "arn:aws:s3:::Not_A_Bucket";
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidArgument);
  rule.destination.bucket_arn = "arn:aws:s3:::backup";

  rule.destination.storage_class = "STANDARD_IA";
  EXPECT_TRUE(validate(config_of({rule})));
  rule.destination.storage_class = "DEEP_ARCHIVE";
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidStorageClass);
  rule.destination.account = "offsite";  // a remote may keep any S3 class
  EXPECT_TRUE(validate(config_of({rule})));
  rule.destination.storage_class = "COLD";
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kMalformedXML);
  rule.destination.storage_class.clear();

  rule.destination.owner_override = "Destination";
  EXPECT_TRUE(validate(config_of({rule})));
  rule.destination.owner_override = "Source";
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kMalformedXML);
  rule.destination.owner_override = "Destination";
  rule.destination.account.clear();
  EXPECT_EQ(error_of(config_of({rule})), ErrorCode::kInvalidRequest);
}

// ---- Matching -------------------------------------------------------------------------------

TEST(ReplicationTargetsTest, PrefixTagAndAnd) {
  ReplicationRule by_prefix = v2_rule("prefix", 1, "photos/", "b1");
  ReplicationRule by_tag = v2_rule("tag", 2, "", "b2");
  by_tag.filter = {.shape = Shape::kTag, .tags = {{"backup", "yes"}}};
  ReplicationRule both = v2_rule("and", 3, "", "b3");
  both.filter = {.shape = Shape::kAnd, .prefix = "docs/", .tags = {{"a", "1"}, {"b", "2"}}};
  const auto config = config_of({by_prefix, by_tag, both});

  EXPECT_EQ(ids(replication_targets(config, "photos/a.jpg", {}, "", false)),
            std::vector<std::string>{"prefix"});
  EXPECT_EQ(ids(replication_targets(config, "x", {{"backup", "yes"}}, "", false)),
            std::vector<std::string>{"tag"});
  EXPECT_TRUE(replication_targets(config, "x", {{"backup", "no"}}, "", false).empty());
  EXPECT_EQ(ids(replication_targets(config, "docs/a", {{"b", "2"}, {"a", "1"}}, "", false)),
            std::vector<std::string>{"and"});
  EXPECT_TRUE(replication_targets(config, "docs/a", {{"a", "1"}}, "", false).empty());
  EXPECT_TRUE(replication_targets(config, "other/a", {{"a", "1"}, {"b", "2"}}, "", false).empty());
  // Every destination whose rule matches gets the version.
  EXPECT_EQ(ids(replication_targets(config, "photos/a", {{"backup", "yes"}}, "", false)),
            (std::vector<std::string>{"prefix", "tag"}));
}

TEST(ReplicationTargetsTest, SuffixAndContentTypeExtension) {
  ReplicationRule pdf = v2_rule("pdf", 1, "", "b1");
  pdf.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:suffix", ".pdf"}}};
  ReplicationRule images = v2_rule("images", 2, "", "b2");
  images.filter = {
      .shape = Shape::kAnd, .prefix = "camera/", .tags = {{"cloudvault:content-type", "image/*"}}};
  ReplicationRule exact = v2_rule("exact", 3, "", "b3");
  exact.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:content-type", "text/plain"}}};
  const auto config = config_of({pdf, images, exact});

  EXPECT_EQ(ids(replication_targets(config, "a/report.pdf", {}, "application/pdf", false)),
            std::vector<std::string>{"pdf"});
  EXPECT_EQ(ids(replication_targets(config, "a/REPORT.PDF", {}, "", false)),
            std::vector<std::string>{"pdf"});
  EXPECT_TRUE(replication_targets(config, "a/report.pdfx", {}, "", false).empty());
  EXPECT_EQ(ids(replication_targets(config, "camera/1.raw", {}, "Image/JPEG", false)),
            std::vector<std::string>{"images"});
  EXPECT_TRUE(replication_targets(config, "camera/1.raw", {}, "video/mp4", false).empty());
  EXPECT_TRUE(replication_targets(config, "other/1.jpg", {}, "image/jpeg", false).empty());
  EXPECT_EQ(ids(replication_targets(config, "n", {}, "text/plain; charset=utf-8", false)),
            std::vector<std::string>{"exact"});
  EXPECT_TRUE(replication_targets(config, "n", {}, "text/plainer", false).empty());
  // Reserved keys are never object tags: an object tagged cloudvault:suffix=.pdf is no pdf.
  EXPECT_TRUE(
      replication_targets(config, "a.txt", {{"cloudvault:suffix", ".pdf"}}, "", false).empty());
}

TEST(ReplicationTargetsTest, HighestPriorityWinsPerDestination) {
  ReplicationRule low = v2_rule("low", 1, "", "backup");
  ReplicationRule high = v2_rule("high", 5, "photos/", "backup");
  high.destination.storage_class = "GLACIER";
  ReplicationRule elsewhere = v2_rule("elsewhere", 0, "photos/", "backup");
  elsewhere.destination.account = "offsite";  // same bucket name, another place
  const auto config = config_of({low, high, elsewhere});

  EXPECT_EQ(ids(replication_targets(config, "photos/a", {}, "", false)),
            (std::vector<std::string>{"high", "elsewhere"}));
  EXPECT_EQ(ids(replication_targets(config, "docs/a", {}, "", false)),
            std::vector<std::string>{"low"});
}

TEST(ReplicationTargetsTest, DisabledRulesNeverApply) {
  ReplicationRule off = v2_rule("off", 9, "", "backup");
  off.enabled = false;
  ReplicationRule on = v2_rule("on", 1, "", "backup");
  EXPECT_EQ(ids(replication_targets(config_of({off, on}), "k", {}, "", false)),
            std::vector<std::string>{"on"});
  EXPECT_TRUE(replication_targets(config_of({off}), "k", {}, "", false).empty());
}

TEST(ReplicationTargetsTest, DeleteMarkers) {
  ReplicationRule keep = v2_rule("keep", 1, "", "b1");
  keep.delete_marker_replication = true;
  ReplicationRule skip = v2_rule("skip", 2, "", "b2");
  ReplicationRule tagged = v2_rule("tagged", 3, "", "b3");
  tagged.filter = {.shape = Shape::kTag, .tags = {{"k", "v"}}};
  ReplicationRule pdfs = v2_rule("pdfs", 4, "", "b4");
  pdfs.filter = {.shape = Shape::kTag, .tags = {{"cloudvault:suffix", ".pdf"}}};
  pdfs.delete_marker_replication = true;
  const auto config = config_of({keep, skip, tagged, pdfs});
  EXPECT_EQ(ids(replication_targets(config, "a.pdf", {{"k", "v"}}, "", true)),
            (std::vector<std::string>{"keep", "pdfs"}));
  EXPECT_EQ(ids(replication_targets(config, "a.txt", {}, "", true)),
            std::vector<std::string>{"keep"});

  // The destination's highest-priority rule decides: when it does not replicate delete
  // markers, a lower one that does is not used.
  ReplicationRule low = v2_rule("low", 1, "", "b1");
  low.delete_marker_replication = true;
  ReplicationRule high = v2_rule("high", 2, "", "b1");
  EXPECT_TRUE(replication_targets(config_of({low, high}), "k", {}, "", true).empty());

  // V1 rules replicate delete markers.
  ReplicationRule v1;
  v1.id = "v1";
  v1.filter = {.shape = Shape::kRulePrefix, .prefix = "logs/"};
  v1.destination.bucket_arn = "arn:aws:s3:::backup";
  EXPECT_EQ(ids(replication_targets(config_of({v1}), "logs/x", {}, "", true)),
            std::vector<std::string>{"v1"});
}

// ---- JSON -----------------------------------------------------------------------------------

TEST(ReplicationJsonTest, RoundTripsEveryField) {
  ReplicationRule full = v2_rule("full", 7, "", "backup");
  full.enabled = false;
  full.filter = {.shape = Shape::kAnd,
                 .prefix = "photos/",
                 .tags = {{"k", "v"}, {"cloudvault:suffix", ".jpg"}}};
  full.destination.account = "offsite";
  full.destination.storage_class = "STANDARD_IA";
  full.destination.replica_kms_key_id = "arn:aws:kms:us-east-1:1:key/x";
  full.destination.owner_override = "Destination";
  full.destination.replication_time = ReplicationTimeSetting{true, 15};
  full.destination.metrics = ReplicationTimeSetting{false, std::nullopt};
  full.existing_object_replication = true;
  full.sse_kms_encrypted_objects = false;
  full.replica_modifications = true;
  ReplicationRule v1;
  v1.id = "v1";
  v1.filter = {.shape = Shape::kRulePrefix, .prefix = "logs/"};
  v1.destination.bucket_arn = "arn:aws:s3:::backup";
  const auto config = config_of({full, v1, v2_rule("plain", 1, "")});

  const std::string json = to_json(config);
  auto back = replication_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), json);
  EXPECT_EQ(back->role, config.role);
  const ReplicationRule& rule = back->rules.at(0);
  EXPECT_EQ(rule.priority, 7);
  EXPECT_FALSE(rule.enabled);
  EXPECT_EQ(rule.filter.shape, Shape::kAnd);
  EXPECT_EQ(rule.filter.tags, full.filter.tags);
  EXPECT_EQ(rule.destination.account, "offsite");
  EXPECT_EQ(rule.destination.replication_time->minutes, 15);
  EXPECT_FALSE(rule.destination.metrics->minutes.has_value());
  EXPECT_EQ(rule.replica_modifications, true);
  EXPECT_FALSE(back->rules.at(1).priority.has_value());
  EXPECT_EQ(back->rules.at(1).filter.shape, Shape::kRulePrefix);
  EXPECT_FALSE(back->rules.at(1).delete_marker_replication.has_value());
}

TEST(ReplicationJsonTest, UnreadableDocumentsAreInternalErrors) {
  for (std::string_view text : {"", "[]", "{\"rules\": []}", "{\"role\": \"r\", \"rules\": [{}]}",
                                "{\"role\": \"r\", \"rules\": 3}"}) {
    auto parsed = replication_from_json(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInternalError);
  }
}

TEST(ReplicationRuleIdTest, MadeUpIdsAre48Characters) {
  EXPECT_EQ(new_replication_rule_id().size(), 48u);
  EXPECT_NE(new_replication_rule_id(), new_replication_rule_id());
}

}  // namespace
}  // namespace cv::vault
