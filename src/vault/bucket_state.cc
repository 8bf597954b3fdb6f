#include "vault/bucket_state.h"

#include <algorithm>

#include "policy/policy.h"

namespace cv::vault {
namespace {

Result<std::shared_ptr<const BucketAccess>> access_of(const BucketState& state) {
  auto access = std::make_shared<BucketAccess>();
  access->bucket = state.bucket;
  if (const std::string* text = state.document(kBucketPolicyConfig)) {
    auto parsed = policy::parse_policy(*text, policy::PolicyKind::kResource, kMaxBucketPolicyBytes);
    if (!parsed) {
      return fail(ErrorCode::kInternalError, "the stored policy of bucket " + state.bucket.name +
                                                 " no longer parses: " + parsed.error().message);
    }
    access->policy = std::make_shared<const policy::Policy>(std::move(*parsed));
    access->policy_is_public = policy::is_public(*access->policy);
  }
  if (const std::string* json = state.document(kPublicAccessBlockConfig)) {
    access->block = CV_TRY(public_access_block_from_json(*json));
  }
  return access;
}

}  // namespace

const std::string* BucketState::document(std::string_view kind) const {
  const auto found = std::lower_bound(
      documents.begin(), documents.end(), kind,
      [](const std::pair<std::string, std::string>& entry, std::string_view wanted) {
        return entry.first < wanted;
      });
  if (found == documents.end() || found->first != kind) return nullptr;
  return &found->second;
}

Result<std::shared_ptr<const BucketState>> build_bucket_state(meta::Bucket stored) {
  auto state = std::make_shared<BucketState>();
  state->documents = std::move(stored.configs);
  stored.configs.clear();
  std::sort(state->documents.begin(), state->documents.end());
  state->bucket = std::move(stored);
  if (const std::string* versioning = state->document(kVersioningConfig)) {
    if (*versioning == "Enabled") state->versioning = Versioning::kEnabled;
    if (*versioning == "Suspended") state->versioning = Versioning::kSuspended;
  }
  if (const std::string* document = state->document(kEncryptionConfigKind)) {
    state->default_encryption = CV_TRY(decode_default_encryption(*document));
  }
  if (const std::string* document = state->document(kLifecycleConfig)) {
    state->lifecycle = CV_TRY(lifecycle_from_json(*document));
  }
  if (const std::string* document = state->document(kReplicationConfig)) {
    state->replication = CV_TRY(replication_from_json(*document));
  }
  if (const std::string* document = state->document(kNotificationConfig)) {
    state->notification = CV_TRY(notification_from_json(*document));
  }
  if (const std::string* document = state->document(kObjectLockConfigKind)) {
    state->object_lock = CV_TRY(parse_object_lock_json(*document));
  }
  state->access = CV_TRY(access_of(*state));
  return std::shared_ptr<const BucketState>(std::move(state));
}

}  // namespace cv::vault
