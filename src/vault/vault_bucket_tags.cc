// Vault: a bucket's tag set, stored as its "tagging" configuration document.
#include "vault/bucket_tags.h"
#include "vault/vault.h"

namespace cv::vault {

Status Vault::put_bucket_tags(std::string_view bucket, const meta::StringPairs& tags) {
  CV_TRY(validate_bucket_tags(tags));
  if (tags.empty()) return delete_bucket_tags(bucket);
  auto put = meta_.put_bucket_config(bucket, kBucketTaggingConfig, bucket_tags_to_json(tags));
  forget_bucket(bucket);
  return put;
}

Result<std::optional<meta::StringPairs>> Vault::bucket_tags(std::string_view bucket) {
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kBucketTaggingConfig));
  if (!document) return std::optional<meta::StringPairs>();
  return std::optional<meta::StringPairs>(CV_TRY(bucket_tags_from_json(*document)));
}

Status Vault::delete_bucket_tags(std::string_view bucket) {
  auto deleted = meta_.delete_bucket_config(bucket, kBucketTaggingConfig);
  forget_bucket(bucket);
  return deleted;
}

}  // namespace cv::vault
