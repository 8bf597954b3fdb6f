// Storage tiers: moving a version's stored body between locations, restoring archived
// versions, and the pass-throughs the lifecycle worker needs.
#include <algorithm>
#include <memory>

#include "blob/zstd_frames.h"
#include "core/clock.h"
#include "vault/lifecycle_rules.h"
#include "vault/storage_class.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

constexpr size_t kCopyChunk = 1 << 20;

}  // namespace

meta::Event Vault::event_of(const meta::ObjectVersion& object, std::string name, int64_t time_ns,
                            const ChangeOrigin& origin) {
  meta::Event event;
  event.principal_id = origin.principal_id;
  event.source_ip = origin.source_ip;
  event.request_id = origin.request_id;
  event.time_ns = time_ns;
  event.name = std::move(name);
  event.bucket = object.bucket;
  event.key = object.key;
  event.version_id = object.version_id;
  event.size = object.size;
  event.etag = object.etag;
  event.storage_class = object.storage_class;
  return event;
}

meta::VersionChange Vault::change_of(const meta::ObjectVersion& object) {
  meta::VersionChange change;
  change.bucket = object.bucket;
  change.key = object.key;
  change.version_id = object.version_id;
  change.expected_mtime_ns = object.mtime_ns;
  change.expect_state = true;
  change.expected_storage_class = object.storage_class;
  change.expected_blobs = object.blobs;
  change.expected_restore = object.restore;
  return change;
}

Status Vault::replan_now(std::string_view bucket, std::string_view key,
                         std::string_view version_id) {
  if (!CV_TRY(lifecycle(bucket))) return {};
  if (auto object = CV_TRY(meta_.get_object(bucket, key, version_id))) {
    meta::VersionChange change = change_of(*object);
    change.due_ns = to_unix_nanos(clock_.now());
    (void)meta_.apply_change(change);  // a concurrent change reschedules it anyway
  }
  return {};
}

int64_t Vault::first_due(const BucketState& bucket, const meta::ObjectVersion& object) const {
  const auto& rules = bucket.lifecycle;
  if (!rules) return 0;
  const int64_t now = to_unix_nanos(clock_.now());
  // A delete marker's fate depends on the key's other versions: the worker plans the key.
  if (object.is_delete_marker) return now;
  VersionFacts facts;
  facts.key = object.key;
  facts.version_id = object.version_id;
  facts.is_latest = true;
  facts.size = object.size;
  facts.tags = object.tags;
  facts.created_ns = object.mtime_ns;
  facts.storage_class = object.storage_class;
  const auto plans =
      plan_key(*rules, std::span<const VersionFacts>(&facts, 1), now, options_.lifecycle_day_ns);
  return plans[0].action != LifecycleAction::kNone ? now : plans[0].next_due_ns;
}

Status Vault::check_readable(const meta::ObjectVersion& object) {
  const auto storage_class = parse_storage_class(object.storage_class);
  if (!storage_class || !is_archive(*storage_class)) return {};
  if (object.restore && !object.restore->ongoing) return {};
  return fail(ErrorCode::kInvalidObjectState,
              "The operation is not valid for the object's storage class", object.key);
}

// Copies each stored piece of the version (its bytes as stored: sealed when encrypted,
// decompressed from any codec) into `location`, compressed at `level` unless that is 0 or
// the body is encrypted (ciphertext does not compress). On failure nothing stays behind.
Result<std::vector<meta::BlobRef>> Vault::copy_stored_pieces(const meta::ObjectVersion& object,
                                                             const std::vector<meta::BlobRef>& from,
                                                             std::string_view location, int level) {
  const bool compress = level > 0 && object.encryption.mode == meta::EncryptionMode::kNone;
  std::vector<meta::BlobRef> copies;
  auto discard_copies = [&] {
    for (const meta::BlobRef& copy : copies) (void)blobs_.remove(copy.blob_id);
  };
  auto copy_one = [&](const meta::BlobRef* source) -> Status {
    std::unique_ptr<blob::BlobWriter> writer = CV_TRY(blobs_.create_in(location));
    blob::ZstdFrameWriter* compressor = nullptr;
    if (compress) {
      auto framed = std::make_unique<blob::ZstdFrameWriter>(std::move(writer), level);
      compressor = framed.get();
      writer = std::move(framed);
    }
    if (!source) {
      CV_TRY(writer->append(object.inline_data));
    } else {
      std::unique_ptr<blob::BlobReader> reader = CV_TRY(blobs_.open(source->blob_id));
      if (source->codec == "zstd") {
        reader = CV_TRY(blob::ZstdFrameReader::open(std::move(reader)));
      } else if (!source->codec.empty()) {
        return fail(ErrorCode::kInternalError, "unknown blob codec " + source->codec);
      }
      std::string buffer(kCopyChunk, '\0');
      for (uint64_t offset = 0; offset < reader->size();) {
        const size_t n = CV_TRY(reader->read_at(offset, buffer));
        if (n == 0) return fail(ErrorCode::kInternalError, "blob shorter than its size");
        CV_TRY(writer->append(std::string_view(buffer.data(), n)));
        offset += n;
      }
    }
    const uint64_t stored = compressor ? 0 : writer->size();
    std::string id = CV_TRY(writer->commit());
    meta::BlobRef copy;
    copy.blob_id = std::move(id);
    copy.size = source ? source->size : object.size;
    copy.stored_size = compressor ? compressor->stored_size() : stored;
    copy.codec = compress ? "zstd" : "";
    copies.push_back(std::move(copy));
    return {};
  };
  if (from.empty()) {
    if (auto copied = copy_one(nullptr); !copied) {
      discard_copies();
      return fail(copied.error());
    }
  }
  for (const meta::BlobRef& source : from) {
    if (auto copied = copy_one(&source); !copied) {
      discard_copies();
      return fail(copied.error());
    }
  }
  return copies;
}

Status Vault::transition(const meta::ObjectVersion& object, std::string_view storage_class,
                         int64_t next_due_ns, std::optional<meta::Event> event) {
  const auto target = parse_storage_class(storage_class);
  if (!target) return fail(ErrorCode::kInvalidStorageClass, {}, std::string(storage_class));
  meta::ObjectVersion source = object;
  if (source.blobs.empty()) {
    // Listings and key_versions leave inline bodies out: fetch the version whole.
    source =
        CV_TRY(meta_.get_object(object.bucket, object.key, object.version_id)).value_or(object);
  }
  auto copies = CV_TRY(copy_stored_pieces(source, source.blobs, storage_location(*target),
                                          compression_level(*target)));
  meta::VersionChange change = change_of(object);
  change.storage_class = std::string(storage_class_name(*target));
  change.blobs = copies;
  change.restore = std::optional<meta::Restore>();  // a restored copy does not survive a move
  change.due_ns = next_due_ns;
  change.event = std::move(event);
  if (auto applied = meta_.apply_change(change); !applied) {
    for (const meta::BlobRef& copy : copies) (void)blobs_.remove(copy.blob_id);
    return applied;
  }
  return {};
}

Result<bool> Vault::request_restore(std::string_view bucket, std::string_view key,
                                    std::string_view version_id, int days,
                                    const ChangeOrigin& origin) {
  const meta::ObjectVersion object = CV_TRY(get_object(bucket, key, version_id));
  const auto storage_class = parse_storage_class(object.storage_class);
  if (!storage_class || !is_archive(*storage_class)) {
    return fail(ErrorCode::kInvalidObjectState,
                "Restore is not allowed for the object's current storage class", object.key);
  }
  if (object.restore && object.restore->ongoing) {
    return fail(ErrorCode::kRestoreAlreadyInProgress, {}, object.key);
  }
  const int64_t now = to_unix_nanos(clock_.now());
  meta::Restore restore = object.restore.value_or(meta::Restore{});
  const bool restored = object.restore.has_value();
  restore.days = days;
  if (restored) {
    restore.expiry_ns = now + days * options_.lifecycle_day_ns;
  } else {
    restore.ongoing = true;
  }
  meta::VersionChange change = change_of(object);
  change.restore = restore;
  change.due_ns = now;  // the worker makes the copy, or reschedules the expiry
  change.event = event_of(object, "s3:ObjectRestore:Post", now, origin);
  CV_TRY(meta_.apply_change(change));
  return restored;
}

Status Vault::finish_restore(const meta::ObjectVersion& object, int64_t next_due_ns) {
  if (!object.restore || !object.restore->ongoing) return {};
  auto copies = CV_TRY(copy_stored_pieces(object, object.blobs, "", 0));
  const int64_t now = to_unix_nanos(clock_.now());
  meta::Restore restore;
  restore.days = object.restore->days;
  restore.expiry_ns = now + restore.days * options_.lifecycle_day_ns;
  restore.blobs = copies;
  meta::VersionChange change = change_of(object);
  change.restore = restore;
  change.due_ns = next_due_ns == 0 ? restore.expiry_ns : std::min(next_due_ns, restore.expiry_ns);
  change.event = event_of(object, "s3:ObjectRestore:Completed", now);
  if (auto applied = meta_.apply_change(change); !applied) {
    for (const meta::BlobRef& copy : copies) (void)blobs_.remove(copy.blob_id);
    return applied;
  }
  return {};
}

Status Vault::drop_restore(const meta::ObjectVersion& object, int64_t next_due_ns) {
  if (!object.restore) return {};
  meta::VersionChange change = change_of(object);
  change.restore = std::optional<meta::Restore>();
  change.due_ns = next_due_ns;
  change.event = event_of(object, "s3:ObjectRestore:Delete", to_unix_nanos(clock_.now()));
  return meta_.apply_change(change);
}

Status Vault::expire_current(const meta::ObjectVersion& object, meta::Event event) {
  meta::VersionChange change = change_of(object);
  const int64_t now = to_unix_nanos(clock_.now());
  const auto state = CV_TRY(bucket_state(object.bucket));
  if (state->versioning == Versioning::kUnversioned) {
    change.kind = meta::VersionChange::Kind::kDelete;
    event.name = "s3:LifecycleExpiration:Delete";
  } else {
    change.kind = meta::VersionChange::Kind::kAddDeleteMarker;
    change.marker.bucket = object.bucket;
    change.marker.key = object.key;
    change.marker.version_id = CV_TRY(next_version_id(*state));
    change.marker.is_delete_marker = true;
    change.marker.mtime_ns = now;
    change.marker.owner_id = object.owner_id;
    change.marker.content_type.clear();
    event.name = "s3:LifecycleExpiration:DeleteMarkerCreated";
    event.version_id = change.marker.version_id;
  }
  change.event = std::move(event);
  return meta_.apply_change(change);
}

Status Vault::apply_change(const meta::VersionChange& change) { return meta_.apply_change(change); }

Result<std::vector<meta::DueVersion>> Vault::due_versions(int64_t now_ns, size_t max) {
  return meta_.due_versions(now_ns, max);
}

Result<std::vector<meta::ObjectVersion>> Vault::key_versions(std::string_view bucket,
                                                             std::string_view key) {
  return meta_.key_versions(bucket, key);
}

Result<std::vector<meta::Event>> Vault::events(int64_t after_seq, size_t max) {
  return meta_.list_events(after_seq, max);
}

Result<int64_t> Vault::consumer_position(std::string_view consumer) {
  return meta_.consumer_position(consumer);
}

Result<std::vector<meta::OutboxTask>> Vault::outbox_tasks(std::string_view consumer,
                                                          bool failed_only, int64_t after_id,
                                                          size_t max) {
  return meta_.list_tasks(consumer, failed_only, after_id, max);
}

Result<std::vector<meta::OutboxTask>> Vault::outbox_tasks_with_payload(std::string_view consumer,
                                                                       std::string_view target,
                                                                       std::string_view payload,
                                                                       size_t max) {
  return meta_.tasks_with_payload(consumer, target, payload, max);
}

Result<uint64_t> Vault::retry_outbox_tasks(std::string_view consumer, int64_t task_id) {
  return meta_.retry_tasks(consumer, task_id, to_unix_nanos(clock_.now()));
}

Result<uint64_t> Vault::prune_events(std::chrono::seconds retention) {
  constexpr size_t kBatch = 10'000;  // one write transaction each, so writers are not held up
  const int64_t before = to_unix_nanos(clock_.now() - retention);
  uint64_t pruned = 0;
  while (true) {
    const uint64_t removed = CV_TRY(meta_.prune_events(before, kBatch));
    pruned += removed;
    if (removed < kBatch) return pruned;
  }
}

Result<std::vector<meta::Bucket>> Vault::all_buckets() { return meta_.list_buckets(); }

Result<std::vector<meta::ClassUsage>> Vault::usage_by_class(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  return meta_.usage_by_class(bucket);
}

}  // namespace cv::vault
