// The console's access gate in the server: the real S3Api's permission decision over a real
// vault, for the owners of keys in a table (tenants: no identity policies), with bucket
// policies stored as PutBucketPolicy stores them.
#include "app/console_gate.h"

#include <gtest/gtest.h>

#include "auth/key_table.h"
#include "iam/caller_directory.h"
#include "vault/temp_vault.h"

namespace cv::app {
namespace {

constexpr std::string_view kAccount = "123456789012";
const std::string kAliceId(64, 'a');
const std::string kBobId(64, 'b');

class IdsAsNames final : public s3::OwnerDirectory {
 public:
  std::string display_name(std::string_view user_id) override { return std::string(user_id); }
};

class ConsoleGateTest : public ::testing::Test {
 protected:
  ConsoleGateTest() {
    keys_.keys["AKALICE"] = {"AKALICE", "alice-secret", kAliceId, "alice", false};
    keys_.keys["AKBOB"] = {"AKBOB", "bob-secret", kBobId, "bob", false};
    EXPECT_TRUE(temp_.vault().create_bucket("photos", kAliceId));
    console_request_.remote_address = "203.0.113.7";
    console_request_.request_id = "REQ1";
  }

  Result<console::AccessVerdict> ask(std::string_view key, console::AccessRequest asked) {
    return gate_.decide(key, console_request_, asked);
  }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
  auth::testing::KeyTable keys_;
  IdsAsNames owners_;
  iam::CallerDirectory callers_{std::string(kAccount)};
  s3::S3Api api_{temp_.vault(), keys_,  owners_,
                 callers_,      clock_, s3::S3Options{.account_id = std::string(kAccount)}};
  ConsoleGate gate_{api_, keys_};
  Request console_request_;
};

TEST_F(ConsoleGateTest, TheOwnerMayAndOthersAreDeniedWithTheReason) {
  auto owner = ask("AKALICE", {.action = "s3:DeleteObject", .bucket = "photos", .key = "a.jpg"});
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_TRUE(owner->allowed);
  EXPECT_TRUE(owner->denial.empty());

  auto other = ask("AKBOB", {.action = "s3:DeleteObject", .bucket = "photos", .key = "a.jpg"});
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_FALSE(other->allowed);
  EXPECT_NE(other->denial.find("s3:DeleteObject on arn:aws:s3:::photos/a.jpg"), std::string::npos)
      << other->denial;
  EXPECT_NE(other->denial.find("user/bob"), std::string::npos) << other->denial;
}

TEST_F(ConsoleGateTest, AMissingBucketIsNoSuchBucketButMayBeCreated) {
  auto missing = ask("AKBOB", {.action = "s3:ListBucket", .bucket = "nowhere"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNoSuchBucket);
  auto create = ask("AKBOB", {.action = "s3:CreateBucket", .bucket = "nowhere"});
  ASSERT_TRUE(create) << create.error().message;
  EXPECT_TRUE(create->allowed);  // a tenant may create buckets
}

TEST_F(ConsoleGateTest, ABucketPolicyGrantsItsActionsWithTheListingAndRequestKeys) {
  ASSERT_TRUE(temp_.vault().put_bucket_policy("photos", R"({
    "Version": "2012-10-17",
    "Statement": [
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/bob"},
       "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
       "Condition": {"StringLike": {"s3:prefix": "shared/*"}}},
      {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/bob"},
       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*",
       "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]})"));
  auto shared =
      ask("AKBOB",
          {.action = "s3:ListBucket", .bucket = "photos", .prefix = "shared/", .delimiter = "/"});
  ASSERT_TRUE(shared) << shared.error().message;
  EXPECT_TRUE(shared->allowed) << shared->denial;
  auto root_level =
      ask("AKBOB", {.action = "s3:ListBucket", .bucket = "photos", .prefix = "", .delimiter = "/"});
  ASSERT_TRUE(root_level);
  EXPECT_FALSE(root_level->allowed);

  auto read = ask("AKBOB", {.action = "s3:GetObject", .bucket = "photos", .key = "shared/a"});
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->allowed) << read->denial;
  console_request_.remote_address = "198.51.100.1";  // outside the policy's range
  auto elsewhere = ask("AKBOB", {.action = "s3:GetObject", .bucket = "photos", .key = "shared/a"});
  ASSERT_TRUE(elsewhere);
  EXPECT_FALSE(elsewhere->allowed);

  auto write = ask("AKBOB", {.action = "s3:PutObject", .bucket = "photos", .key = "shared/b"});
  ASSERT_TRUE(write);
  EXPECT_FALSE(write->allowed);
}

TEST_F(ConsoleGateTest, AKeyThatIsGoneEndsTheSession) {
  auto gone = ask("AKNOBODY", {.action = "s3:ListBucket", .bucket = "photos"});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kAccessDenied);
}

}  // namespace
}  // namespace cv::app
