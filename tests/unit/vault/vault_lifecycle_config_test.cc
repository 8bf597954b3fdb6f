#include <gtest/gtest.h>

#include <filesystem>

#include "blob/local/local_blob_store.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;

class VaultLifecycleConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-vault-lifecycle-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    blobs_ = blob::open_local_blob_store(dir_).value();
    vault_ = std::make_unique<Vault>(*meta_, *blobs_, clock_, VaultOptions{});
    ASSERT_TRUE(vault_->create_bucket("bucket", "owner"));
  }
  void TearDown() override {
    vault_.reset();
    meta_.reset();
    blobs_.reset();
    fs::remove_all(dir_);
  }

  static LifecycleConfiguration plan(int32_t expiration_days) {
    LifecycleRule rule;
    rule.id = "rule";
    rule.filter = {.shape = LifecycleFilter::Shape::kPrefix, .prefix = "logs/"};
    rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"}};
    rule.expiration = LifecycleExpiration{.days = expiration_days};
    return LifecycleConfiguration{{rule}};
  }

  fs::path dir_;
  SystemClock clock_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<Vault> vault_;
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
  Vault other(*meta_, *blobs_, clock_, VaultOptions{});
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
