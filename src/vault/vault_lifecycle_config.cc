// A bucket's lifecycle configuration: stored as JSON under bucket config kind "lifecycle",
// parsed once and cached (see Vault::lifecycle_cache_).
#include "vault/vault.h"

namespace cv::vault {
namespace {
// The meta store also reads this kind: versions of a bucket that has one become due for
// the lifecycle worker when they turn noncurrent.
constexpr std::string_view kLifecycleConfig = "lifecycle";
}  // namespace

// After the store changed: the next lookup reads it again. (Not caching the written value
// keeps two racing writers from leaving the cache on the one the store did not keep.)
void Vault::forget_lifecycle(std::string_view bucket) {
  std::lock_guard lock(bucket_cache_mutex_);
  ++cache_changes_;
  if (auto it = lifecycle_cache_.find(bucket); it != lifecycle_cache_.end()) {
    lifecycle_cache_.erase(it);
  }
}

Status Vault::put_lifecycle(std::string_view bucket, const LifecycleConfiguration& config) {
  CV_TRY(validate(config));
  CV_TRY(get_bucket(bucket));
  CV_TRY(meta_.put_bucket_config(bucket, kLifecycleConfig, to_json(config)));
  forget_lifecycle(bucket);
  // The versions' due times follow the old rules: every version is due now, so the next
  // pass plans each key under the new ones (a scan of the bucket, once per change of rules).
  return meta_.reschedule_bucket(bucket, to_unix_nanos(clock_.now()));
}

Result<std::optional<LifecycleConfiguration>> Vault::lifecycle(std::string_view bucket) {
  follow_other_changes();
  uint64_t changes_before = 0;
  {
    std::lock_guard lock(bucket_cache_mutex_);
    if (auto it = lifecycle_cache_.find(bucket);
        it != lifecycle_cache_.end() && it->second.cache_changes == cache_changes_) {
      return it->second.config;
    }
    changes_before = cache_changes_;
  }
  CV_TRY(get_bucket(bucket));
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kLifecycleConfig));
  std::optional<LifecycleConfiguration> config;
  if (document) config = CV_TRY(lifecycle_from_json(*document));
  std::lock_guard lock(bucket_cache_mutex_);
  if (cache_changes_ == changes_before) {
    lifecycle_cache_.insert_or_assign(std::string(bucket), CachedLifecycle{changes_before, config});
  }
  return config;
}

Status Vault::delete_lifecycle(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  CV_TRY(meta_.delete_bucket_config(bucket, kLifecycleConfig));
  forget_lifecycle(bucket);
  // Without rules nothing is due, except archived versions with a restore to make or expire.
  return meta_.reschedule_bucket(bucket, to_unix_nanos(clock_.now()));
}

}  // namespace cv::vault
