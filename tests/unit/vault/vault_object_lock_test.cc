// Object lock in the vault: the bucket configuration (versioning needed, never suspended
// again), the lock of new versions (explicit, default retention, refused on a bucket without
// object lock), deletes judged at the vault's clock, and the default retention arithmetic.
#include <gtest/gtest.h>

#include <chrono>

#include "core/byte_source.h"
#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kDayNs = 86'400'000'000'000;

class VaultObjectLockTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("locked", "owner", true)); }

  Result<meta::ObjectVersion> put(const std::string& bucket, const std::string& key,
                                  meta::ObjectLock lock = {}) {
    StringSource body("payload");
    PutObjectInput input;
    input.bucket = bucket;
    input.key = key;
    input.attributes.owner_id = "owner";
    input.attributes.lock = std::move(lock);
    input.body = &body;
    return vault_->put_object(input);
  }
  int64_t now_ns() const { return to_unix_nanos(clock_.now()); }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  testing::TempVault temp_{clock_};
  Vault* vault_ = &temp_.vault();
};

TEST_F(VaultObjectLockTest, ALockBucketIsVersionedForGood) {
  EXPECT_EQ(vault_->versioning("locked").value(), Versioning::kEnabled);
  auto config = vault_->object_lock("locked");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_FALSE((*config)->default_retention);
  auto suspended = vault_->set_versioning("locked", Versioning::kSuspended);
  ASSERT_FALSE(suspended);
  EXPECT_EQ(suspended.error().code, ErrorCode::kInvalidBucketState);
  EXPECT_EQ(vault_->versioning("locked").value(), Versioning::kEnabled);
}

TEST_F(VaultObjectLockTest, LockOnAnExistingBucketNeedsVersioningEnabled) {
  ASSERT_TRUE(vault_->create_bucket("plain", "owner"));
  EXPECT_EQ(vault_->put_object_lock("plain", {}).error().code, ErrorCode::kInvalidBucketState);
  EXPECT_FALSE(vault_->object_lock("plain")->has_value());
  ASSERT_TRUE(vault_->set_versioning("plain", Versioning::kEnabled));
  ASSERT_TRUE(vault_->put_object_lock("plain", {}));
  EXPECT_TRUE(vault_->object_lock("plain")->has_value());
}

TEST_F(VaultObjectLockTest, NewVersionsGetTheDefaultRetentionUnlessTheyNameOne) {
  ASSERT_TRUE(vault_->put_object_lock(
      "locked", ObjectLockConfiguration{DefaultRetention{"GOVERNANCE", 3, 0}}));
  auto defaulted = put("locked", "a");
  ASSERT_TRUE(defaulted) << defaulted.error().message;
  EXPECT_EQ(defaulted->lock, (meta::ObjectLock{"GOVERNANCE", now_ns() + 3 * kDayNs, false}));
  auto explicit_lock = put("locked", "b", meta::ObjectLock{"COMPLIANCE", now_ns() + kDayNs, true});
  ASSERT_TRUE(explicit_lock);
  EXPECT_EQ(explicit_lock->lock, (meta::ObjectLock{"COMPLIANCE", now_ns() + kDayNs, true}));
  // A retain-until not in the future is refused before anything is stored.
  auto past = put("locked", "c", meta::ObjectLock{"COMPLIANCE", now_ns(), false});
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault_->get_object("locked", "c").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(VaultObjectLockTest, ABucketWithoutLockRefusesLockRequests) {
  ASSERT_TRUE(vault_->create_bucket("plain", "owner"));
  auto refused = put("plain", "k", meta::ObjectLock{"", 0, true});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(refused.error().message, "Bucket is missing Object Lock Configuration");
  ASSERT_TRUE(put("plain", "k"));
  EXPECT_EQ(vault_->put_object_legal_hold("plain", "k", "", true).error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(vault_->locked_version("plain", "k", "").error().code, ErrorCode::kInvalidRequest);
}

TEST_F(VaultObjectLockTest, DeletesAreJudgedAtTheVaultsClock) {
  auto version = put("locked", "k", meta::ObjectLock{"GOVERNANCE", now_ns() + kDayNs, false});
  ASSERT_TRUE(version);
  EXPECT_EQ(vault_->delete_object("locked", "k", version->version_id).error().code,
            ErrorCode::kAccessDenied);
  // A delete without a version id is a delete marker.
  auto marker = vault_->delete_object("locked", "k");
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->delete_marker);
  clock_.advance(std::chrono::hours(24));
  auto removed = vault_->delete_object("locked", "k", version->version_id);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_TRUE(removed->existed);
}

TEST_F(VaultObjectLockTest, RetentionChangesFollowTheRulesAndTheBypass) {
  auto version = put("locked", "k", meta::ObjectLock{"GOVERNANCE", now_ns() + 2 * kDayNs, false});
  ASSERT_TRUE(version);
  EXPECT_EQ(vault_->put_object_retention("locked", "k", "", "GOVERNANCE", now_ns() + kDayNs, false)
                .error()
                .code,
            ErrorCode::kAccessDenied);
  ASSERT_TRUE(
      vault_->put_object_retention("locked", "k", "", "GOVERNANCE", now_ns() + kDayNs, true));
  ASSERT_TRUE(
      vault_->put_object_retention("locked", "k", "", "COMPLIANCE", now_ns() + kDayNs, true));
  EXPECT_EQ(vault_->put_object_retention("locked", "k", "", "", 0, true).error().code,
            ErrorCode::kAccessDenied);
  EXPECT_EQ(vault_->locked_version("locked", "k", "")->lock.mode, "COMPLIANCE");
}

TEST(DefaultRetention, DaysAreDaysAndYearsAreCalendarYears) {
  const int64_t written =
      to_unix_nanos(std::chrono::sys_days(std::chrono::year(2028) / 2 / 29) + 10h);
  EXPECT_EQ(default_retain_until(DefaultRetention{"GOVERNANCE", 2, 0}, written),
            written + 2 * kDayNs);
  EXPECT_EQ(default_retain_until(DefaultRetention{"GOVERNANCE", 0, 1}, written),
            to_unix_nanos(std::chrono::sys_days(std::chrono::year(2029) / 2 / 28) + 10h));
  EXPECT_EQ(default_retain_until(DefaultRetention{"GOVERNANCE", 0, 4}, written),
            to_unix_nanos(std::chrono::sys_days(std::chrono::year(2032) / 2 / 29) + 10h));
}

TEST(ObjectLockConfiguration, StoredFormRoundTripsAndValidationIsS3s) {
  const ObjectLockConfiguration with_rule{DefaultRetention{"COMPLIANCE", 0, 7}};
  EXPECT_EQ(parse_object_lock_json(object_lock_json(with_rule)).value(), with_rule);
  EXPECT_EQ(parse_object_lock_json(object_lock_json({})).value(), ObjectLockConfiguration{});
  EXPECT_TRUE(validate(with_rule));
  EXPECT_EQ(validate({DefaultRetention{"COMPLIANCE", 1, 1}}).error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(validate({DefaultRetention{"SOMETIMES", 1, 0}}).error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(validate({DefaultRetention{"GOVERNANCE", 36501, 0}}).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cv::vault
