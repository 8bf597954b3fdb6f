#include <gtest/gtest.h>

#include <filesystem>

#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;

class VaultLifecycleConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("bucket", "owner")); }

  static LifecycleConfiguration plan(int32_t expiration_days) {
    LifecycleRule rule;
    rule.id = "rule";
    rule.filter = {.shape = LifecycleFilter::Shape::kPrefix, .prefix = "logs/"};
    rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"}};
    rule.expiration = LifecycleExpiration{.days = expiration_days};
    return LifecycleConfiguration{{rule}};
  }

  SystemClock clock_;
  testing::TempVault temp_{clock_};
  Vault* vault_ = &temp_.vault();
};

TEST_F(VaultLifecycleConfigTest, NoConfigurationUntilOneIsPut) {
  auto config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
}

TEST_F(VaultLifecycleConfigTest, PutThenReadBackAndReplace) {
  ASSERT_TRUE(vault_->put_lifecycle("bucket", plan(90)));
  auto config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_EQ(to_json(**config), to_json(plan(90)));
  // Stored as JSON under kind "lifecycle".
  auto document = vault_->get_bucket_config("bucket", "lifecycle");
  ASSERT_TRUE(document && document->has_value());
  EXPECT_EQ(**document, to_json(plan(90)));

  ASSERT_TRUE(vault_->put_lifecycle("bucket", plan(120)));
  config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_EQ((*config)->rules.at(0).expiration->days, 120);
}

TEST_F(VaultLifecycleConfigTest, ASecondVaultOverTheSameStoreSeesIt) {
  ASSERT_TRUE(vault_->put_lifecycle("bucket", plan(90)));
  Vault other(temp_.meta(), temp_.blobs(), clock_, VaultOptions{});
  auto config = other.lifecycle("bucket");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_EQ((*config)->rules.at(0).id, "rule");
}

TEST_F(VaultLifecycleConfigTest, InvalidConfigurationsAreRefusedAndNothingIsStored) {
  auto put = vault_->put_lifecycle("bucket", plan(10));  // expiration before the transition
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kInvalidArgument);
  auto config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
}

TEST_F(VaultLifecycleConfigTest, DeleteRemovesItAndIsIdempotent) {
  ASSERT_TRUE(vault_->put_lifecycle("bucket", plan(90)));
  ASSERT_TRUE(vault_->lifecycle("bucket"));  // cached now
  ASSERT_TRUE(vault_->delete_lifecycle("bucket"));
  auto config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
  EXPECT_TRUE(vault_->delete_lifecycle("bucket"));
}

TEST_F(VaultLifecycleConfigTest, MissingBucketsAnswerNoSuchBucket) {
  EXPECT_EQ(vault_->lifecycle("nope").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(vault_->put_lifecycle("nope", plan(90)).error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(vault_->delete_lifecycle("nope").error().code, ErrorCode::kNoSuchBucket);
}

TEST_F(VaultLifecycleConfigTest, ABucketCreatedAgainStartsWithoutRules) {
  ASSERT_TRUE(vault_->put_lifecycle("bucket", plan(90)));
  ASSERT_TRUE(vault_->lifecycle("bucket"));  // cached now
  ASSERT_TRUE(vault_->delete_bucket("bucket"));
  EXPECT_EQ(vault_->lifecycle("bucket").error().code, ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(vault_->create_bucket("bucket", "owner"));
  auto config = vault_->lifecycle("bucket");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
}

}  // namespace
}  // namespace cv::vault
