// The S3 API's audit records: the real S3Api over a real vault, requests signed as clients
// sign them, records collected by an in-memory sink once each exchange completes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "audit/collecting_sink.h"
#include "auth/key_table.h"
#include "auth/sigv4.h"
#include "core/byte_source.h"
#include "s3/request_audit.h"
#include "iam/caller_directory.h"
#include "s3/s3_api.h"
#include "vault/temp_vault.h"

namespace cv::s3 {
namespace {

using audit::AuditEvent;
using audit::IdentityType;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kTrailBucket = "trail";
const std::string kRootId(64, 'r');
const std::string kAliceId(64, 'a');

class IdsAsNames final : public OwnerDirectory {
 public:
  std::string display_name(std::string_view user_id) override { return std::string(user_id); }
};

class S3AuditTest : public ::testing::Test {
 protected:
  S3AuditTest() {
    keys_.keys["AKROOT"] = {"AKROOT", "root-secret-key", kRootId, "root", true};
    keys_.keys["AKALICE"] = {"AKALICE", "alice-secret-key", kAliceId, "alice", false};
  }

  // A request as the http layer hands it over: arrival time, client address, request id.
  Request request(const std::string& method, const std::string& path, const QueryParams& query,
                  std::string_view raw_query = {}) {
    Request request;
    request.method = method;
    request.path = path;
    request.query = raw_query;
    request.params = query;
    request.target = path + (raw_query.empty() ? "" : "?" + std::string(raw_query));
    request.headers.set("host", "s3.example.test:9000");
    request.headers.set("user-agent", "aws-cli/2.15.0");
    request.remote_address = "203.0.113.7";
    request.request_id = "REQ" + std::to_string(++requests_);
    request.arrival_ns = to_unix_nanos(clock_.now()) - 5;
    return request;
  }

  // Signs `request` with the header scheme as `access_key` (secret from the table, or `secret`).
  void sign(Request& request, const std::string& access_key, std::string secret = {}) {
    if (secret.empty()) secret = keys_.keys.at(access_key).secret_key;
    auth::SigningRequest signing{
        request.method, "s3.example.test:9000", request.path, request.params, {}};
    for (const auto& [name, value] :
         auth::sign_request(signing, {access_key, secret, "eu-west-1"}, clock_.now())) {
      request.headers.set(name, value);
    }
  }

  // Sends `request` (body `body`) and completes its exchange as the http layer would, with
  // `bytes_out` body bytes sent.
  Response send(Request& request, const std::string& body = {}, uint64_t bytes_out = 0) {
    StringSource source(body);
    request.body = &source;
    request.content_length = body.size();
    Response response = api_.handle(request);
    if (response.on_complete) response.on_complete(ExchangeTotals{body.size(), bytes_out});
    return response;
  }

  Response signed_call(const std::string& method, const std::string& path,
                       const std::string& access_key, const std::string& body = {},
                       const QueryParams& query = {}, std::string_view raw_query = {}) {
    Request made = request(method, path, query, raw_query);
    sign(made, access_key);
    return send(made, body);
  }

  AuditEvent last() {
    const auto events = sink_.events();
    EXPECT_FALSE(events.empty());
    return events.empty() ? AuditEvent{} : events.back();
  }

  void create_bucket(const std::string& name) {
    ASSERT_EQ(signed_call("PUT", "/" + name, "AKALICE").status, 200);
  }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
  auth::testing::KeyTable keys_;
  IdsAsNames owners_;
  iam::CallerDirectory callers_{std::string(kAccount)};
  audit::testing::CollectingSink sink_;
  S3Api api_{temp_.vault(), keys_, owners_, callers_, clock_,
             S3Options{.region = "eu-west-1",
                       .audit = {&sink_, std::string(kAccount), std::string(kTrailBucket)}}};
  int requests_ = 0;
};

TEST_F(S3AuditTest, PutObjectRecordsBytesInAndTheVersionId) {
  create_bucket("photos");
  ASSERT_EQ(signed_call("PUT", "/photos", "AKALICE",
                        "<VersioningConfiguration><Status>Enabled</Status>"
                        "</VersioningConfiguration>",
                        {{"versioning", ""}}, "versioning")
                .status,
            200);
  EXPECT_EQ(last().event_name, "PutBucketVersioning");

  Request put = request("PUT", "/photos/cat%201.jpg", {});
  sign(put, "AKALICE");
  const Response response = send(put, "meow meow");
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(sink_.size(), 3u);

  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "PutObject");
  EXPECT_EQ(event.event_source, "s3.amazonaws.com");
  EXPECT_EQ(event.region, "eu-west-1");
  EXPECT_EQ(event.time_ns, put.arrival_ns);
  EXPECT_EQ(event.source_ip, "203.0.113.7");
  EXPECT_EQ(event.user_agent, "aws-cli/2.15.0");
  EXPECT_EQ(event.host, "s3.example.test:9000");
  EXPECT_EQ(event.bucket, "photos");
  EXPECT_EQ(event.key, "cat 1.jpg");
  EXPECT_EQ(event.bytes_in, 9u);
  EXPECT_EQ(event.signature_version, "SigV4");
  EXPECT_EQ(event.authentication_method, "AuthHeader");
  EXPECT_EQ(event.request_id, put.request_id);
  EXPECT_EQ(event.recipient_account_id, kAccount);
  EXPECT_TRUE(event.error_code.empty());
  EXPECT_EQ(event.identity.type, IdentityType::kIAMUser);
  EXPECT_EQ(event.identity.arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(event.identity.principal_id, kAliceId);
  EXPECT_EQ(event.identity.account_id, kAccount);
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  EXPECT_EQ(event.identity.user_name, "alice");
  ASSERT_EQ(event.event_id.size(), 36u);
  EXPECT_EQ(event.event_id[14], '4');
  EXPECT_NE(event.event_id, sink_.events()[1].event_id);

  const std::string version_id(response.headers.get("x-amz-version-id"));
  ASSERT_FALSE(version_id.empty());
  const boost::json::object record = audit::to_cloudtrail_record(event);
  EXPECT_EQ(record.at("eventName").as_string(), "PutObject");
  EXPECT_EQ(record.at("responseElements").at("x-amz-version-id").as_string(), version_id);
  EXPECT_EQ(record.at("additionalEventData").at("bytesTransferredIn").as_uint64(), 9u);
  EXPECT_EQ(record.at("userIdentity").at("userName").as_string(), "alice");
  EXPECT_EQ(record.at("requestParameters").at("key").as_string(), "cat 1.jpg");
  EXPECT_EQ(record.at("eventCategory").as_string(), "Data");
  EXPECT_FALSE(record.at("readOnly").as_bool());
  EXPECT_FALSE(record.contains("tlsDetails"));
  EXPECT_FALSE(record.at("additionalEventData").as_object().contains("CipherSuite"));
}

TEST_F(S3AuditTest, GetObjectRecordsTheBytesSentAndNoResponseElements) {
  create_bucket("photos");
  ASSERT_EQ(signed_call("PUT", "/photos/a.txt", "AKALICE", "hello world").status, 200);
  Request get = request("GET", "/photos/a.txt", {});
  sign(get, "AKALICE");
  const Response response = send(get, {}, 11);
  ASSERT_EQ(response.status, 200);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "GetObject");
  EXPECT_EQ(event.bytes_out, 11u);
  EXPECT_EQ(event.bytes_in, 0u);
  EXPECT_FALSE(event.response_elements);
  const boost::json::object record = audit::to_cloudtrail_record(event);
  EXPECT_TRUE(record.at("responseElements").is_null());
  EXPECT_TRUE(record.at("readOnly").as_bool());
  EXPECT_EQ(record.at("additionalEventData").at("bytesTransferredOut").as_uint64(), 11u);
}

TEST_F(S3AuditTest, RootIsRecordedAsRoot) {
  ASSERT_EQ(signed_call("GET", "/", "AKROOT").status, 200);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "ListBuckets");
  EXPECT_EQ(event.identity.type, IdentityType::kRoot);
  EXPECT_EQ(event.identity.arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(event.identity.principal_id, kAccount);
  const boost::json::object record = audit::to_cloudtrail_record(event);
  EXPECT_EQ(record.at("userIdentity").at("type").as_string(), "Root");
  EXPECT_FALSE(record.at("userIdentity").as_object().contains("userName"));
  EXPECT_EQ(record.at("eventCategory").as_string(), "Management");
}

TEST_F(S3AuditTest, AnAnonymousDeniedCallIsRecordedWithAccessDenied) {
  create_bucket("photos");
  Request get = request("GET", "/photos/secret.txt", {});
  const Response response = send(get);
  EXPECT_EQ(response.status, 403);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "GetObject");
  EXPECT_EQ(event.error_code, "AccessDenied");
  EXPECT_FALSE(event.error_message.empty());
  EXPECT_EQ(event.identity.type, IdentityType::kAnonymous);
  EXPECT_TRUE(event.signature_version.empty());
  EXPECT_TRUE(event.authentication_method.empty());
  const boost::json::object record = audit::to_cloudtrail_record(event);
  EXPECT_EQ(record.at("errorCode").as_string(), "AccessDenied");
  EXPECT_EQ(record.at("userIdentity").at("type").as_string(), "AWSAccount");
  EXPECT_EQ(record.at("userIdentity").at("principalId").as_string(), "ANONYMOUS_PRINCIPAL");
}

TEST_F(S3AuditTest, ABadSignatureIsRecordedWithTheKeyAndItsOwner) {
  create_bucket("photos");
  Request get = request("GET", "/photos/a.txt", {});
  sign(get, "AKALICE", "not-alices-secret");
  EXPECT_EQ(send(get).status, 403);
  const AuditEvent event = last();
  EXPECT_EQ(event.error_code, "SignatureDoesNotMatch");
  EXPECT_EQ(event.identity.type, IdentityType::kIAMUser);
  EXPECT_EQ(event.identity.user_name, "alice");
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  EXPECT_EQ(event.authentication_method, "AuthHeader");

  Request unknown = request("GET", "/photos/a.txt", {});
  sign(unknown, "AKNOBODY", "whatever-secret");
  EXPECT_EQ(send(unknown).status, 403);
  const AuditEvent refused = last();
  EXPECT_EQ(refused.error_code, "InvalidAccessKeyId");
  EXPECT_EQ(refused.identity.type, IdentityType::kAnonymous);
  EXPECT_EQ(audit::to_cloudtrail_record(refused).at("userIdentity").at("accessKeyId").as_string(),
            "AKNOBODY");
}

TEST_F(S3AuditTest, AnUnroutedRequestIsRecorded) {
  create_bucket("photos");
  const Response response =
      signed_call("GET", "/photos", "AKALICE", {}, {{"website", ""}}, "website");
  EXPECT_EQ(response.status, 501);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, kUnroutedEventName);
  EXPECT_EQ(event.error_code, "NotImplemented");
  EXPECT_EQ(event.bucket, "photos");
  // Unrouted requests are not verified: the claimed key's owner is named.
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  ASSERT_EQ(event.parameters.size(), 1u);
  EXPECT_EQ(event.parameters[0].first, "website");
}

TEST_F(S3AuditTest, APresignedGetIsAQueryStringCallWithoutItsSignature) {
  create_bucket("photos");
  ASSERT_EQ(signed_call("PUT", "/photos/a.txt", "AKALICE", "hello").status, 200);
  auth::SigningRequest signing{"GET", "s3.example.test:9000", "/photos/a.txt", {}, {}};
  const std::string query =
      auth::presign_query(signing, {"AKALICE", "alice-secret-key", "eu-west-1"}, clock_.now(),
                          std::chrono::seconds(600));
  Request get = request("GET", "/photos/a.txt", parse_query(query).value(), query);
  ASSERT_EQ(send(get, {}, 5).status, 200);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "GetObject");
  EXPECT_EQ(event.authentication_method, "QueryString");
  EXPECT_EQ(event.signature_version, "SigV4");
  EXPECT_EQ(event.identity.access_key_id, "AKALICE");
  const boost::json::object record = audit::to_cloudtrail_record(event);
  const auto& parameters = record.at("requestParameters").as_object();
  EXPECT_TRUE(parameters.contains("X-Amz-Credential"));
  EXPECT_FALSE(parameters.contains("X-Amz-Signature"));
  EXPECT_EQ(record.at("additionalEventData").at("AuthenticationMethod").as_string(), "QueryString");
}

TEST_F(S3AuditTest, ListObjectsV2IsRecordedAsListObjects) {
  create_bucket("photos");
  ASSERT_EQ(
      signed_call("GET", "/photos", "AKALICE", {}, {{"list-type", "2"}}, "list-type=2").status,
      200);
  const AuditEvent event = last();
  EXPECT_EQ(event.event_name, "ListObjects");
  ASSERT_EQ(event.parameters.size(), 1u);
  EXPECT_EQ(event.parameters[0], (std::pair<std::string, std::string>{"list-type", "2"}));
}

TEST_F(S3AuditTest, DataEventsOfTheTrailBucketAreNotRecordedItsManagementEventsAre) {
  create_bucket(std::string(kTrailBucket));
  ASSERT_EQ(sink_.size(), 1u);
  EXPECT_EQ(last().event_name, "CreateBucket");
  ASSERT_EQ(signed_call("PUT", "/trail/AWSLogs/x.json.gz", "AKALICE", "records").status, 200);
  ASSERT_EQ(signed_call("GET", "/trail", "AKALICE").status, 200);
  EXPECT_EQ(sink_.size(), 1u);
  ASSERT_EQ(signed_call("GET", "/trail", "AKALICE", {}, {{"versioning", ""}}, "versioning").status,
            200);
  ASSERT_EQ(sink_.size(), 2u);
  EXPECT_EQ(last().event_name, "GetBucketVersioning");
}

TEST_F(S3AuditTest, NoSinkMeansNoCompletionHook) {
  S3Api quiet{temp_.vault(), keys_, owners_, callers_, clock_, S3Options{.region = "eu-west-1"}};
  Request list = request("GET", "/", {});
  sign(list, "AKALICE");
  StringSource empty("");
  list.body = &empty;
  const Response response = quiet.handle(list);
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.on_complete);
}

}  // namespace
}  // namespace cv::s3
