// S3 Object Lock in the vault: the bucket's configuration (bucket config kind "object-lock",
// kept in the bucket's state), the lock of new versions, and PutObjectRetention /
// PutObjectLegalHold. Removal of a locked version is refused by the store inside the delete's
// own transaction (MetaStore::delete_object's LockGuard), never only checked before it.
#include <fmt/format.h>

#include "vault/vault.h"

namespace cv::vault {
namespace {

constexpr std::string_view kMissingLockConfiguration =
    "Bucket is missing Object Lock Configuration";

std::unexpected<Error> missing_lock_configuration(std::string_view bucket) {
  return fail(ErrorCode::kInvalidRequest, std::string(kMissingLockConfiguration),
              std::string(bucket));
}

}  // namespace

Result<std::optional<ObjectLockConfiguration>> Vault::object_lock(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->object_lock;
}

Status Vault::put_object_lock(std::string_view bucket, const ObjectLockConfiguration& config) {
  CV_TRY(validate(config));
  CV_TRY(get_bucket(bucket));
  if (CV_TRY(versioning(bucket)) != Versioning::kEnabled) {
    return fail(ErrorCode::kInvalidBucketState,
                "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                std::string(bucket));
  }
  auto put = meta_.put_bucket_config(bucket, kObjectLockConfigKind, object_lock_json(config));
  forget_bucket(bucket);
  return put;
}

Result<meta::ObjectLock> Vault::lock_for_new_version(const BucketState& bucket,
                                                     const meta::ObjectLock& requested,
                                                     int64_t written_ns) {
  const auto& config = bucket.object_lock;
  const bool asks =
      !requested.mode.empty() || requested.retain_until_ns != 0 || requested.legal_hold;
  if (asks && !config) return missing_lock_configuration(bucket.bucket.name);
  if (!requested.mode.empty() || requested.retain_until_ns != 0) {
    if (!is_retention_mode(requested.mode)) {
      return fail(ErrorCode::kInvalidArgument, "Unknown wormMode directive.");
    }
    if (requested.retain_until_ns <= written_ns) {
      return fail(ErrorCode::kInvalidArgument, "The retain until date must be in the future!");
    }
  }
  return new_version_lock(requested, config, written_ns);
}

Result<meta::ObjectVersion> Vault::locked_version(std::string_view bucket, std::string_view key,
                                                  std::string_view version_id) {
  if (!CV_TRY(object_lock(bucket))) return missing_lock_configuration(bucket);
  return get_object(bucket, key, version_id);
}

Status Vault::put_object_retention(std::string_view bucket, std::string_view key,
                                   std::string_view version_id, std::string_view mode,
                                   int64_t retain_until_ns, bool bypass_governance) {
  if (!CV_TRY(object_lock(bucket))) return missing_lock_configuration(bucket);
  const int64_t now = to_unix_nanos(clock_.now());
  if (!mode.empty()) {
    if (!is_retention_mode(mode)) {
      return fail(ErrorCode::kMalformedXML,
                  "The XML you provided was not well-formed or did not validate against our "
                  "published schema");
    }
    if (retain_until_ns <= now) {
      return fail(ErrorCode::kInvalidArgument, "The retain until date must be in the future!");
    }
  }
  const meta::RetentionChange change{std::string(mode), mode.empty() ? 0 : retain_until_ns, now,
                                     bypass_governance};
  CV_TRY(meta_.put_object_retention(bucket, key, version_id, change));
  // A version the lifecycle deferred to its old retain-until is planned again.
  return replan_now(bucket, key, version_id);
}

Status Vault::put_object_legal_hold(std::string_view bucket, std::string_view key,
                                    std::string_view version_id, bool on) {
  if (!CV_TRY(object_lock(bucket))) return missing_lock_configuration(bucket);
  CV_TRY(meta_.put_object_legal_hold(bucket, key, version_id, on));
  return replan_now(bucket, key, version_id);
}

}  // namespace cv::vault
