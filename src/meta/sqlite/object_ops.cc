#include "meta/sqlite/object_ops.h"

#include "meta/sqlite/blob_ref_ops.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/record_codec.h"

namespace cv::meta::sqlite {
namespace {

#define CV_OBJECT_COLUMNS \
  "SELECT " CV_OBJECT_ROW_COLUMNS " FROM objects INDEXED BY object_versions_by_key "

}  // namespace

Result<ObjectVersion> object_from_row(const Statement& row, std::string_view bucket) {
  ObjectVersion object;
  object.bucket.assign(bucket);
  object.key = row.column_string(0);
  object.version_id = row.column_string(1);
  object.is_delete_marker = row.column_int(2) != 0;
  object.size = static_cast<uint64_t>(row.column_int(3));
  object.etag = row.column_string(4);
  object.mtime_ns = row.column_int(5);
  object.owner_id = row.column_string(6);
  object.storage_class = row.column_string(7);
  object.content_type = row.column_string(8);
  object.checksum_algorithm = row.column_string(9);
  object.checksum_value = row.column_string(10);
  object.parts_count = static_cast<uint32_t>(row.column_int(11));
  CV_TRY(decode_attributes(row.column_bytes(12), object.headers, object.user_metadata));
  object.tags = CV_TRY(decode_pairs(row.column_bytes(13)));
  object.blobs = CV_TRY(decode_blobs(row.column_bytes(14)));
  object.inline_data = row.column_string(15);
  object.is_latest = row.column_int(16) != 0;
  CV_TRY(decode_storage(row.column_bytes(17), object.encryption, object.restore));
  object.lifecycle_due_ns = row.column_int(18);
  object.noncurrent_since_ns = row.column_int(19);
  object.replication_status = row.column_string(20);
  object.checksum_type = row.column_string(21);
  object.part_checksums = decode_part_checksums(row.column_string(22));
  object.acl = row.column_string(23);
  object.lock.mode = row.column_string(24);
  object.lock.retain_until_ns = row.column_int(25);
  object.lock.legal_hold = row.column_int(26) != 0;
  return object;
}

std::string encode_part_checksums(const std::vector<std::string>& checksums) {
  std::string out;
  for (const std::string& checksum : checksums) {
    if (!out.empty()) out += ' ';
    out += checksum.empty() ? "-" : checksum;  // base64 has neither ' ' nor a lone '-'
  }
  return out;
}

std::vector<std::string> decode_part_checksums(std::string_view column) {
  std::vector<std::string> checksums;
  while (!column.empty()) {
    const size_t space = column.find(' ');
    const std::string_view item = column.substr(0, space);
    checksums.emplace_back(item == "-" ? std::string_view() : item);
    if (space == std::string_view::npos) break;
    column.remove_prefix(space + 1);
  }
  return checksums;
}

Status check_write_condition(Connection& db, std::string_view bucket, std::string_view key,
                             const WriteCondition& condition) {
  if (condition.empty()) return {};
  auto stmt = CV_TRY(
      db.prepare("SELECT etag, is_delete_marker FROM objects INDEXED BY object_versions_by_key "
                 "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"));
  stmt.bind_text(1, bucket).bind_blob(2, key);
  const bool exists = CV_TRY(stmt.step()) && stmt.column_int(1) == 0;
  if (condition.if_none_match && exists) {
    return fail(ErrorCode::kPreconditionFailed,
                "At least one of the pre-conditions you specified did not hold", "If-None-Match");
  }
  if (!condition.if_match.empty()) {
    if (!exists) {
      return fail(ErrorCode::kNoSuchKey, "The specified key does not exist.", std::string(key));
    }
    if (condition.if_match != "*" && stmt.column_string(0) != condition.if_match) {
      return fail(ErrorCode::kPreconditionFailed,
                  "At least one of the pre-conditions you specified did not hold", "If-Match");
    }
  }
  return {};
}

namespace {

// The rows write_object must know about: the key's current version, the version it
// replaces (often the same row), and the created_seq the written version takes.
struct KeyRows {
  std::optional<int64_t> current_id;
  std::optional<int64_t> replaced_id;
  ObjectLock replaced_lock;
  int64_t next_seq = 1;
};

Result<KeyRows> find_key_rows(Connection& db, const ObjectVersion& object) {
  // Every column is in the index: only the key's index entries are read.
  auto stmt =
      CV_TRY(db.prepare("SELECT id, is_latest, created_seq, version_id = ?3, lock_mode, "
                        "lock_until_ns, legal_hold FROM objects "
                        "INDEXED BY object_versions_by_key "
                        "WHERE bucket = ?1 AND key = ?2 AND (is_latest = 1 OR version_id = ?3)"));
  stmt.bind_text(1, object.bucket).bind_blob(2, object.key).bind_text(3, object.version_id);
  KeyRows rows;
  while (CV_TRY(stmt.step())) {
    if (stmt.column_int(1) != 0) {
      rows.current_id = stmt.column_int(0);
      rows.next_seq = stmt.column_int(2) + 1;
    }
    if (stmt.column_int(3) != 0) {
      rows.replaced_id = stmt.column_int(0);
      rows.replaced_lock =
          ObjectLock{stmt.column_string(4), stmt.column_int(5), stmt.column_int(6) != 0};
    }
  }
  return rows;
}

// Every blob the row references: its body's and its restored copy's.
Result<std::vector<BlobRef>> blobs_of_row(Connection& db, int64_t row_id) {
  auto stmt = CV_TRY(db.prepare("SELECT blobs, storage FROM objects WHERE id = ?1"));
  stmt.bind_int(1, row_id);
  if (!CV_TRY(stmt.step())) return std::vector<BlobRef>{};
  return referenced_blobs(stmt.column_bytes(0), stmt.column_bytes(1));
}

}  // namespace

Result<std::vector<BlobRef>> referenced_blobs(std::string_view blobs_column,
                                              std::string_view storage_column) {
  std::vector<BlobRef> blobs = CV_TRY(decode_blobs(blobs_column));
  Encryption encryption;
  std::optional<Restore> restore;
  CV_TRY(decode_storage(storage_column, encryption, restore));
  if (restore) blobs.insert(blobs.end(), restore->blobs.begin(), restore->blobs.end());
  return blobs;
}

std::vector<BlobRef> referenced_blobs(const ObjectVersion& object) {
  std::vector<BlobRef> blobs = object.blobs;
  if (object.restore) {
    blobs.insert(blobs.end(), object.restore->blobs.begin(), object.restore->blobs.end());
  }
  return blobs;
}

Status write_object(Connection& db, const ObjectVersion& object) {
  CV_TRY(require_bucket(db, object.bucket));
  KeyRows rows = CV_TRY(find_key_rows(db, object));
  // A version under object lock is never overwritten in place (its id is kept by a new
  // write only in unversioned or suspended buckets, which a lock bucket never is).
  if (rows.replaced_id && lock_blocks_removal(rows.replaced_lock, object.mtime_ns, false)) {
    return fail(ErrorCode::kAccessDenied, "the version is protected by object lock", object.key);
  }
  std::vector<BlobRef> replaced_blobs;
  if (rows.replaced_id) replaced_blobs = CV_TRY(blobs_of_row(db, *rows.replaced_id));
  if (rows.current_id && rows.current_id != rows.replaced_id) {
    // In a bucket with lifecycle rules the demoted version becomes due at once, so the
    // worker schedules its noncurrent-version actions.
    auto demote = CV_TRY(db.prepare(
        "UPDATE objects SET is_latest = 0, noncurrent_ns = ?2, due_ns = CASE WHEN EXISTS("
        "SELECT 1 FROM bucket_configs WHERE bucket = ?3 AND kind = 'lifecycle') THEN ?2 "
        "ELSE due_ns END WHERE id = ?1"));
    demote.bind_int(1, *rows.current_id).bind_int(2, object.mtime_ns).bind_text(3, object.bucket);
    CV_TRY(demote.run());
  }
  std::string attributes = encode_attributes(object.headers, object.user_metadata);
  std::string tags = encode_pairs(object.tags);
  std::string blobs = encode_blobs(object.blobs);
  std::string storage = encode_storage(object.encryption, object.restore);
  // Bound without a copy: must outlive the statement's run.
  std::string part_checksums = encode_part_checksums(object.part_checksums);
  // Replacing a version updates its row in place (it moves to the front of its key's
  // history); a new version is a new row.
  auto stmt = CV_TRY(db.prepare(
      rows.replaced_id
          ? "UPDATE objects SET is_latest = 1, is_delete_marker = ?4, size = ?5, etag = ?6, "
            "mtime_ns = ?7, owner_id = ?8, storage_class = ?9, content_type = ?10, "
            "checksum_algorithm = ?11, checksum_value = ?12, parts_count = ?13, "
            "attributes = ?14, tags = ?15, blobs = ?16, inline_data = ?17, created_seq = ?19, "
            "storage = ?20, due_ns = ?21, noncurrent_ns = 0, replication = ?22, "
            "checksum_type = ?23, part_checksums = ?24, acl = ?25, lock_mode = ?26, "
            "lock_until_ns = ?27, legal_hold = ?28 WHERE id = ?18"
          : "INSERT INTO objects(bucket, key, version_id, is_latest, is_delete_marker, size, "
            "etag, mtime_ns, owner_id, storage_class, content_type, checksum_algorithm, "
            "checksum_value, parts_count, attributes, tags, blobs, inline_data, created_seq, "
            "storage, due_ns, replication, checksum_type, part_checksums, acl, lock_mode, "
            "lock_until_ns, legal_hold) "
            "VALUES(?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
            "?17, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"));
  if (rows.replaced_id) {
    stmt.bind_int(18, *rows.replaced_id);
  } else {
    stmt.bind_text(1, object.bucket).bind_blob(2, object.key).bind_text(3, object.version_id);
  }
  stmt.bind_int(4, object.is_delete_marker ? 1 : 0)
      .bind_int(5, static_cast<int64_t>(object.size))
      .bind_text(6, object.etag)
      .bind_int(7, object.mtime_ns)
      .bind_text(8, object.owner_id)
      .bind_text(9, object.storage_class)
      .bind_text(10, object.content_type)
      .bind_text(11, object.checksum_algorithm)
      .bind_text(12, object.checksum_value)
      .bind_int(13, object.parts_count)
      .bind_text_or_null(14, attributes)
      .bind_text_or_null(15, tags)
      .bind_text_or_null(16, blobs)
      .bind_blob(17, object.inline_data)
      .bind_int(19, rows.next_seq)
      .bind_text_or_null(20, storage)
      .bind_text(22, object.replication_status)
      .bind_text(23, object.checksum_type)
      .bind_text(24, part_checksums)
      .bind_text_or_null(25, object.acl)
      .bind_text(26, object.lock.mode)
      .bind_int(27, object.lock.retain_until_ns)
      .bind_int(28, object.lock.legal_hold ? 1 : 0);
  if (object.lifecycle_due_ns != 0) {
    stmt.bind_int(21, object.lifecycle_due_ns);
  } else {
    stmt.bind_null(21);
  }
  CV_TRY(stmt.run());
  // New references first: a blob kept by the replacement never drops to zero.
  CV_TRY(add_blob_refs(db, referenced_blobs(object)));
  return drop_blob_refs(db, replaced_blobs);
}

Result<std::optional<ObjectVersion>> read_object(Connection& db, std::string_view bucket,
                                                 std::string_view key,
                                                 std::string_view version_id) {
  auto stmt = CV_TRY(db.prepare(
      version_id.empty() ? CV_OBJECT_COLUMNS "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"
                         : CV_OBJECT_COLUMNS "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
  stmt.bind_text(1, bucket).bind_blob(2, key);
  if (!version_id.empty()) stmt.bind_text(3, version_id);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return CV_TRY(object_from_row(stmt, bucket));
}

Result<std::optional<CurrentObjectRow>> read_current_object_row(Connection& db,
                                                                std::string_view bucket,
                                                                std::string_view key) {
  auto stmt = CV_TRY(db.prepare("SELECT " CV_OBJECT_ROW_COLUMNS
                                ", id FROM objects INDEXED BY object_versions_by_key "
                                "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"));
  stmt.bind_text(1, bucket).bind_blob(2, key);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  constexpr int kIdColumn = 27;  // after CV_OBJECT_ROW_COLUMNS' 27 columns
  return CurrentObjectRow{stmt.column_int(kIdColumn), CV_TRY(object_from_row(stmt, bucket))};
}

Result<DeleteOutcome> remove_object(Connection& db, std::string_view bucket, std::string_view key,
                                    std::string_view version_id, const LockGuard& guard) {
  CV_TRY(require_bucket(db, bucket));
  DeleteOutcome outcome;
  int64_t row_id = 0;
  bool was_latest = false;
  std::vector<BlobRef> blobs;
  {
    auto stmt = CV_TRY(db.prepare(
        version_id.empty()
            ? "SELECT id, version_id, is_latest, is_delete_marker, blobs, storage, lock_mode, "
              "lock_until_ns, legal_hold FROM objects "
              "INDEXED BY object_versions_by_key WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"
            : "SELECT id, version_id, is_latest, is_delete_marker, blobs, storage, lock_mode, "
              "lock_until_ns, legal_hold FROM objects INDEXED BY object_versions_by_key "
              "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
    stmt.bind_text(1, bucket).bind_blob(2, key);
    if (!version_id.empty()) stmt.bind_text(3, version_id);
    if (!CV_TRY(stmt.step())) {
      outcome.version_id.assign(version_id);
      return outcome;
    }
    row_id = stmt.column_int(0);
    outcome.version_id = stmt.column_string(1);
    was_latest = stmt.column_int(2) != 0;
    outcome.delete_marker = stmt.column_int(3) != 0;
    blobs = CV_TRY(referenced_blobs(stmt.column_bytes(4), stmt.column_bytes(5)));
    const ObjectLock lock{stmt.column_string(6), stmt.column_int(7), stmt.column_int(8) != 0};
    if (lock_blocks_removal(lock, guard.now_ns, guard.bypass_governance)) {
      return fail(ErrorCode::kAccessDenied, "the version is protected by object lock",
                  std::string(key));
    }
  }
  {
    auto stmt = CV_TRY(db.prepare("DELETE FROM objects WHERE id = ?1"));
    stmt.bind_int(1, row_id);
    CV_TRY(stmt.run());
  }
  outcome.existed = true;
  CV_TRY(drop_blob_refs(db, blobs));
  if (was_latest) {
    // No version of the key is current now; the first index entry is the newest.
    auto promote = CV_TRY(db.prepare(
        "UPDATE objects SET is_latest = 1, noncurrent_ns = 0 WHERE id = (SELECT id FROM objects "
        "INDEXED BY object_versions_by_key WHERE bucket = ?1 AND key = ?2 "
        "ORDER BY is_latest DESC, created_seq DESC LIMIT 1)"));
    promote.bind_text(1, bucket).bind_blob(2, key);
    CV_TRY(promote.run());
  }
  return outcome;
}

Status write_object_tags(Connection& db, std::string_view bucket, std::string_view key,
                         std::string_view version_id, const StringPairs& tags) {
  std::string encoded = encode_pairs(tags);
  auto stmt = CV_TRY(db.prepare(
      version_id.empty() ? "UPDATE objects INDEXED BY object_versions_by_key SET tags = ?3 "
                           "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"
                         : "UPDATE objects INDEXED BY object_versions_by_key SET tags = ?3 "
                           "WHERE bucket = ?1 AND key = ?2 AND version_id = ?4"));
  stmt.bind_text(1, bucket).bind_blob(2, key).bind_text_or_null(3, encoded);
  if (!version_id.empty()) stmt.bind_text(4, version_id);
  CV_TRY(stmt.run());
  if (stmt.changes() > 0) return {};
  CV_TRY(require_bucket(db, bucket));
  return fail(ErrorCode::kNoSuchKey, {}, std::string(key));
}

Status write_object_acl(Connection& db, std::string_view bucket, std::string_view key,
                        std::string_view version_id, std::string_view acl) {
  auto stmt = CV_TRY(db.prepare(
      version_id.empty() ? "UPDATE objects INDEXED BY object_versions_by_key SET acl = ?3 "
                           "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"
                         : "UPDATE objects INDEXED BY object_versions_by_key SET acl = ?3 "
                           "WHERE bucket = ?1 AND key = ?2 AND version_id = ?4"));
  stmt.bind_text(1, bucket).bind_blob(2, key).bind_text_or_null(3, acl);
  if (!version_id.empty()) stmt.bind_text(4, version_id);
  CV_TRY(stmt.run());
  if (stmt.changes() > 0) return {};
  CV_TRY(require_bucket(db, bucket));
  if (version_id.empty()) return fail(ErrorCode::kNoSuchKey, {}, std::string(key));
  return fail(ErrorCode::kNoSuchVersion, {}, std::string(key));
}

#undef CV_OBJECT_COLUMNS

}  // namespace cv::meta::sqlite
