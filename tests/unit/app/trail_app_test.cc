// The app side of the audit trail: a CLI verb's record, flush requests through the data folder
// (asked, answered, timed out) and the public key's well-known URL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "app/activity_sources.h"
#include "app/cli_audit.h"
#include "app/front_door.h"
#include "app/trail_flush_signal.h"
#include "audit/cloudtrail_record.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("cv-trail-app-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(CliAudit, AVerbIsARootRecordOfTheAdminSource) {
  const auto event = cli_verb_event({"admin", "user", "add"}, 0, "123456789012", "eu-west-1", 42);
  EXPECT_EQ(event.event_name, "AdminUserAdd");
  EXPECT_EQ(event.event_source, "admin.cloudvault");
  EXPECT_TRUE(event.error_code.empty());
  const auto record = audit::to_cloudtrail_record(event);
  EXPECT_EQ(record.at("userAgent"), "cloudvault-cli");
  EXPECT_EQ(record.at("sourceIPAddress"), "127.0.0.1");
  EXPECT_EQ(record.at("awsRegion"), "eu-west-1");
  EXPECT_EQ(record.at("userIdentity").at("type"), "Root");
  EXPECT_EQ(record.at("userIdentity").at("arn"), "arn:aws:iam::123456789012:root");
  EXPECT_EQ(record.at("requestParameters").at("command"), "admin user add");
  EXPECT_EQ(record.at("recipientAccountId"), "123456789012");

  const auto failed =
      cli_verb_event({"admin", "key", "rotate-master"}, 1, "123456789012", "us-east-1", 42);
  EXPECT_EQ(failed.event_name, "AdminKeyRotateMaster");
  EXPECT_EQ(failed.error_code, "CommandFailed");
}

// The server's side, as TrailService runs it: look, flush, answer.
void answer_one(TrailFlushRequests& requests, const Status& outcome) {
  for (;;) {
    if (auto request = requests.pending()) {
      requests.answer(*request, outcome);
      return;
    }
    std::this_thread::yield();
  }
}

TEST(TrailFlushSignal, ARequestIsAnsweredOnceAndItsOutcomeReturned) {
  const fs::path dir = fresh_dir("answered");
  TrailFlushRequests server(dir);
  EXPECT_FALSE(server.pending().has_value());
  std::thread answering([&] { answer_one(server, {}); });
  EXPECT_TRUE(request_trail_flush(dir, std::chrono::seconds(30)));
  answering.join();
  EXPECT_FALSE(server.pending().has_value());  // answered requests are not pending again

  std::thread failing([&] { answer_one(server, fail(ErrorCode::kInternalError, "disk full")); });
  auto outcome = request_trail_flush(dir, std::chrono::seconds(30));
  failing.join();
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("disk full"), std::string::npos);
  fs::remove_all(dir);
}

TEST(TrailFlushSignal, NoAnswerInTimeIsServiceUnavailable) {
  const fs::path dir = fresh_dir("unanswered");
  auto outcome = request_trail_flush(dir, std::chrono::milliseconds(50));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kServiceUnavailable);
  // A server started afterwards does not take the old request for a new one.
  TrailFlushRequests late(dir);
  EXPECT_FALSE(late.pending().has_value());
  fs::remove_all(dir);
}

class NotFound final : public RequestHandler {
 public:
  Response handle(Request&) override {
    Response response;
    response.status = 404;
    return response;
  }
};

TEST(FrontDoor, PublishesTheTrailPublicKeyWithoutSignIn) {
  NotFound s3, console, assets;
  const std::string pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  FrontDoor door(s3, console, assets, pem);
  Request get;
  get.method = "GET";
  get.path = std::string(kTrailPublicKeyPath);
  const Response published = door.handle(get);
  EXPECT_EQ(published.status, 200);
  EXPECT_EQ(published.body, pem);
  FrontDoor off(s3, console, assets);
  EXPECT_EQ(off.handle(get).status, 404);
}

}  // namespace
}  // namespace cv::app

namespace cv::app {
namespace {

TEST(ActivitySourceFlags, FoldersBucketsAndRemoteBucketsReadAsRoles) {
  auto folder = source_flags("/var/log/cloudtrail");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->from, "/var/log/cloudtrail");
  EXPECT_FALSE(folder->remote || folder->role_arn);
  auto own = source_flags("s3://trail/AWSLogs/");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->from, "s3://trail/AWSLogs/");
  EXPECT_FALSE(own->remote);
  auto remote = source_flags(
      "s3://my-trail/AWSLogs/?remote=aws&role_arn=arn:aws:iam::111122223333:role/Reader");
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->from, "s3://my-trail/AWSLogs/");
  EXPECT_EQ(remote->remote, "aws");
  EXPECT_EQ(remote->role_arn, "arn:aws:iam::111122223333:role/Reader");
  EXPECT_FALSE(source_flags("s3://t/?remote=aws&remote=b"));
  EXPECT_FALSE(source_flags("s3://t/?region=eu"));
  EXPECT_FALSE(source_flags("s3://t/?remote="));
}

}  // namespace
}  // namespace cv::app
