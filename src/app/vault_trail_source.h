// activity::TrailSource over a bucket of this server's own store (s3://BUCKET/PREFIX with no
// --remote): lists the trail files under the prefix through the vault and streams their
// bodies (decrypted when encrypted at rest). The vault outlives the source.
#pragma once

#include <string>

#include "activity/trail_source.h"
#include "vault/vault.h"

namespace cv::app {

// "s3://BUCKET/PREFIX" split; nullopt unless it starts with s3:// and names a bucket.
struct S3Location {
  std::string bucket;
  std::string prefix;
};
std::optional<S3Location> parse_s3_location(std::string_view text);

class VaultTrailSource final : public activity::TrailSource {
 public:
  VaultTrailSource(vault::Vault& vault, S3Location location);
  std::string name() const override;
  Result<std::vector<activity::SourceFile>> list() override;
  Result<std::unique_ptr<ByteSource>> open(const activity::SourceFile& file) override;

 private:
  vault::Vault& vault_;
  S3Location location_;
};

}  // namespace cv::app
