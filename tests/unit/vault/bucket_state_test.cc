// The vault's per-bucket state: one cached snapshot per bucket, built from one store read,
// dropped by every change to the bucket or its documents (DESIGN.md rule 7).
#include "vault/bucket_state.h"

#include <gtest/gtest.h>

#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

class BucketStateTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("bucket", "owner")); }

  std::shared_ptr<const BucketState> state(std::string_view name = "bucket") {
    auto loaded = vault_->bucket_state(name);
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    return loaded ? *loaded : nullptr;
  }

  SystemClock clock_;
  testing::TempVault temp_{clock_};
  Vault* vault_ = &temp_.vault();
};

TEST_F(BucketStateTest, LoadedOnceAndSharedUntilTheBucketChanges) {
  const auto first = state();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->bucket.name, "bucket");
  EXPECT_EQ(first->bucket.owner_id, "owner");
  EXPECT_EQ(first->versioning, Versioning::kUnversioned);
  ASSERT_TRUE(first->access);
  ASSERT_TRUE(first->access->block);  // every new bucket starts with the block on
  EXPECT_EQ(state(), first);          // the same snapshot, not a new load

  ASSERT_TRUE(vault_->set_versioning("bucket", Versioning::kEnabled));
  const auto second = state();
  EXPECT_NE(second, first);
  EXPECT_EQ(second->versioning, Versioning::kEnabled);
  // A request holding the old snapshot keeps seeing the bucket as it began.
  EXPECT_EQ(first->versioning, Versioning::kUnversioned);
}

TEST_F(BucketStateTest, EveryKindOfChangeIsSeenByTheNextLookup) {
  ASSERT_TRUE(vault_->set_default_encryption("bucket", DefaultEncryption{}));
  EXPECT_TRUE(state()->default_encryption.has_value());
  ASSERT_TRUE(vault_->put_bucket_config("bucket", "cors", "<CORSConfiguration/>"));
  ASSERT_NE(state()->document("cors"), nullptr);
  EXPECT_EQ(vault_->get_bucket_config("bucket", "cors")->value(), "<CORSConfiguration/>");
  ASSERT_TRUE(vault_->delete_bucket_config("bucket", "cors"));
  EXPECT_EQ(state()->document("cors"), nullptr);
  ASSERT_TRUE(vault_->put_bucket_policy(
      "bucket",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",)"
      R"("Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]})"));
  EXPECT_TRUE(state()->access->policy);
  ASSERT_TRUE(vault_->delete_public_access_block("bucket"));
  EXPECT_FALSE(state()->access->block.has_value());
  ASSERT_TRUE(vault_->put_bucket_tags("bucket", {{"team", "a"}}));
  EXPECT_NE(state()->document("tagging"), nullptr);
}

TEST_F(BucketStateTest, ABucketCreatedAgainStartsWithNothingOfTheOld) {
  ASSERT_TRUE(vault_->set_versioning("bucket", Versioning::kEnabled));
  ASSERT_EQ(state()->versioning, Versioning::kEnabled);
  ASSERT_TRUE(vault_->delete_bucket("bucket"));
  auto gone = vault_->bucket_state("bucket");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(vault_->create_bucket("bucket", "someone-else"));
  EXPECT_EQ(state()->versioning, Versioning::kUnversioned);
  EXPECT_EQ(state()->bucket.owner_id, "someone-else");
}

TEST_F(BucketStateTest, ChangesMadeByAnotherProcessAreSeenThroughTheSignal) {
  uint64_t changes = 0;
  VaultOptions options;
  options.other_changes = [&changes] { return changes; };
  options.other_changes_interval = std::chrono::milliseconds(0);
  Vault watching(temp_.meta(), temp_.blobs(), clock_, options);
  ASSERT_EQ(watching.bucket_state("bucket").value()->versioning, Versioning::kUnversioned);
  // Another process writes to the store directly; this vault sees it once told.
  ASSERT_TRUE(temp_.meta().put_bucket_config("bucket", "versioning", "Enabled"));
  EXPECT_EQ(watching.bucket_state("bucket").value()->versioning, Versioning::kUnversioned);
  ++changes;
  EXPECT_EQ(watching.bucket_state("bucket").value()->versioning, Versioning::kEnabled);
}

TEST_F(BucketStateTest, ADocumentThatNoLongerParsesIsAnInternalError) {
  ASSERT_TRUE(vault_->put_bucket_config("bucket", "lifecycle", "not json"));
  auto broken = vault_->bucket_state("bucket");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kInternalError);
}

}  // namespace
}  // namespace cv::vault
