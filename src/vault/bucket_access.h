// What decides access to a bucket, loaded once and cached as one entry (Vault::bucket_access):
// the bucket (its owner), its policy (parsed), and its public access block. Block Public
// Access as S3 documents it: each setting on in either the bucket's or the account's block
// is in force.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "policy/policy.h"

namespace cv::vault {

// Bucket configuration kinds (MetaStore::put_bucket_config) and the account's block
// (MetaStore::put_account_config).
inline constexpr std::string_view kBucketPolicyConfig = "policy";
inline constexpr std::string_view kPublicAccessBlockConfig = "public-access-block";
// S3's limit on a bucket policy's size.
inline constexpr size_t kMaxBucketPolicyBytes = 20 * 1024;

struct PublicAccessBlock {
  bool block_public_acls = false;        // refuse requests that set public ACLs
  bool ignore_public_acls = false;       // public ACL grants count for nothing
  bool block_public_policy = false;      // refuse bucket policies that are public
  bool restrict_public_buckets = false;  // a public policy grants nothing to outsiders
  static PublicAccessBlock all_on() { return {true, true, true, true}; }
  bool operator==(const PublicAccessBlock&) const = default;
};

// Each setting on when it is on in either block.
PublicAccessBlock combine(const std::optional<PublicAccessBlock>& bucket,
                          const std::optional<PublicAccessBlock>& account);

// Stored form: {"BlockPublicAcls":b,"IgnorePublicAcls":b,"BlockPublicPolicy":b,
// "RestrictPublicBuckets":b}. Decoding fails with InternalError (a corrupt store).
std::string to_json(const PublicAccessBlock& block);
Result<PublicAccessBlock> public_access_block_from_json(std::string_view json);

struct BucketAccess {
  meta::Bucket bucket;
  std::shared_ptr<const policy::Policy> policy;  // null: the bucket has none
  bool policy_is_public = false;                 // policy::is_public of `policy`
  std::optional<PublicAccessBlock> block;        // the bucket's own; nullopt: none set
};

}  // namespace cv::vault
