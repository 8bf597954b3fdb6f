// Bucket policies and public access blocks: stored as bucket configuration documents
// ("policy" as given, "public-access-block" as JSON) and the account's block as an account
// configuration document, read through one cached BucketAccess per bucket.
#include "vault/vault.h"

namespace cv::vault {
Result<std::shared_ptr<const BucketAccess>> Vault::bucket_access(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->access;
}

Status Vault::put_bucket_policy(std::string_view bucket, std::string_view document) {
  const auto parsed =
      CV_TRY(policy::parse_policy(document, policy::PolicyKind::kResource, kMaxBucketPolicyBytes));
  const auto access = CV_TRY(bucket_access(bucket));
  if (policy::is_public(parsed) && CV_TRY(public_access_in_force(*access)).block_public_policy) {
    return fail(ErrorCode::kAccessDenied,
                "Access Denied (the policy would make the bucket public while its public access "
                "block's BlockPublicPolicy is on)",
                std::string(bucket));
  }
  CV_TRY(meta_.put_bucket_config(bucket, kBucketPolicyConfig, document));
  forget_bucket(bucket);
  return {};
}

Result<std::string> Vault::bucket_policy(std::string_view bucket) {
  const auto state = CV_TRY(bucket_state(bucket));
  const std::string* text = state->document(kBucketPolicyConfig);
  if (!text) {
    return fail(ErrorCode::kNoSuchBucketPolicy, "The bucket policy does not exist",
                std::string(bucket));
  }
  return *text;
}

Status Vault::delete_bucket_policy(std::string_view bucket) {
  CV_TRY(meta_.delete_bucket_config(bucket, kBucketPolicyConfig));
  forget_bucket(bucket);
  return {};
}

Status Vault::put_public_access_block(std::string_view bucket, const PublicAccessBlock& block) {
  CV_TRY(meta_.put_bucket_config(bucket, kPublicAccessBlockConfig, to_json(block)));
  forget_bucket(bucket);
  return {};
}

Status Vault::delete_public_access_block(std::string_view bucket) {
  CV_TRY(meta_.delete_bucket_config(bucket, kPublicAccessBlockConfig));
  forget_bucket(bucket);
  return {};
}

Result<std::optional<PublicAccessBlock>> Vault::account_public_access_block() {
  follow_other_changes();
  uint64_t changes_before = 0;
  {
    std::lock_guard lock(bucket_cache_mutex_);
    if (account_block_cache_.cache_changes == cache_changes_) return account_block_cache_.block;
    changes_before = cache_changes_;
  }
  std::optional<PublicAccessBlock> block;
  if (const auto json = CV_TRY(meta_.get_account_config(kPublicAccessBlockConfig))) {
    block = CV_TRY(public_access_block_from_json(*json));
  }
  std::lock_guard lock(bucket_cache_mutex_);
  if (cache_changes_ == changes_before) account_block_cache_ = {changes_before, block};
  return block;
}

Status Vault::set_account_public_access_block(const std::optional<PublicAccessBlock>& block) {
  if (block) {
    CV_TRY(meta_.put_account_config(kPublicAccessBlockConfig, to_json(*block)));
  } else {
    CV_TRY(meta_.delete_account_config(kPublicAccessBlockConfig));
  }
  std::lock_guard lock(bucket_cache_mutex_);
  ++cache_changes_;
  return {};
}

Result<PublicAccessBlock> Vault::public_access_in_force(const BucketAccess& access) {
  return combine(access.block, CV_TRY(account_public_access_block()));
}

}  // namespace cv::vault
