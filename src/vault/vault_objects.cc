#include <fmt/format.h>

#include "core/encoding.h"
#include "core/hash.h"
#include "core/ids.h"
#include "vault/stored_body.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

constexpr size_t kMaxUserMetadataBytes = 2048;

Status validate_attributes(const meta::ObjectVersion& attributes) {
  size_t metadata_bytes = 0;
  for (const auto& [name, value] : attributes.user_metadata) {
    metadata_bytes += name.size() + value.size();
  }
  if (metadata_bytes > kMaxUserMetadataBytes) {
    return fail(ErrorCode::kMetadataTooLarge,
                "Your metadata headers exceed the maximum allowed metadata size.");
  }
  return {};
}

}  // namespace

Result<std::string> Vault::next_version_id(const BucketState& bucket) {
  if (bucket.versioning != Versioning::kEnabled) return std::string("null");
  // Creation time first, so ids sort by age; random bits make them unguessable and unique.
  return fmt::format("{:016x}{}", to_unix_nanos(clock_.now()), random_id_hex(8));
}

Result<meta::ObjectVersion> Vault::put_object(PutObjectInput& input) {
  CV_TRY(validate_key(input.key));
  CV_TRY(validate_attributes(input.attributes));
  const std::shared_ptr<const BucketState> state =
      input.bucket_state && input.bucket_state->bucket.name == input.bucket
          ? input.bucket_state
          : CV_TRY(bucket_state(input.bucket));
  const auto storage_class = parse_storage_class(input.attributes.storage_class);
  if (!storage_class) {
    return fail(ErrorCode::kInvalidStorageClass, "The storage class you specified is not valid",
                input.attributes.storage_class);
  }
  input.attributes.storage_class = storage_class_name(*storage_class);
  const std::string version_id = CV_TRY(next_version_id(*state));
  // The lock asked for is checked before the body is read; the default retention counts
  // from the version's write time.
  const meta::ObjectLock requested_lock = input.attributes.lock;
  CV_TRY(lock_for_new_version(*state, requested_lock, to_unix_nanos(clock_.now())));
  const auto& lock_config = state->object_lock;
  const auto algorithm =
      parse_checksum_name(input.attributes.checksum_algorithm).value_or(ChecksumAlgorithm::kNone);
  std::string data_key;  // the new body's, empty when it is stored plain
  const meta::Encryption encryption =
      CV_TRY(new_encryption(*state, input.encryption, data_key));
  StoredBody stored = CV_TRY(store_body(*input.body, input.expected_size, options_.max_part_size,
                                        true, algorithm, input.check, *storage_class, data_key));
  meta::ObjectVersion object = std::move(input.attributes);
  object.bucket = input.bucket;
  object.key = input.key;
  object.version_id = version_id;
  object.is_delete_marker = false;
  object.size = stored.digests.size;
  object.etag = encryption.mode == meta::EncryptionMode::kCustomer
                    ? customer_etag(data_key, stored.digests.md5)
                    : hex_encode(stored.digests.md5);
  object.encryption = encryption;
  object.mtime_ns = to_unix_nanos(clock_.now());
  object.lock = new_version_lock(requested_lock, lock_config, object.mtime_ns);
  object.checksum_value =
      stored.digests.checksum.empty() ? "" : base64_encode(stored.digests.checksum);
  object.checksum_type = object.checksum_value.empty() ? "" : "FULL_OBJECT";
  object.part_checksums.clear();
  object.parts_count = 0;
  object.inline_data = std::move(stored.inline_data);
  object.blobs.clear();
  if (stored.blob) object.blobs.push_back(*stored.blob);
  object.lifecycle_due_ns = first_due(*state, object);
  object.replication_status = initial_replication_status(*state, object);
  const meta::Event event = event_of(object, input.event_name, object.mtime_ns, input.origin);
  if (auto status = meta_.put_object(object, event, input.condition); !status) {
    if (stored.blob) (void)blobs_.remove(stored.blob->blob_id);
    return fail(status.error());
  }
  object.inline_data.clear();
  return object;
}

Result<meta::ObjectVersion> Vault::get_object(std::string_view bucket, std::string_view key,
                                              std::string_view version_id) {
  auto object = CV_TRY(get_version(bucket, key, version_id));
  if (object.is_delete_marker) {
    if (version_id.empty()) {
      return fail(ErrorCode::kNoSuchKey, "The specified key does not exist.", std::string(key));
    }
    return fail(ErrorCode::kMethodNotAllowed,
                "The specified method is not allowed against this resource.", std::string(key));
  }
  return object;
}

Result<meta::ObjectVersion> Vault::get_version(std::string_view bucket, std::string_view key,
                                               std::string_view version_id) {
  auto object = CV_TRY(meta_.get_object(bucket, key, version_id));
  if (!object) {
    CV_TRY(get_bucket(bucket));
    if (!version_id.empty() && version_id != "null") {
      return fail(ErrorCode::kNoSuchVersion, "The specified version does not exist.",
                  std::string(key));
    }
    return fail(ErrorCode::kNoSuchKey, "The specified key does not exist.", std::string(key));
  }
  return std::move(*object);
}

Result<ReadableBody> Vault::readable_body(const meta::ObjectVersion& object,
                                          const CustomerKey* customer_key) {
  CV_TRY(check_readable(object));
  std::string data_key =
      CV_TRY(data_key_for(object.encryption, customer_key, KeyUse::kObject, object.key));
  return ReadableBody(blobs_, object, std::move(data_key));
}

Result<std::unique_ptr<ByteSource>> Vault::open_body(const meta::ObjectVersion& object,
                                                     uint64_t offset, uint64_t length,
                                                     const CustomerKey* customer_key) {
  const ReadableBody body = CV_TRY(readable_body(object, customer_key));
  return body.open(offset, length);
}

Result<meta::DeleteOutcome> Vault::delete_object(std::string_view bucket, std::string_view key,
                                                 std::string_view version_id,
                                                 const ChangeOrigin& origin,
                                                 bool bypass_governance) {
  const auto state = CV_TRY(bucket_state(bucket));
  if (!version_id.empty() || state->versioning == Versioning::kUnversioned) {
    meta::ObjectVersion removed;
    removed.bucket = bucket;
    removed.key = key;
    removed.version_id = version_id;  // the store names the removed version when empty
    const meta::Event event =
        event_of(removed, "s3:ObjectRemoved:Delete", to_unix_nanos(clock_.now()), origin);
    const meta::LockGuard guard{.now_ns = event.time_ns, .bypass_governance = bypass_governance};
    const auto outcome = CV_TRY(meta_.delete_object(bucket, key, version_id, event, guard));
    // The key's remaining versions may now be due (a delete marker left alone).
    if (outcome.existed && !version_id.empty()) CV_TRY(replan_now(bucket, key, ""));
    return outcome;
  }
  CV_TRY(validate_key(key));
  meta::ObjectVersion marker;
  marker.bucket = bucket;
  marker.key = key;
  marker.version_id = CV_TRY(next_version_id(*state));
  marker.is_delete_marker = true;
  marker.mtime_ns = to_unix_nanos(clock_.now());
  marker.content_type.clear();
  marker.lifecycle_due_ns = first_due(*state, marker);
  marker.replication_status = initial_replication_status(*state, marker);
  CV_TRY(meta_.put_object(
      marker, event_of(marker, "s3:ObjectRemoved:DeleteMarkerCreated", marker.mtime_ns, origin)));
  return meta::DeleteOutcome{
      .existed = true, .version_id = marker.version_id, .delete_marker = true};
}

Status Vault::put_object_tags(std::string_view bucket, std::string_view key,
                              std::string_view version_id, const meta::StringPairs& tags,
                              const ChangeOrigin& origin) {
  // The version the event names (and NoSuchBucket / NoSuchKey / NoSuchVersion before any
  // change).
  const meta::ObjectVersion tagged = CV_TRY(get_object(bucket, key, version_id));
  const meta::Event event =
      event_of(tagged, tags.empty() ? "s3:ObjectTagging:Delete" : "s3:ObjectTagging:Put",
               to_unix_nanos(clock_.now()), origin);
  CV_TRY(meta_.put_object_tags(bucket, key, tagged.version_id, tags, event));
  // Tags decide which rules apply.
  return replan_now(bucket, key, version_id);
}

Status Vault::put_object_acl(std::string_view bucket, std::string_view key,
                             std::string_view version_id, std::string_view acl) {
  return meta_.put_object_acl(bucket, key, version_id, acl);
}

Result<meta::ListObjectsPage> Vault::list_objects(const meta::ListObjectsQuery& query) {
  CV_TRY(get_bucket(query.bucket));
  return meta_.list_objects(query);
}

Result<meta::ListVersionsPage> Vault::list_object_versions(const meta::ListVersionsQuery& query) {
  CV_TRY(get_bucket(query.bucket));
  return meta_.list_object_versions(query);
}

}  // namespace cv::vault
