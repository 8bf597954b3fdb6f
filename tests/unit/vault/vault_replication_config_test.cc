#include <gtest/gtest.h>

#include <set>

#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

// Knows the remotes it is given.
class FakeRemotes final : public ReplicationRemoteCatalog {
 public:
  explicit FakeRemotes(std::set<std::string, std::less<>> names) : names_(std::move(names)) {}
  bool has_remote(std::string_view name) const override { return names_.contains(name); }

 private:
  std::set<std::string, std::less<>> names_;
};

class VaultReplicationConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(vault_->create_bucket("source", "owner"));
    ASSERT_TRUE(vault_->create_bucket("backup", "owner"));
    ASSERT_TRUE(vault_->set_versioning("source", Versioning::kEnabled));
    ASSERT_TRUE(vault_->set_versioning("backup", Versioning::kEnabled));
  }

  static ReplicationConfiguration to(std::string bucket, std::string account = {}) {
    ReplicationRule rule;
    rule.id = "rule";
    rule.priority = 1;
    rule.filter = {.shape = ReplicationFilter::Shape::kPrefix, .prefix = "photos/"};
    rule.destination.bucket_arn = "arn:aws:s3:::" + bucket;
    rule.destination.account = std::move(account);
    rule.delete_marker_replication = false;
    return ReplicationConfiguration{"role", {rule}};
  }

  Error put_error(std::string_view bucket, const ReplicationConfiguration& config) {
    auto status = vault_->put_replication(bucket, config, remotes_);
    EXPECT_FALSE(status);
    if (status) return {};
    // Nothing is stored when the configuration is refused.
    auto stored = vault_->replication(bucket);
    EXPECT_TRUE(stored && !stored->has_value());
    return status.error();
  }

  SystemClock clock_;
  testing::TempVault temp_{clock_};
  Vault* vault_ = &temp_.vault();
  FakeRemotes remotes_{{"offsite"}};
};

TEST_F(VaultReplicationConfigTest, NoConfigurationUntilOneIsPut) {
  auto config = vault_->replication("source");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
  EXPECT_EQ(vault_->replication("missing").error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(vault_->put_replication("missing", to("backup"), remotes_).error().code,
            ErrorCode::kNoSuchBucket);
  EXPECT_EQ(vault_->delete_replication("missing").error().code, ErrorCode::kNoSuchBucket);
}

// The marker the replication planner reads versions under: stored by the first accepted put,
// kept by the delete, never by a refused put.
TEST_F(VaultReplicationConfigTest, ABucketKeepsItsReplicationHistory) {
  const auto history = [&](std::string_view bucket) {
    auto state = vault_->bucket_state(bucket);
    EXPECT_TRUE(state);
    return state && (*state)->document(kReplicationHistoryConfig) != nullptr;
  };
  EXPECT_FALSE(history("source"));
  put_error("source", to("source"));
  EXPECT_FALSE(history("source"));
  ASSERT_TRUE(vault_->put_replication("source", to("backup"), remotes_));
  EXPECT_TRUE(history("source"));
  ASSERT_TRUE(vault_->delete_replication("source"));
  EXPECT_TRUE(history("source"));
  EXPECT_FALSE(vault_->replication("source")->has_value());
  EXPECT_FALSE(history("backup"));
}

TEST_F(VaultReplicationConfigTest, PutReadBackReplaceDelete) {
  ASSERT_TRUE(vault_->put_replication("source", to("backup"), remotes_));
  auto config = vault_->replication("source");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_EQ(to_json(**config), to_json(to("backup")));
  auto document = vault_->get_bucket_config("source", "replication");
  ASSERT_TRUE(document && document->has_value());
  EXPECT_EQ(**document, to_json(to("backup")));

  ASSERT_TRUE(vault_->put_replication("source", to("archive", "offsite"), remotes_));
  config = vault_->replication("source");
  ASSERT_TRUE(config && config->has_value());
  EXPECT_EQ((*config)->rules.at(0).destination.account, "offsite");

  // A second vault over the same store sees it.
  Vault other(temp_.meta(), temp_.blobs(), clock_, VaultOptions{});
  auto seen = other.replication("source");
  ASSERT_TRUE(seen && seen->has_value());
  EXPECT_EQ((*seen)->rules.at(0).destination.bucket_name(), "archive");

  ASSERT_TRUE(vault_->delete_replication("source"));
  config = vault_->replication("source");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
  EXPECT_TRUE(vault_->delete_replication("source"));  // none: no error
}

TEST_F(VaultReplicationConfigTest, SourceVersioningMustBeEnabled) {
  ASSERT_TRUE(vault_->create_bucket("plain", "owner"));
  Error error = put_error("plain", to("backup"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(error.message,
            "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  ASSERT_TRUE(vault_->set_versioning("plain", Versioning::kSuspended));
  EXPECT_EQ(put_error("plain", to("backup")).code, ErrorCode::kInvalidRequest);
}

TEST_F(VaultReplicationConfigTest, LocalDestinationMustExistWithVersioning) {
  Error error = put_error("source", to("nowhere"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(error.message, "Destination bucket must exist.");

  ASSERT_TRUE(vault_->create_bucket("unversioned", "owner"));
  error = put_error("source", to("unversioned"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(error.message, "Destination bucket must have versioning enabled.");
  ASSERT_TRUE(vault_->set_versioning("unversioned", Versioning::kSuspended));
  EXPECT_EQ(put_error("source", to("unversioned")).message,
            "Destination bucket must have versioning enabled.");

  error = put_error("source", to("source"));
  EXPECT_EQ(error.message, "Destination bucket cannot be the same as the source bucket.");
}

TEST_F(VaultReplicationConfigTest, RemoteDestinationMustBeConfigured) {
  // The remote bucket need not exist here.
  EXPECT_TRUE(vault_->put_replication("source", to("nowhere", "offsite"), remotes_));
  ASSERT_TRUE(vault_->delete_replication("source"));
  Error error = put_error("source", to("backup", "unknown"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidRequest);
  EXPECT_NE(error.message.find("[replication.remotes.unknown]"), std::string::npos);
  NoReplicationRemotes none;
  EXPECT_FALSE(vault_->put_replication("source", to("backup", "offsite"), none));
}

TEST_F(VaultReplicationConfigTest, DocumentErrorsComeFirst) {
  auto config = to("backup");
  config.rules.at(0).priority.reset();
  EXPECT_EQ(put_error("source", config).code, ErrorCode::kInvalidRequest);
  config.rules.clear();
  EXPECT_EQ(put_error("source", config).code, ErrorCode::kMalformedXML);
}

TEST_F(VaultReplicationConfigTest, VersioningCannotBeSuspendedWhileConfigured) {
  ASSERT_TRUE(vault_->put_replication("source", to("backup"), remotes_));
  auto suspended = vault_->set_versioning("source", Versioning::kSuspended);
  ASSERT_FALSE(suspended);
  EXPECT_EQ(suspended.error().code, ErrorCode::kInvalidBucketState);
  EXPECT_EQ(error_http_status(suspended.error().code), 409);
  EXPECT_EQ(vault_->versioning("source").value(), Versioning::kEnabled);
  EXPECT_TRUE(vault_->set_versioning("source", Versioning::kEnabled));
  // The destination is not guarded (as on S3); the worker reports a suspended destination.
  EXPECT_TRUE(vault_->set_versioning("backup", Versioning::kSuspended));
  ASSERT_TRUE(vault_->delete_replication("source"));
  EXPECT_TRUE(vault_->set_versioning("source", Versioning::kSuspended));
}

TEST_F(VaultReplicationConfigTest, DeletingTheBucketForgetsTheConfiguration) {
  ASSERT_TRUE(vault_->put_replication("source", to("backup"), remotes_));
  ASSERT_TRUE(vault_->replication("source"));  // cached
  ASSERT_TRUE(vault_->delete_bucket("source"));
  ASSERT_TRUE(vault_->create_bucket("source", "owner"));
  auto config = vault_->replication("source");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
}

}  // namespace
}  // namespace cv::vault
