#include "app/trail_bucket.h"

#include "core/byte_source.h"

namespace cv::app {

Result<std::unique_ptr<VaultTrailBucket>> VaultTrailBucket::open(vault::Vault& vault,
                                                                 std::string bucket,
                                                                 std::string owner_id) {
  if (auto existing = vault.get_bucket(bucket); !existing) {
    if (existing.error().code != ErrorCode::kNoSuchBucket) return std::unexpected(existing.error());
    CV_TRY(vault.create_bucket(bucket, owner_id));
  }
  return std::unique_ptr<VaultTrailBucket>(
      new VaultTrailBucket(vault, std::move(bucket), std::move(owner_id)));
}

Status VaultTrailBucket::put(std::string_view key, std::string_view bytes,
                             std::string_view content_type, const audit::ObjectMetadata& metadata) {
  StringSource body{std::string(bytes)};
  vault::PutObjectInput input;
  input.bucket = bucket_;
  input.key = std::string(key);
  input.attributes.content_type = std::string(content_type);
  input.attributes.owner_id = owner_id_;
  for (const auto& [name, value] : metadata)
    input.attributes.user_metadata.emplace_back(name, value);
  input.body = &body;
  input.expected_size = bytes.size();
  CV_TRY(vault_.put_object(input));
  return {};
}

}  // namespace cv::app
