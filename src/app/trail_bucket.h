// The trail bucket ([trail] bucket): audit::TrailBucket over this server's own vault, so the
// audit layer never sees the vault. The bucket is made, owned by the root user, when absent.
#pragma once

#include <string>

#include "audit/trail_folder.h"
#include "vault/vault.h"

namespace cv::app {

class VaultTrailBucket final : public audit::TrailBucket {
 public:
  // Creates `bucket` for `owner_id` unless it exists (owned by anyone). InvalidBucketName.
  static Result<std::unique_ptr<VaultTrailBucket>> open(vault::Vault& vault, std::string bucket,
                                                        std::string owner_id);

  const std::string& name() const override { return bucket_; }
  // A PutObject of the bytes with x-amz-meta-<name> for each metadata pair.
  Status put(std::string_view key, std::string_view bytes, std::string_view content_type,
             const audit::ObjectMetadata& metadata) override;

 private:
  VaultTrailBucket(vault::Vault& vault, std::string bucket, std::string owner_id)
      : vault_(vault), bucket_(std::move(bucket)), owner_id_(std::move(owner_id)) {}
  vault::Vault& vault_;
  std::string bucket_;
  std::string owner_id_;
};

}  // namespace cv::app
