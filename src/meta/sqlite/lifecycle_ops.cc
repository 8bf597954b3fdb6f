#include "meta/sqlite/lifecycle_ops.h"

#include <map>

#include "meta/sqlite/blob_ref_ops.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"
#include "meta/sqlite/outbox_ops.h"
#include "meta/sqlite/record_codec.h"

namespace cv::meta::sqlite {
namespace {

struct GuardedRow {
  int64_t id = 0;
  bool is_latest = false;
  std::string blobs;    // the blobs column
  std::string storage;  // the storage column
};

// The version's row, if it still is the version the change was planned on.
Result<GuardedRow> find_guarded_row(Connection& db, const VersionChange& change) {
  auto stmt = CV_TRY(
      db.prepare("SELECT id, mtime_ns, is_latest, blobs, storage, storage_class FROM objects "
                 "INDEXED BY object_versions_by_key "
                 "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
  stmt.bind_text(1, change.bucket).bind_blob(2, change.key).bind_text(3, change.version_id);
  if (!CV_TRY(stmt.step())) {
    return fail(ErrorCode::kNoSuchVersion, "The specified version does not exist.", change.key);
  }
  if (change.expected_mtime_ns != 0 && stmt.column_int(1) != change.expected_mtime_ns) {
    return fail(ErrorCode::kPreconditionFailed, "the version was replaced", change.key);
  }
  if (change.expect_state) {
    Encryption encryption;
    std::optional<Restore> restore;
    CV_TRY(decode_storage(stmt.column_bytes(4), encryption, restore));
    if (stmt.column_bytes(5) != change.expected_storage_class ||
        stmt.column_bytes(3) != encode_blobs(change.expected_blobs) ||
        encode_storage(encryption, restore) !=
            encode_storage(encryption, change.expected_restore)) {
      return fail(ErrorCode::kPreconditionFailed, "the version changed meanwhile", change.key);
    }
  }
  return GuardedRow{stmt.column_int(0), stmt.column_int(2) != 0, stmt.column_string(3),
                    stmt.column_string(4)};
}

Status update_version(Connection& db, const VersionChange& change, const GuardedRow& row) {
  std::vector<BlobRef> old_refs = CV_TRY(referenced_blobs(row.blobs, row.storage));
  std::vector<BlobRef> blobs = CV_TRY(decode_blobs(row.blobs));
  Encryption encryption;
  std::optional<Restore> restore;
  CV_TRY(decode_storage(row.storage, encryption, restore));
  if (change.blobs) blobs = *change.blobs;
  if (change.restore) restore = *change.restore;
  std::vector<BlobRef> new_refs = blobs;
  if (restore) new_refs.insert(new_refs.end(), restore->blobs.begin(), restore->blobs.end());

  const std::string blobs_column = encode_blobs(blobs);
  const std::string storage_column = encode_storage(encryption, restore);
  auto stmt = CV_TRY(db.prepare(
      "UPDATE objects SET storage_class = coalesce(?2, storage_class), blobs = ?3, "
      "storage = ?4, due_ns = ?5, inline_data = CASE WHEN ?6 THEN x'' ELSE inline_data END "
      "WHERE id = ?1"));
  stmt.bind_int(1, row.id);
  if (change.storage_class) {
    stmt.bind_text(2, *change.storage_class);
  } else {
    stmt.bind_null(2);
  }
  stmt.bind_text_or_null(3, blobs_column).bind_text_or_null(4, storage_column);
  if (change.due_ns != 0) {
    stmt.bind_int(5, change.due_ns);
  } else {
    stmt.bind_null(5);
  }
  stmt.bind_int(6, change.blobs ? 1 : 0);
  CV_TRY(stmt.run());
  // New references first: a blob kept by the change never drops to zero.
  CV_TRY(add_blob_refs(db, new_refs));
  return drop_blob_refs(db, old_refs);
}

}  // namespace

Result<std::vector<DueVersion>> read_due_versions(Connection& db, int64_t now_ns, size_t max) {
  auto stmt = CV_TRY(
      db.prepare("SELECT bucket, key, version_id, due_ns FROM objects INDEXED BY objects_by_due "
                 "WHERE due_ns IS NOT NULL AND due_ns <= ?1 ORDER BY due_ns LIMIT ?2"));
  stmt.bind_int(1, now_ns).bind_int(2, static_cast<int64_t>(max));
  std::vector<DueVersion> due;
  while (CV_TRY(stmt.step())) {
    due.push_back(DueVersion{stmt.column_string(0), stmt.column_string(1), stmt.column_string(2),
                             stmt.column_int(3)});
  }
  return due;
}

Result<std::vector<ObjectVersion>> read_key_versions(Connection& db, std::string_view bucket,
                                                     std::string_view key) {
  // The same columns as a full read, with the inline body left out.
  auto stmt = CV_TRY(db.prepare(
      "SELECT key, version_id, is_delete_marker, size, etag, mtime_ns, owner_id, storage_class, "
      "content_type, checksum_algorithm, checksum_value, parts_count, attributes, tags, blobs, "
      "x'', is_latest, storage, due_ns, noncurrent_ns, replication, checksum_type, "
      "part_checksums, acl, lock_mode, lock_until_ns, legal_hold FROM objects "
      "INDEXED BY object_versions_by_key WHERE bucket = ?1 AND key = ?2 "
      "ORDER BY is_latest DESC, created_seq DESC"));
  stmt.bind_text(1, bucket).bind_blob(2, key);
  std::vector<ObjectVersion> versions;
  while (CV_TRY(stmt.step())) versions.push_back(CV_TRY(object_from_row(stmt, bucket)));
  return versions;
}

Status write_change(Connection& db, const VersionChange& change) {
  const GuardedRow row = CV_TRY(find_guarded_row(db, change));
  switch (change.kind) {
    case VersionChange::Kind::kUpdate:
      CV_TRY(update_version(db, change, row));
      break;
    case VersionChange::Kind::kDelete:
      CV_TRY(remove_object(db, change.bucket, change.key, change.version_id,
                           LockGuard{.now_ns = change.now_ns}));
      break;
    case VersionChange::Kind::kAddDeleteMarker:
      if (!row.is_latest) {
        return fail(ErrorCode::kPreconditionFailed, "the version is no longer current", change.key);
      }
      CV_TRY(write_object(db, change.marker));
      break;
  }
  if (change.event) CV_TRY(append_event(db, *change.event));
  return {};
}

Status write_bucket_due(Connection& db, std::string_view bucket, int64_t due_ns) {
  CV_TRY(require_bucket(db, bucket));
  auto stmt = CV_TRY(db.prepare("UPDATE objects SET due_ns = ?2 WHERE bucket = ?1"));
  stmt.bind_text(1, bucket);
  if (due_ns != 0) {
    stmt.bind_int(2, due_ns);
  } else {
    stmt.bind_null(2);
  }
  return stmt.run();
}

Result<std::vector<ClassUsage>> read_usage_by_class(Connection& db, std::string_view bucket) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, bucket));
  // One pass over the bucket's rows: usage is a report, not a request-path query.
  auto stmt = CV_TRY(
      db.prepare("SELECT storage_class, is_latest, size, blobs, storage, length(inline_data) "
                 "FROM objects WHERE bucket = ?1 AND is_delete_marker = 0"));
  stmt.bind_text(1, bucket);
  std::map<std::string, ClassUsage> by_class;
  while (CV_TRY(stmt.step())) {
    ClassUsage& usage = by_class[stmt.column_string(0)];
    if (stmt.column_int(1) != 0) ++usage.objects;
    ++usage.versions;
    usage.logical_bytes += static_cast<uint64_t>(stmt.column_int(2));
    const std::vector<BlobRef> blobs = CV_TRY(decode_blobs(stmt.column_bytes(3)));
    if (blobs.empty()) usage.stored_bytes += static_cast<uint64_t>(stmt.column_int(5));
    for (const BlobRef& blob : blobs) {
      usage.stored_bytes += blob.stored_size != 0 ? blob.stored_size : blob.size;
    }
    Encryption encryption;
    std::optional<Restore> restore;
    CV_TRY(decode_storage(stmt.column_bytes(4), encryption, restore));
    if (restore) {
      for (const BlobRef& blob : restore->blobs) {
        usage.restored_bytes += blob.stored_size != 0 ? blob.stored_size : blob.size;
      }
    }
  }
  std::vector<ClassUsage> usage;
  for (auto& [name, entry] : by_class) {
    entry.storage_class = name;
    usage.push_back(std::move(entry));
  }
  return usage;
}

}  // namespace cv::meta::sqlite
