// Replication's data side: which new versions start PENDING, replicas copied server-side
// into a local destination, and the store's replication bookkeeping (see vault.h).
#include <algorithm>

#include "core/encoding.h"
#include "core/hash.h"
#include "vault/object_body_source.h"
#include "vault/stored_body.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

// A plain MD5 ETag (32 hex digits) can be checked against the copied bytes; multipart and
// customer-key ETags cannot.
bool is_md5_etag(std::string_view etag) {
  if (etag.size() != 32) return false;
  for (const char c : etag) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Vault::initial_replication_status(const BucketState& bucket,
                                              const meta::ObjectVersion& object) {
  const auto& config = bucket.replication;
  if (!config) return std::string();
  const bool applies = !replication_targets(*config, object.key, object.tags, object.content_type,
                                            object.is_delete_marker)
                            .empty();
  return std::string(applies ? "PENDING" : "");
}

Result<Vault::ReplicaResult> Vault::put_replica(std::string_view bucket,
                                                const meta::ObjectVersion& source,
                                                std::string_view storage_class,
                                                const meta::ReplicationOutcome* settle,
                                                int32_t lock_days) {
  const auto state = CV_TRY(bucket_state(bucket));
  const meta::Bucket& destination = state->bucket;
  if (CV_TRY(meta_.get_object(bucket, source.key, source.version_id))) {
    if (settle) CV_TRY(meta_.settle_replication(settle->skipped()));
    return ReplicaResult{meta::ReplicaWrite::kAlreadyThere, 0};
  }
  meta::ObjectVersion replica = source;
  replica.bucket = bucket;
  replica.owner_id = destination.owner_id;
  replica.replication_status = "REPLICA";
  replica.is_latest = false;
  replica.restore.reset();
  replica.noncurrent_since_ns = 0;
  replica.inline_data.clear();
  replica.blobs.clear();
  replica.encryption = {};
  // The source's retention and legal hold go with it where the destination has object lock
  // (its default retention for a version without one), as S3 replicates them; else none.
  const auto& destination_lock = state->object_lock;
  const int64_t now_ns = to_unix_nanos(clock_.now());
  replica.lock = destination_lock && !replica.is_delete_marker
                     ? new_version_lock(source.lock, destination_lock, now_ns)
                     : meta::ObjectLock{};
  if (lock_days > 0 && !replica.is_delete_marker) {
    if (!destination_lock) {
      return fail(ErrorCode::kInvalidRequest, "Bucket is missing Object Lock Configuration",
                  std::string(bucket));
    }
    const int64_t until = default_retain_until(
        DefaultRetention{std::string(meta::kComplianceMode), lock_days, 0}, now_ns);
    // A longer retention the source or the default gives is kept.
    if (replica.lock.mode != meta::kComplianceMode || replica.lock.retain_until_ns < until) {
      replica.lock.mode = meta::kComplianceMode;
      replica.lock.retain_until_ns = std::max(until, replica.lock.retain_until_ns);
    }
  }
  meta::Event event;
  std::optional<meta::BlobRef> stored_blob;
  uint64_t copied = 0;
  if (!source.is_delete_marker) {
    if (source.encryption.mode == meta::EncryptionMode::kCustomer) {
      return fail(ErrorCode::kInvalidRequest,
                  "Objects encrypted with a customer-provided key (SSE-C) are not replicated.",
                  source.key);
    }
    const auto target_class = parse_storage_class(
        storage_class.empty() ? std::string_view(source.storage_class) : storage_class);
    if (!target_class) {
      return fail(ErrorCode::kInvalidStorageClass, "The storage class you specified is not valid",
                  std::string(storage_class));
    }
    replica.storage_class = storage_class_name(*target_class);
    EncryptionRequest request;
    if (source.encryption.mode == meta::EncryptionMode::kS3) request.mode = source.encryption.mode;
    std::string data_key;
    replica.encryption = CV_TRY(new_encryption(*state, request, data_key));
    auto body = CV_TRY(open_body(source, 0, source.size, nullptr));
    const std::string expected_etag = source.etag;
    BodyCheck check = [&](const BodyDigests& digests) -> Status {
      if (is_md5_etag(expected_etag) && hex_encode(digests.md5) != expected_etag) {
        return fail(ErrorCode::kBadDigest, "The replica's bytes do not match the source's ETag");
      }
      return {};
    };
    StoredBody stored = CV_TRY(store_body(*body, source.size, options_.max_object_size, true,
                                          ChecksumAlgorithm::kNone, check, *target_class,
                                          data_key));
    replica.inline_data = std::move(stored.inline_data);
    if (stored.blob) {
      replica.blobs.push_back(*stored.blob);
      stored_blob = *stored.blob;
    }
    copied = stored.digests.size;
  }
  replica.lifecycle_due_ns = first_due(*state, replica);
  event = event_of(replica, replica.is_delete_marker ? "s3:ObjectRemoved:DeleteMarkerCreated"
                                                     : "s3:ObjectCreated:Put",
                   to_unix_nanos(clock_.now()), ChangeOrigin{});
  std::optional<meta::ReplicationOutcome> ended;
  if (settle) {
    ended = *settle;
    ended->bytes = copied;
  }
  auto written = meta_.put_replica(replica, event, ended);
  if (!written || *written == meta::ReplicaWrite::kAlreadyThere) {
    if (stored_blob) (void)blobs_.remove(stored_blob->blob_id);
    if (!written) return fail(written.error());
    return ReplicaResult{meta::ReplicaWrite::kAlreadyThere, 0};
  }
  return ReplicaResult{meta::ReplicaWrite::kWritten, copied};
}

Status Vault::settle_replication(const meta::ReplicationOutcome& outcome) {
  return meta_.settle_replication(outcome);
}

Status Vault::set_replication_status(std::string_view bucket, std::string_view key,
                                     std::string_view version_id, std::string_view status) {
  return meta_.set_replication_status(bucket, key, version_id, status);
}

Status Vault::queue_replication(const std::vector<meta::Event>& events) {
  return meta_.queue_replication(events);
}

Result<std::vector<meta::ReplicationStats>> Vault::replication_stats(std::string_view bucket) {
  return meta_.replication_stats(bucket);
}

Status Vault::set_task_payload(int64_t task_id, std::string_view payload) {
  return meta_.set_task_payload(task_id, payload);
}

Result<BackupReceipts> Vault::backup_receipts(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kBackupReceiptsConfig));
  if (!document) return BackupReceipts{};
  return backup_receipts_from_json(*document);
}

Status Vault::put_backup_receipts(std::string_view bucket, const BackupReceipts& receipts) {
  CV_TRY(get_bucket(bucket));
  auto changed = receipts.empty()
                     ? meta_.delete_bucket_config(bucket, kBackupReceiptsConfig)
                     : meta_.put_bucket_config(bucket, kBackupReceiptsConfig, to_json(receipts));
  forget_bucket(bucket);
  return changed;
}

}  // namespace cv::vault
