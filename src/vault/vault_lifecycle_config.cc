// A bucket's lifecycle configuration: stored as JSON under bucket config kind "lifecycle",
// parsed once into the bucket's state (bucket_state.h).
#include "vault/vault.h"

namespace cv::vault {
// The meta store also reads kLifecycleConfig: versions of a bucket that has one become due
// for the lifecycle worker when they turn noncurrent.

Status Vault::put_lifecycle(std::string_view bucket, const LifecycleConfiguration& config) {
  CV_TRY(validate(config));
  CV_TRY(get_bucket(bucket));
  CV_TRY(meta_.put_bucket_config(bucket, kLifecycleConfig, to_json(config)));
  forget_bucket(bucket);
  // The versions' due times follow the old rules: every version is due now, so the next
  // pass plans each key under the new ones (a scan of the bucket, once per change of rules).
  return meta_.reschedule_bucket(bucket, to_unix_nanos(clock_.now()));
}

Result<std::optional<LifecycleConfiguration>> Vault::lifecycle(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->lifecycle;
}

Status Vault::delete_lifecycle(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  CV_TRY(meta_.delete_bucket_config(bucket, kLifecycleConfig));
  forget_bucket(bucket);
  // Without rules nothing is due, except archived versions with a restore to make or expire.
  return meta_.reschedule_bucket(bucket, to_unix_nanos(clock_.now()));
}

}  // namespace cv::vault
