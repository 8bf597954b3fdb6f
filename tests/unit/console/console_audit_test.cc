// The console API's audit records: the real ConsoleApi with an in-memory sink, called as a
// browser calls it (console_api_fixture.h), each exchange completed as the http layer would.
#include "console/console_audit.h"

#include <gtest/gtest.h>

#include "audit/collecting_sink.h"
#include "console/console_api_fixture.h"

namespace cv::console::testing {
namespace {

using audit::AuditEvent;
using audit::IdentityType;

class ConsoleAuditTest : public ConsoleApiTest {
 protected:
  ConsoleAuditTest() {
    keys_.keys["AKROOT"] = {"AKROOT", "root-secret", std::string(64, 'r'), "root", true};
    keys_.keys["AKALICE"].user_name = "alice";
  }

  // Serves through the audited API and completes each exchange (no body bytes).
  class Completing final : public RequestHandler {
   public:
    explicit Completing(ConsoleApi& api) : api_(api) {}
    Response handle(Request& request) override {
      Response response = api_.handle(request);
      if (response.on_complete) response.on_complete(ExchangeTotals{});
      return response;
    }

   private:
    ConsoleApi& api_;
  };
  RequestHandler& handler() override { return completing_; }

  AuditEvent last() {
    const auto events = sink_.events();
    EXPECT_FALSE(events.empty());
    return events.empty() ? AuditEvent{} : events.back();
  }

  audit::testing::CollectingSink sink_;
  ConsoleApi audited_{temp_.vault(), keys_, sessions_, thumbnails_,
                      ConsoleOptions{.destinations = &destinations_,
                                     .audit = {&sink_, "123456789012", {}},
                                     .region = "eu-central-1",
                                     .plain_http_secrets = PlainHttpSecrets::kAlways}};
  Completing completing_{audited_};
};

TEST_F(ConsoleAuditTest, ASignInIsRecordedWithTheUserAndWithoutTheSecret) {
  sign_in("AKALICE", "alice-secret");
  ASSERT_EQ(sink_.size(), 1u);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_source, "console.cloudvault");
  EXPECT_EQ(event.event_name, "ConsoleSignIn");
  EXPECT_EQ(event.region, "eu-central-1");
  EXPECT_EQ(event.source_ip, "198.51.100.4");
  EXPECT_TRUE(event.error_code.empty());
  EXPECT_EQ(event.identity.type, IdentityType::kIAMUser);
  EXPECT_EQ(event.identity.user_name, "alice");
  EXPECT_EQ(event.identity.arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  const std::string record = boost::json::serialize(audit::to_cloudtrail_record(event));
  EXPECT_EQ(record.find("alice-secret"), std::string::npos) << record;
  EXPECT_FALSE(audit::to_cloudtrail_record(event).at("readOnly").as_bool());
}

TEST_F(ConsoleAuditTest, AFailedSignInIsRecordedWithItsErrorAndTheAttemptedKey) {
  Response wrong =
      call("POST", "session", R"({"accessKeyId":"AKALICE","secretAccessKey":"guess-one"})");
  EXPECT_EQ(wrong.status, 401);
  AuditEvent event = last();
  EXPECT_EQ(event.event_name, "ConsoleSignIn");
  EXPECT_EQ(event.error_code, "InvalidCredentials");
  EXPECT_FALSE(event.error_message.empty());
  EXPECT_EQ(event.identity.user_name, "alice");
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  std::string record = boost::json::serialize(audit::to_cloudtrail_record(event));
  EXPECT_EQ(record.find("guess-one"), std::string::npos) << record;

  EXPECT_EQ(
      call("POST", "session", R"({"accessKeyId":"AKWHO","secretAccessKey":"guess-two"})").status,
      401);
  event = last();
  EXPECT_EQ(event.identity.type, IdentityType::kAnonymous);
  const boost::json::object json = audit::to_cloudtrail_record(event);
  EXPECT_EQ(json.at("userIdentity").at("accessKeyId").as_string(), "AKWHO");
  EXPECT_EQ(json.at("requestParameters").at("accessKeyId").as_string(), "AKWHO");
  EXPECT_EQ(json.at("errorCode").as_string(), "InvalidCredentials");
}

TEST_F(ConsoleAuditTest, SignedInCallsNameTheSessionsUserAndTheirReadOnlyness) {
  auto root = sign_in("AKROOT", "root-secret");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"pics"})", signed_in(root)).status, 201);
  AuditEvent event = last();
  EXPECT_EQ(event.event_name, "ConsoleCreateBucket");
  EXPECT_EQ(event.identity.type, IdentityType::kRoot);
  EXPECT_EQ(event.identity.arn, "arn:aws:iam::123456789012:root");
  EXPECT_FALSE(audit::is_read_only(event.event_name));

  ASSERT_EQ(call("GET", "objects?bucket=pics&prefix=a%2F", {}, signed_in(root, false)).status, 200);
  event = last();
  EXPECT_EQ(event.event_name, "ConsoleListFolder");
  EXPECT_EQ(event.bucket, "pics");
  EXPECT_TRUE(audit::is_read_only(event.event_name));
  const boost::json::object record = audit::to_cloudtrail_record(event);
  EXPECT_EQ(record.at("requestParameters").at("prefix").as_string(), "a/");
  EXPECT_EQ(record.at("eventSource").as_string(), "console.cloudvault");

  ASSERT_EQ(
      call("POST", "presign", R"({"bucket":"pics","key":"a.jpg","method":"PUT"})", signed_in(root))
          .status,
      200);
  EXPECT_EQ(last().event_name, "ConsolePresignPut");
  EXPECT_EQ(last().key, "a.jpg");
  // Handing out a URL changes nothing; the upload made with it is an S3 call of its own.
  EXPECT_TRUE(audit::is_read_only(last().event_name));

  ASSERT_EQ(call("DELETE", "session", {}, signed_in(root)).status, 204);
  EXPECT_EQ(last().event_name, "ConsoleSignOut");
  EXPECT_EQ(sink_.size(), 5u);
}

TEST_F(ConsoleAuditTest, RefusedCallsAreRecordedToo) {
  EXPECT_EQ(call("GET", "buckets").status, 401);
  AuditEvent event = last();
  EXPECT_EQ(event.event_name, "ConsoleListBuckets");
  EXPECT_EQ(event.error_code, "SignInRequired");
  EXPECT_EQ(event.identity.type, IdentityType::kAnonymous);

  auto alice = sign_in("AKALICE", "alice-secret");
  EXPECT_EQ(call("GET", "no/such/route", {}, signed_in(alice)).status, 404);
  event = last();
  EXPECT_EQ(event.event_name, "ConsoleUnknownRoute");
  EXPECT_EQ(event.error_code, "NotFound");
}

TEST(ConsoleEventNames, EveryRouteHasItsName) {
  EXPECT_EQ(console_event_name("DELETE", "buckets/pics"), "ConsoleDeleteBucket");
  EXPECT_EQ(console_event_name("PUT", "buckets/pics/versioning"), "ConsolePutBucketVersioning");
  EXPECT_EQ(console_event_name("GET", "buckets/pics/notifications"),
            "ConsoleGetBucketNotificationRules");
  EXPECT_EQ(console_event_name("POST", "buckets/pics/backup"), "ConsolePutBucketBackupRule");
  EXPECT_EQ(console_event_name("POST", "delete"), "ConsoleDeleteObjects");
  EXPECT_EQ(console_event_name("POST", "uploads/sign"), "ConsolePresignUpload");
  EXPECT_EQ(console_event_name("GET", "delete"), "ConsoleUnknownRoute");
}

TEST(ConsoleRecords, IamRoutesRecordTheNamesInTheirPath) {
  const auto parameters_of = [](std::string path) {
    Request request;
    request.method = "PUT";
    request.path = std::string(kApiPrefix) + path;
    return begin_console_record(request, "us-east-1", "123456789012", 0).parameters;
  };
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(parameters_of("iam/users/ann/keys/AKIA1"),
            (Pairs{{"userName", "ann"}, {"accessKeyId", "AKIA1"}}));
  EXPECT_EQ(parameters_of("iam/users/ann/policies/files"),
            (Pairs{{"userName", "ann"}, {"policyName", "files"}}));
  EXPECT_EQ(parameters_of("iam/users/ann/groups/ops"),
            (Pairs{{"userName", "ann"}, {"groupName", "ops"}}));
  EXPECT_EQ(parameters_of("iam/roles/deploy/policies/p"),
            (Pairs{{"roleName", "deploy"}, {"policyName", "p"}}));
  EXPECT_EQ(parameters_of("iam/policies/ReadAll"), (Pairs{{"policyName", "ReadAll"}}));
  EXPECT_EQ(parameters_of("keys/AKIA2"), (Pairs{{"accessKeyId", "AKIA2"}}));
  EXPECT_EQ(parameters_of("iam/users"), Pairs{});
  EXPECT_EQ(parameters_of("buckets/b/policy"), Pairs{});
}

TEST(ConsoleEventNames, TheAccessControlRoutesAreNamedAfterTheirIamAndS3Actions) {
  EXPECT_EQ(console_event_name("GET", "iam/users"), "ConsoleListUsers");
  EXPECT_EQ(console_event_name("POST", "iam/users"), "ConsoleCreateUser");
  EXPECT_EQ(console_event_name("DELETE", "iam/users/ann"), "ConsoleDeleteUser");
  EXPECT_EQ(console_event_name("POST", "iam/users/ann/keys"), "ConsoleCreateAccessKey");
  EXPECT_EQ(console_event_name("PUT", "iam/users/ann/keys/AKIA1"), "ConsoleUpdateAccessKey");
  EXPECT_EQ(console_event_name("PUT", "iam/users/ann/policies/p"), "ConsolePutUserPolicy");
  EXPECT_EQ(console_event_name("DELETE", "iam/users/ann/attached"), "ConsoleDetachUserPolicy");
  EXPECT_EQ(console_event_name("PUT", "iam/users/ann/groups/g"), "ConsoleAddUserToGroup");
  EXPECT_EQ(console_event_name("POST", "iam/policies"), "ConsoleCreatePolicy");
  EXPECT_EQ(console_event_name("DELETE", "iam/roles/r"), "ConsoleDeleteRole");
  EXPECT_EQ(console_event_name("PUT", "iam/roles/r/policies/p"), "ConsolePutRolePolicy");
  EXPECT_EQ(console_event_name("POST", "keys"), "ConsoleCreateOwnAccessKey");
  EXPECT_EQ(console_event_name("DELETE", "keys/AKIA1"), "ConsoleDeleteOwnAccessKey");
  EXPECT_EQ(console_event_name("GET", "buckets/b/access"), "ConsoleGetBucketAccess");
  EXPECT_EQ(console_event_name("GET", "buckets/b/usage"), "ConsoleGetBucketUsage");
  EXPECT_TRUE(audit::is_read_only(console_event_name("GET", "buckets/b/usage")));
  EXPECT_EQ(console_event_name("PUT", "buckets/b/usage"), "ConsoleUnknownRoute");
  EXPECT_EQ(console_event_name("PUT", "buckets/b/policy"), "ConsolePutBucketPolicy");
  EXPECT_EQ(console_event_name("DELETE", "buckets/b/public-access-block"),
            "ConsoleDeletePublicAccessBlock");
  EXPECT_TRUE(audit::is_read_only(console_event_name("GET", "iam/users/ann")));
  EXPECT_FALSE(audit::is_read_only(console_event_name("PUT", "iam/users/ann/keys/AKIA1")));
  // A name in the wrong place, an empty segment or a longer path is no route.
  EXPECT_EQ(console_event_name("GET", "iam/users//keys"), "ConsoleUnknownRoute");
  EXPECT_EQ(console_event_name("POST", "iam/users/ann/keys/AKIA1"), "ConsoleUnknownRoute");
  EXPECT_EQ(console_event_name("GET", "iam/users/ann/policies/p/x"), "ConsoleUnknownRoute");
}

}  // namespace
}  // namespace cv::console::testing
