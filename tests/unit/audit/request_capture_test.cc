// The capture helpers the S3 and console front-ends share.
#include "audit/request_capture.h"

#include <gtest/gtest.h>

#include <set>

#include "audit/collecting_sink.h"

namespace cv::audit {
namespace {

TEST(RequestCapture, RootAndUsersAreNamedAsCloudTrailNamesThem) {
  const Identity root = user_identity("111122223333", "id-r", "root", true, "AKROOT");
  EXPECT_EQ(root.type, IdentityType::kRoot);
  EXPECT_EQ(root.arn, "arn:aws:iam::111122223333:root");
  EXPECT_EQ(root.principal_id, "111122223333");
  EXPECT_EQ(root.access_key_id, "AKROOT");

  const Identity user = user_identity("111122223333", "id-b", "bob", false, "AKBOB");
  EXPECT_EQ(user.type, IdentityType::kIAMUser);
  EXPECT_EQ(user.arn, "arn:aws:iam::111122223333:user/bob");
  EXPECT_EQ(user.principal_id, "id-b");
  EXPECT_EQ(user.user_name, "bob");
  EXPECT_EQ(user.account_id, "111122223333");

  const Identity anonymous = anonymous_identity();
  EXPECT_EQ(anonymous.type, IdentityType::kAnonymous);
  EXPECT_EQ(anonymous.account_id, "anonymous");
}

TEST(RequestCapture, SourceAddressesLoseTheirPort) {
  EXPECT_EQ(source_ip_address("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(source_ip_address("203.0.113.9:5000"), "203.0.113.9");
  EXPECT_EQ(source_ip_address("2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(source_ip_address("[2001:db8::1]:443"), "2001:db8::1");
}

TEST(RequestCapture, EventIdsAreDistinctVersion4Uuids) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_event_id();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(RequestCapture, TheRecordReachesTheSinkWhenTheExchangeCompletes) {
  testing::CollectingSink sink;
  Response response;
  int earlier_calls = 0;
  response.on_complete = [&](const ExchangeTotals&) { ++earlier_calls; };
  AuditEvent event;
  event.event_name = "GetObject";
  record_on_completion(response, event, sink);
  EXPECT_EQ(sink.size(), 0u);  // nothing before the exchange ends
  response.on_complete(ExchangeTotals{3, 1234});
  ASSERT_EQ(sink.size(), 1u);
  EXPECT_EQ(earlier_calls, 1);
  const AuditEvent recorded = sink.events()[0];
  EXPECT_EQ(recorded.event_name, "GetObject");
  EXPECT_EQ(recorded.bytes_in, 3u);
  EXPECT_EQ(recorded.bytes_out, 1234u);
  EXPECT_EQ(recorded.event_id.size(), 36u);
}

TEST(RequestCapture, ConsoleReadsAreReadOnly) {
  EXPECT_TRUE(is_read_only("ConsoleListFolder"));
  EXPECT_TRUE(is_read_only("ConsoleGetObjectDetails"));
  EXPECT_TRUE(is_read_only("ConsolePresignGet"));
  EXPECT_FALSE(is_read_only("ConsoleSignIn"));
  EXPECT_FALSE(is_read_only("ConsoleDeleteObjects"));
  EXPECT_FALSE(is_read_only("PresignSomething"));
}

TEST(RequestCapture, ARefusedRequestIsRecordedWithItsErrorDocumentsCode) {
  testing::CollectingSink sink;
  Request refused;
  refused.remote_address = "127.0.0.1:51000";
  refused.arrival_ns = 1'700'000'000'000'000'000;
  refused.request_id = "REQ123";
  Response response;
  response.status = 400;
  response.body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>BadRequest</Code>"
      "<Message>repeated Content-Length</Message><RequestId>REQ123</RequestId></Error>";
  record_refusal(refused, response, CaptureOptions{&sink, "123456789012", ""}, "us-east-1");
  ASSERT_TRUE(response.on_complete);
  response.on_complete(ExchangeTotals{0, response.body.size()});
  ASSERT_EQ(sink.size(), 1u);
  const AuditEvent recorded = sink.events()[0];
  EXPECT_EQ(recorded.event_name, "UnknownOperation");
  EXPECT_EQ(recorded.error_code, "BadRequest");
  EXPECT_EQ(recorded.error_message, "repeated Content-Length");
  EXPECT_EQ(recorded.source_ip, "127.0.0.1");
  EXPECT_EQ(recorded.request_id, "REQ123");
  EXPECT_EQ(recorded.time_ns, refused.arrival_ns);
  EXPECT_EQ(recorded.identity.type, IdentityType::kAnonymous);
  // The trail off: nothing is arranged.
  Response untouched;
  record_refusal(refused, untouched, CaptureOptions{}, "us-east-1");
  EXPECT_FALSE(untouched.on_complete);
}

}  // namespace
}  // namespace cv::audit
