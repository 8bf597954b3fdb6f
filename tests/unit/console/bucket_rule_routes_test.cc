// The console's Events and Backup routes over a real vault: a bucket's notification rules and
// replication rules listed with the server's targets and remotes, added, refused with S3's
// codes, and removed; versioning turned on for a backup only once the rule has passed its
// checks; owner only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "console/console_api_fixture.h"

namespace cv::console {
namespace {

using testing::ConsoleApiTest;
using Names = std::vector<std::string>;

class BucketRuleRoutesTest : public ConsoleApiTest {
 protected:
  // The JSON body of a 2xx answer (a failed expectation otherwise).
  static boost::json::object body_of(const Response& response, int status = 200) {
    EXPECT_EQ(response.status, status) << response.body;
    auto parsed = boost::json::parse(response.body);
    return parsed.is_object() ? parsed.as_object() : boost::json::object();
  }
  static std::string message_of(const Response& response) {
    return std::string(boost::json::parse(response.body).at("error").at("message").as_string());
  }
  static Names strings(const boost::json::value& array) {
    Names out;
    for (const auto& item : array.as_array()) out.emplace_back(item.as_string());
    return out;
  }
  static Names ids(const boost::json::object& body) {
    Names out;
    for (const auto& rule : body.at("rules").as_array())
      out.emplace_back(rule.at("id").as_string());
    return out;
  }
  vault::Versioning versioning(const std::string& bucket) {
    return temp_.vault().versioning(bucket).value();
  }
};

TEST_F(BucketRuleRoutesTest, EventRulesAreListedWithTheServersTargets) {
  const auto alice = alice_with_bucket("photos");
  const auto listed = body_of(call("GET", "buckets/photos/notifications", {}, signed_in(alice)));
  EXPECT_TRUE(listed.at("rules").as_array().empty());
  EXPECT_EQ(strings(listed.at("targets")), (Names{"hook", "mail"}));
}

TEST_F(BucketRuleRoutesTest, AnEventRuleIsAddedReplacedByItsIdAndRemoved) {
  const auto alice = alice_with_bucket("photos");
  const auto added = body_of(call(
      "PUT", "buckets/photos/notifications",
      R"({"id":"uploads","events":["s3:ObjectCreated:*"],"prefix":"cats/","suffix":".jpg","target":"hook"})",
      signed_in(alice)));
  ASSERT_EQ(added.at("rules").as_array().size(), 1u);
  const auto& rule = added.at("rules").at(0);
  EXPECT_EQ(rule.at("id").as_string(), "uploads");
  EXPECT_EQ(strings(rule.at("events")), Names{"s3:ObjectCreated:*"});
  EXPECT_EQ(rule.at("prefix").as_string(), "cats/");
  EXPECT_EQ(rule.at("suffix").as_string(), ".jpg");
  EXPECT_EQ(rule.at("target").as_string(), "hook");
  EXPECT_EQ(rule.at("arn").as_string(), "arn:aws:sqs:us-east-1:000000000000:hook");
  // What the S3 API and the notify worker read is the same configuration.
  const auto stored = temp_.vault().get_notification_config("photos").value();
  ASSERT_EQ(stored.rules.size(), 1u);
  EXPECT_EQ(stored.rules[0].target, "hook");
  EXPECT_EQ(stored.rules[0].prefix, "cats/");

  // A second rule, then the first replaced in place (same id), then a rule without an id.
  body_of(call("PUT", "buckets/photos/notifications",
               R"({"id":"removals","events":["s3:ObjectRemoved:*"],"target":"mail"})",
               signed_in(alice)));
  const auto replaced = body_of(
      call("PUT", "buckets/photos/notifications",
           R"({"id":"uploads","events":["s3:ObjectCreated:Put"],"prefix":"dogs/","target":"mail"})",
           signed_in(alice)));
  EXPECT_EQ(ids(replaced), (Names{"uploads", "removals"}));
  EXPECT_EQ(replaced.at("rules").at(0).at("prefix").as_string(), "dogs/");
  EXPECT_EQ(replaced.at("rules").at(0).at("target").as_string(), "mail");
  const auto unnamed =
      body_of(call("PUT", "buckets/photos/notifications",
                   R"({"events":["s3:ObjectTagging:*"],"target":"hook"})", signed_in(alice)));
  ASSERT_EQ(unnamed.at("rules").as_array().size(), 3u);
  EXPECT_FALSE(unnamed.at("rules").at(2).at("id").as_string().empty());

  const auto removed =
      body_of(call("DELETE", "buckets/photos/notifications?id=uploads", {}, signed_in(alice)));
  EXPECT_EQ(ids(removed).size(), 2u);
  EXPECT_EQ(ids(removed).front(), "removals");
  Response again = call("DELETE", "buckets/photos/notifications?id=uploads", {}, signed_in(alice));
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(error_code(again), "NoSuchRule");
  EXPECT_EQ(call("DELETE", "buckets/photos/notifications", {}, signed_in(alice)).status, 400);
  for (const std::string& id : ids(removed)) {
    body_of(call("DELETE", "buckets/photos/notifications?id=" + uri_encode(id, true), {},
                 signed_in(alice)));
  }
  EXPECT_TRUE(temp_.vault().get_notification_config("photos").value().rules.empty());
}

TEST_F(BucketRuleRoutesTest, EventRulesAreRefusedWithS3sCodesAndMessages) {
  const auto alice = alice_with_bucket("photos");
  const auto put = [&](const std::string& body) {
    return call("PUT", "buckets/photos/notifications", body, signed_in(alice));
  };
  body_of(put(R"({"id":"a","events":["s3:ObjectCreated:*"],"prefix":"cats/","target":"hook"})"));

  // Overlapping event types and filters (S3's rule), an unknown target, an unknown event, no
  // event: each refused, and the saved configuration unchanged.
  Response overlap =
      put(R"({"id":"b","events":["s3:ObjectCreated:Put"],"prefix":"cats/big/","target":"mail"})");
  EXPECT_EQ(overlap.status, 400);
  EXPECT_EQ(error_code(overlap), "InvalidArgument");
  EXPECT_NE(message_of(overlap).find("Configurations overlap"), std::string::npos) << overlap.body;
  Response unknown_target = put(R"({"id":"c","events":["s3:ObjectRemoved:*"],"target":"pager"})");
  EXPECT_EQ(unknown_target.status, 400);
  EXPECT_EQ(error_code(unknown_target), "InvalidArgument");
  EXPECT_NE(message_of(unknown_target).find("Unable to validate"), std::string::npos);
  Response unknown_event = put(R"({"id":"d","events":["s3:ObjectEaten"],"target":"hook"})");
  EXPECT_EQ(unknown_event.status, 400);
  EXPECT_EQ(error_code(unknown_event), "InvalidArgument");
  Response no_event = put(R"({"id":"e","events":[],"target":"hook"})");
  EXPECT_EQ(no_event.status, 400);
  Response no_target = put(R"({"id":"f","events":["s3:ObjectRemoved:*"]})");
  EXPECT_EQ(no_target.status, 400);
  EXPECT_EQ(message_of(no_target), "Choose the target to notify.");
  EXPECT_EQ(put(R"({"id":"g","events":"s3:ObjectRemoved:*","target":"hook"})").status, 400);
  EXPECT_EQ(put("not json").status, 400);
  EXPECT_EQ(temp_.vault().get_notification_config("photos").value().rules.size(), 1u);
}

TEST_F(BucketRuleRoutesTest, EventRulesAreTheOwnersAlone) {
  const auto alice = alice_with_bucket("photos");
  const auto bob = sign_in("AKBOB", "bob-secret");
  const std::string rule = R"({"id":"a","events":["s3:ObjectCreated:*"],"target":"hook"})";
  Response peek = call("GET", "buckets/photos/notifications", {}, signed_in(bob));
  EXPECT_EQ(peek.status, 404);
  EXPECT_EQ(error_code(peek), "NoSuchBucket");
  EXPECT_EQ(call("PUT", "buckets/photos/notifications", rule, signed_in(bob)).status, 404);
  // A change without the CSRF token is refused before anything is read.
  Response forged = call("PUT", "buckets/photos/notifications", rule, signed_in(alice, false));
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(error_code(forged), "CsrfTokenMismatch");
  EXPECT_EQ(call("GET", "buckets/nothere/notifications", {}, signed_in(alice)).status, 404);
  EXPECT_TRUE(temp_.vault().get_notification_config("photos").value().rules.empty());
}

TEST_F(BucketRuleRoutesTest, BackupRulesAreListedWithTheServersRemotesAndVersioning) {
  const auto alice = alice_with_bucket("photos");
  const auto listed = body_of(call("GET", "buckets/photos/backup", {}, signed_in(alice)));
  EXPECT_TRUE(listed.at("rules").as_array().empty());
  EXPECT_EQ(strings(listed.at("remotes")), Names{"offsite"});
  EXPECT_EQ(listed.at("versioning").as_string(), "Off");
}

TEST_F(BucketRuleRoutesTest, ABackupRuleTurnsVersioningOnForBothBucketsAndIsSaved) {
  const auto alice = alice_with_bucket("photos");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"photos-copy"})", signed_in(alice)).status, 201);
  const auto added = body_of(
      call("POST", "buckets/photos/backup",
           R"({"id":"jpegs","destinationBucket":"photos-copy","prefix":"2026/","suffix":".jpg",)"
           R"("deleteMarkers":true,"existingObjects":true})",
           signed_in(alice)),
      201);
  EXPECT_EQ(added.at("versioning").as_string(), "Enabled");
  EXPECT_EQ(versioning("photos"), vault::Versioning::kEnabled);
  EXPECT_EQ(versioning("photos-copy"), vault::Versioning::kEnabled);
  ASSERT_EQ(added.at("rules").as_array().size(), 1u);
  const auto& rule = added.at("rules").at(0);
  EXPECT_EQ(rule.at("id").as_string(), "jpegs");
  EXPECT_EQ(rule.at("priority").as_int64(), 1);
  EXPECT_TRUE(rule.at("enabled").as_bool());
  EXPECT_EQ(rule.at("destinationBucket").as_string(), "photos-copy");
  EXPECT_EQ(rule.at("remote").as_string(), "");
  EXPECT_EQ(rule.at("prefix").as_string(), "2026/");
  EXPECT_EQ(rule.at("suffix").as_string(), ".jpg");
  EXPECT_TRUE(rule.at("tags").as_array().empty());
  EXPECT_TRUE(rule.at("deleteMarkers").as_bool());
  EXPECT_TRUE(rule.at("existingObjects").as_bool());

  // The saved configuration is S3's V2 schema, with the suffix as our reserved filter tag.
  const auto stored = temp_.vault().replication("photos").value();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->rules.size(), 1u);
  EXPECT_EQ(stored->rules[0].destination.bucket_arn, "arn:aws:s3:::photos-copy");
  EXPECT_EQ(stored->rules[0].filter.shape, vault::ReplicationFilter::Shape::kAnd);
  EXPECT_EQ(stored->rules[0].filter.tags,
            (meta::StringPairs{{std::string(vault::kReplicationSuffixTag), ".jpg"}}));
  EXPECT_EQ(stored->rules[0].delete_marker_replication, true);
  EXPECT_EQ(vault::replication_targets(*stored, "2026/a.JPG", {}, "image/jpeg", false).size(), 1u);
  EXPECT_TRUE(vault::replication_targets(*stored, "2025/a.jpg", {}, "image/jpeg", false).empty());

  // A second rule to the remote, without filter or options: the next priority, off by default.
  const auto remote =
      body_of(call("POST", "buckets/photos/backup",
                   R"({"destinationBucket":"far-away","remote":"offsite"})", signed_in(alice)),
              201);
  ASSERT_EQ(remote.at("rules").as_array().size(), 2u);
  const auto& second = remote.at("rules").at(1);
  EXPECT_EQ(second.at("priority").as_int64(), 2);
  EXPECT_EQ(second.at("remote").as_string(), "offsite");
  EXPECT_EQ(second.at("destinationBucket").as_string(), "far-away");
  EXPECT_FALSE(second.at("deleteMarkers").as_bool());
  EXPECT_FALSE(second.at("existingObjects").as_bool());
  EXPECT_FALSE(second.at("id").as_string().empty());

  // Removed one by one; the last one takes the configuration with it.
  const auto left = body_of(call("DELETE", "buckets/photos/backup?id=jpegs", {}, signed_in(alice)));
  EXPECT_EQ(ids(left), Names{std::string(second.at("id").as_string())});
  Response missing = call("DELETE", "buckets/photos/backup?id=jpegs", {}, signed_in(alice));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "NoSuchRule");
  body_of(call("DELETE", "buckets/photos/backup?id=" + uri_encode(ids(left).front(), true), {},
               signed_in(alice)));
  EXPECT_FALSE(temp_.vault().replication("photos").value());
}

TEST_F(BucketRuleRoutesTest, ARefusedBackupRuleLeavesVersioningAlone) {
  const auto alice = alice_with_bucket("photos");
  const auto bob = sign_in("AKBOB", "bob-secret");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"bobs-bucket"})", signed_in(bob)).status, 201);
  const auto post = [&](const std::string& body) {
    return call("POST", "buckets/photos/backup", body, signed_in(alice));
  };
  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  for (const Case& refused : std::vector<Case>{
           {R"({"destinationBucket":"photos"})", 400, "InvalidRequest"},
           {R"({"destinationBucket":"nowhere"})", 404, "NoSuchBucket"},
           {R"({"destinationBucket":"bobs-bucket"})", 404, "NoSuchBucket"},
           {R"({"destinationBucket":"far-away","remote":"elsewhere"})", 400, "InvalidRequest"},
           {R"({"destinationBucket":"Not A Bucket!"})", 400, "InvalidArgument"},
           {R"({"prefix":"a/"})", 400, "InvalidArgument"},
           {R"({"destinationBucket":"far-away","remote":"offsite","deleteMarkers":"yes"})", 400,
            "InvalidArgument"},
       }) {
    Response response = post(refused.body);
    EXPECT_EQ(response.status, refused.status) << refused.body << ": " << response.body;
    EXPECT_EQ(error_code(response), refused.code) << refused.body;
  }
  EXPECT_EQ(versioning("photos"), vault::Versioning::kUnversioned);
  EXPECT_EQ(versioning("bobs-bucket"), vault::Versioning::kUnversioned);
  EXPECT_FALSE(temp_.vault().replication("photos").value());
  // Bob sees nothing of alice's bucket.
  EXPECT_EQ(call("GET", "buckets/photos/backup", {}, signed_in(bob)).status, 404);
  EXPECT_EQ(call("DELETE", "buckets/photos/backup?id=x", {}, signed_in(bob)).status, 404);
}

}  // namespace
}  // namespace cv::console
