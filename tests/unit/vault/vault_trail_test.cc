// Vault::lookup_trail: the root user sees every record, another user only their own whatever
// they ask for, and an unknown user nothing.
#include <gtest/gtest.h>

#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

meta::TrailRecord record(const std::string& user, const std::string& event) {
  meta::TrailRecord record;
  record.event_time_ns = 1;
  record.event_id = user + "-" + event;
  record.event_name = event;
  record.user_name = user;
  record.record_json = "{}";
  return record;
}

std::vector<std::string> ids(const meta::TrailPage& page) {
  std::vector<std::string> out;
  for (const auto& entry : page.records) out.push_back(entry.event_id);
  return out;
}

class VaultTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.meta().put_user({.id = "root-id", .name = "root", .is_root = true}));
    ASSERT_TRUE(temp_.meta().put_user({.id = "ann-id", .name = "ann"}));
    ASSERT_TRUE(temp_.meta().append_trail_records(
        {record("root", "CreateBucket"), record("ann", "PutObject"), record("bob", "GetObject")}));
  }
  SystemClock clock_;
  testing::TempVault temp_{clock_};
};

TEST_F(VaultTrailTest, RootSeesEveryRecordAndMayFilterByUser) {
  auto all = temp_.vault().lookup_trail({}, "root-id");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(ids(*all),
            (std::vector<std::string>{"bob-GetObject", "ann-PutObject", "root-CreateBucket"}));
  auto bobs = temp_.vault().lookup_trail({.user_name = "bob"}, "root-id");
  ASSERT_TRUE(bobs);
  EXPECT_EQ(ids(*bobs), std::vector<std::string>{"bob-GetObject"});
}

TEST_F(VaultTrailTest, AnotherUserSeesOnlyTheirOwnRecords) {
  auto own = temp_.vault().lookup_trail({}, "ann-id");
  ASSERT_TRUE(own);
  EXPECT_EQ(ids(*own), std::vector<std::string>{"ann-PutObject"});
  auto asked_for_bob = temp_.vault().lookup_trail({.user_name = "bob"}, "ann-id");
  ASSERT_TRUE(asked_for_bob);
  EXPECT_EQ(ids(*asked_for_bob), std::vector<std::string>{"ann-PutObject"});
  auto stranger = temp_.vault().lookup_trail({}, "nobody");
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::kAccessDenied);
}

}  // namespace
}  // namespace cv::vault
