#include "vault/bucket_access.h"

#include <boost/json.hpp>

namespace cv::vault {
namespace {

constexpr std::string_view kNames[] = {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                       "RestrictPublicBuckets"};

}  // namespace

PublicAccessBlock combine(const std::optional<PublicAccessBlock>& bucket,
                          const std::optional<PublicAccessBlock>& account) {
  const PublicAccessBlock a = bucket.value_or(PublicAccessBlock{});
  const PublicAccessBlock b = account.value_or(PublicAccessBlock{});
  return {a.block_public_acls || b.block_public_acls, a.ignore_public_acls || b.ignore_public_acls,
          a.block_public_policy || b.block_public_policy,
          a.restrict_public_buckets || b.restrict_public_buckets};
}

std::string to_json(const PublicAccessBlock& block) {
  boost::json::object object;
  object[kNames[0]] = block.block_public_acls;
  object[kNames[1]] = block.ignore_public_acls;
  object[kNames[2]] = block.block_public_policy;
  object[kNames[3]] = block.restrict_public_buckets;
  return boost::json::serialize(object);
}

Result<PublicAccessBlock> public_access_block_from_json(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) {
    return fail(ErrorCode::kInternalError, "a stored public access block is not JSON");
  }
  bool settings[4] = {};
  for (size_t i = 0; i < 4; ++i) {
    const boost::json::value* setting = value.as_object().if_contains(kNames[i]);
    if (!setting || !setting->is_bool()) {
      return fail(ErrorCode::kInternalError, "a stored public access block lacks a setting");
    }
    settings[i] = setting->as_bool();
  }
  return PublicAccessBlock{settings[0], settings[1], settings[2], settings[3]};
}

}  // namespace cv::vault
