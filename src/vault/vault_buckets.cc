#include "vault/vault.h"

namespace cv::vault {

Vault::Vault(meta::MetaStore& meta, blob::BlobStore& blobs, const Clock& clock,
             VaultOptions options, std::string master_key)
    : meta_(meta),
      blobs_(blobs),
      clock_(clock),
      options_(std::move(options)),
      master_key_(std::move(master_key)) {}

Status Vault::create_bucket(std::string_view name, std::string_view owner_id,
                            meta::StringPairs configs) {
  if (!is_valid_bucket_name(name)) {
    return fail(ErrorCode::kInvalidBucketName, "The specified bucket is not valid.",
                std::string(name));
  }
  meta::Bucket bucket;
  bucket.name = name;
  bucket.owner_id = owner_id;
  bucket.region = options_.region;
  bucket.created_ns = to_unix_nanos(clock_.now());
  bucket.configs = std::move(configs);
  if (options_.block_public_access_default) {
    bucket.configs.emplace_back(std::string(kPublicAccessBlockConfig),
                                to_json(PublicAccessBlock::all_on()));
  }
  return meta_.create_bucket(bucket);
}

void Vault::follow_other_changes() {
  if (!options_.other_changes) return;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  const int64_t interval =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.other_changes_interval)
          .count();
  if (now - other_changes_checked_ns_.load(std::memory_order_relaxed) < interval) return;
  std::lock_guard lock(bucket_cache_mutex_);
  if (now - other_changes_checked_ns_.load(std::memory_order_relaxed) < interval) return;
  other_changes_checked_ns_.store(now, std::memory_order_relaxed);
  const uint64_t seen = options_.other_changes();
  if (seen == other_changes_seen_) return;
  other_changes_seen_ = seen;
  ++cache_changes_;
  bucket_states_.clear();
}

void Vault::forget_bucket(std::string_view bucket) {
  std::lock_guard lock(bucket_cache_mutex_);
  ++cache_changes_;
  if (auto it = bucket_states_.find(bucket); it != bucket_states_.end()) bucket_states_.erase(it);
}

Result<std::shared_ptr<const BucketState>> Vault::bucket_state(std::string_view name) {
  follow_other_changes();
  uint64_t changes_before = 0;
  {
    std::lock_guard lock(bucket_cache_mutex_);
    if (auto it = bucket_states_.find(name); it != bucket_states_.end()) return it->second;
    changes_before = cache_changes_;
  }
  auto stored = CV_TRY(meta_.get_bucket_with_configs(name));
  if (!stored) {
    return fail(ErrorCode::kNoSuchBucket, "The specified bucket does not exist", std::string(name));
  }
  auto state = CV_TRY(build_bucket_state(std::move(*stored)));
  std::lock_guard lock(bucket_cache_mutex_);
  if (cache_changes_ == changes_before) bucket_states_.insert_or_assign(std::string(name), state);
  return state;
}

Result<meta::Bucket> Vault::get_bucket(std::string_view name) {
  return CV_TRY(bucket_state(name))->bucket;
}

Result<std::vector<meta::Bucket>> Vault::list_buckets(std::string_view owner_id) {
  auto all = CV_TRY(meta_.list_buckets());
  std::erase_if(all, [&](const meta::Bucket& b) { return b.owner_id != owner_id; });
  return all;
}

Status Vault::delete_bucket(std::string_view name) {
  // Forget before and after: a lookup racing with the delete reloads from the store.
  forget_bucket(name);
  auto deleted = meta_.delete_bucket(name);
  forget_bucket(name);
  return deleted;
}

Result<meta::BucketUsage> Vault::bucket_usage(std::string_view name) {
  return meta_.bucket_usage(name);
}

Status Vault::put_bucket_config(std::string_view bucket, std::string_view kind,
                                std::string_view doc) {
  auto put = meta_.put_bucket_config(bucket, kind, doc);
  forget_bucket(bucket);
  return put;
}

Result<std::optional<std::string>> Vault::get_bucket_config(std::string_view bucket,
                                                            std::string_view kind) {
  const auto state = CV_TRY(bucket_state(bucket));
  const std::string* document = state->document(kind);
  if (!document) return std::nullopt;
  return *document;
}

Status Vault::delete_bucket_config(std::string_view bucket, std::string_view kind) {
  auto deleted = meta_.delete_bucket_config(bucket, kind);
  forget_bucket(bucket);
  return deleted;
}

Status Vault::create_bucket(std::string_view name, std::string_view owner_id, bool object_lock,
                            meta::StringPairs configs) {
  if (object_lock) {
    // Versioning and object lock are written with the bucket, in its one transaction.
    configs.emplace_back(std::string(kVersioningConfig), "Enabled");
    configs.emplace_back(std::string(kObjectLockConfigKind),
                         object_lock_json(ObjectLockConfiguration{}));
  }
  return create_bucket(name, owner_id, std::move(configs));
}

Result<Versioning> Vault::versioning(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->versioning;
}

Status Vault::set_versioning(std::string_view bucket, Versioning state) {
  if (state == Versioning::kUnversioned) {
    return fail(ErrorCode::kMalformedXML, "Versioning can only be Enabled or Suspended");
  }
  if (state == Versioning::kSuspended && CV_TRY(replication(bucket)).has_value()) {
    return fail(ErrorCode::kInvalidBucketState,
                "A replication configuration is present on this bucket, so you cannot change the "
                "versioning state. To change the versioning state, first delete the replication "
                "configuration.",
                std::string(bucket));
  }
  if (state == Versioning::kSuspended && CV_TRY(object_lock(bucket)).has_value()) {
    return fail(ErrorCode::kInvalidBucketState,
                "An Object Lock configuration is present on this bucket, so the versioning state "
                "cannot be changed.",
                std::string(bucket));
  }
  auto put = meta_.put_bucket_config(bucket, kVersioningConfig,
                                    state == Versioning::kEnabled ? "Enabled" : "Suspended");
  forget_bucket(bucket);
  return put;
}

Result<std::vector<std::string>> Vault::garbage(size_t max) { return meta_.take_garbage(max); }

Status Vault::reclaim(const std::vector<std::string>& blob_ids) {
  if (blob_ids.empty()) return {};
  for (const auto& id : blob_ids) CV_TRY(blobs_.remove(id));
  return meta_.forget_garbage(blob_ids);
}

Result<size_t> Vault::sweep_orphans() {
  CV_TRY(blobs_.remove_incomplete());
  size_t removed = 0;
  for (const auto& id : CV_TRY(blobs_.list())) {
    if (!CV_TRY(meta_.blob_in_use(id))) {
      CV_TRY(blobs_.remove(id));
      ++removed;
    }
  }
  return removed;
}

}  // namespace cv::vault
