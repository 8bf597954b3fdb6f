#include "meta/sqlite/multipart_ops.h"

#include "meta/listing.h"
#include "meta/sqlite/blob_ref_ops.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"
#include "meta/sqlite/record_codec.h"

namespace cv::meta::sqlite {
namespace {

std::unexpected<Error> no_such_upload(std::string_view upload_id) {
  return fail(ErrorCode::kNoSuchUpload, {}, std::string(upload_id));
}

Result<std::optional<std::pair<std::string, std::string>>> upload_location(
    Connection& db, std::string_view upload_id) {
  auto stmt = CV_TRY(db.prepare("SELECT bucket, key FROM uploads WHERE upload_id = ?1"));
  stmt.bind_text(1, upload_id);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return std::pair(stmt.column_string(0), stmt.column_string(1));
}

// Deletes the upload's parts and the upload; returns the blobs the parts referenced.
Result<std::vector<BlobRef>> delete_upload_rows(Connection& db, std::string_view upload_id) {
  std::vector<BlobRef> blobs;
  {
    auto stmt =
        CV_TRY(db.prepare("DELETE FROM parts WHERE upload_id = ?1 RETURNING blob_id, blob_size"));
    stmt.bind_text(1, upload_id);
    while (CV_TRY(stmt.step())) {
      if (!stmt.column_is_null(0)) {
        blobs.push_back(BlobRef{.blob_id = stmt.column_string(0),
                                .size = static_cast<uint64_t>(stmt.column_int(1))});
      }
    }
  }
  auto stmt = CV_TRY(db.prepare("DELETE FROM uploads WHERE upload_id = ?1"));
  stmt.bind_text(1, upload_id);
  CV_TRY(stmt.run());
  return blobs;
}

Part part_from_row(const Statement& row) {
  Part part;
  part.upload_id = row.column_string(0);
  part.part_number = static_cast<uint32_t>(row.column_int(1));
  part.etag = row.column_string(2);
  part.size = static_cast<uint64_t>(row.column_int(3));
  part.mtime_ns = row.column_int(4);
  part.checksum_value = row.column_string(5);
  if (!row.column_is_null(6)) {
    part.blob =
        BlobRef{.blob_id = row.column_string(6), .size = static_cast<uint64_t>(row.column_int(7))};
  }
  return part;
}

Status require_upload(Connection& db, std::string_view upload_id) {
  auto stmt = CV_TRY(db.prepare("SELECT 1 FROM uploads WHERE upload_id = ?1"));
  stmt.bind_text(1, upload_id);
  if (!CV_TRY(stmt.step())) return no_such_upload(upload_id);
  return {};
}

Result<MultipartUpload> upload_from_row(const Statement& row, std::string_view bucket) {
  MultipartUpload upload;
  upload.upload_id = row.column_string(0);
  upload.bucket.assign(bucket);
  upload.key = row.column_string(1);
  upload.initiated_ns = row.column_int(2);
  upload.owner_id = row.column_string(3);
  ObjectVersion& object = upload.object;
  object.bucket = upload.bucket;
  object.key = upload.key;
  object.owner_id = upload.owner_id;
  object.storage_class = row.column_string(4);
  object.content_type = row.column_string(5);
  object.checksum_algorithm = row.column_string(6);
  CV_TRY(decode_attributes(row.column_bytes(7), object.headers, object.user_metadata));
  object.tags = CV_TRY(decode_pairs(row.column_bytes(8)));
  std::optional<Restore> no_restore;
  CV_TRY(decode_storage(row.column_bytes(9), object.encryption, no_restore));
  object.checksum_type = row.column_string(10);
  object.acl = row.column_string(11);
  object.lock.mode = row.column_string(12);
  object.lock.retain_until_ns = row.column_int(13);
  object.lock.legal_hold = row.column_int(14) != 0;
  return upload;
}

#define CV_UPLOAD_COLUMNS                                                                  \
  "SELECT upload_id, key, initiated_ns, owner_id, storage_class, content_type, "           \
  "checksum_algorithm, attributes, tags, storage, checksum_type, acl, lock_mode, "         \
  "lock_until_ns, legal_hold FROM uploads "

// Uploads of one bucket ordered by (key, initiated_ns, upload_id), below an optional
// exclusive key bound. Positioned by seek() (at a key) or resume_after() (after an upload).
class UploadCursor final : public KeyCursor<MultipartUpload> {
 public:
  UploadCursor(Connection& db, std::string_view bucket, std::optional<std::string> end)
      : db_(db), bucket_(bucket), end_(std::move(end)) {}

  Status seek(std::string_view from) override {
    active_.reset();
    active_.emplace(
        CV_TRY(db_.prepare(end_ ? CV_UPLOAD_COLUMNS "WHERE bucket = ?1 AND key >= ?2 AND key < ?3 "
                                                    "ORDER BY key, initiated_ns, upload_id"
                                : CV_UPLOAD_COLUMNS "WHERE bucket = ?1 AND key >= ?2 "
                                                    "ORDER BY key, initiated_ns, upload_id")));
    from_.assign(from);
    bind_common();
    return {};
  }

  // Positions just after the upload (key, initiated_ns, upload_id) in listing order.
  Status resume_after(std::string_view key, int64_t initiated_ns, std::string_view upload_id) {
    active_.reset();
    active_.emplace(CV_TRY(db_.prepare(
        end_ ? CV_UPLOAD_COLUMNS "WHERE bucket = ?1 AND (key, initiated_ns, upload_id) > "
                                 "(?2, ?4, ?5) AND key < ?3 ORDER BY key, initiated_ns, upload_id"
             : CV_UPLOAD_COLUMNS "WHERE bucket = ?1 AND (key, initiated_ns, upload_id) > "
                                 "(?2, ?4, ?5) ORDER BY key, initiated_ns, upload_id")));
    from_.assign(key);
    upload_id_.assign(upload_id);
    bind_common();
    active_->bind_int(4, initiated_ns).bind_text(5, upload_id_);
    return {};
  }

  Result<std::optional<MultipartUpload>> next() override {
    if (!CV_TRY(active_->step())) return std::nullopt;
    return CV_TRY(upload_from_row(*active_, bucket_));
  }

 private:
  void bind_common() {
    active_->bind_text(1, bucket_).bind_blob(2, from_);
    if (end_) active_->bind_blob(3, *end_);
  }

  Connection& db_;
  std::string_view bucket_;
  std::optional<std::string> end_;
  std::string from_;
  std::string upload_id_;
  std::optional<Statement> active_;
};

#undef CV_UPLOAD_COLUMNS

// Positions `cursor` where a listing after (key_marker, upload_id_marker) resumes; false
// when nothing can follow. An upload id marker names an upload of key_marker: listing
// resumes after it, or after all uploads of key_marker when that upload is gone.
Result<bool> position_upload_cursor(Connection& db, UploadCursor& cursor,
                                    const ListUploadsQuery& query) {
  if (!query.upload_id_marker.empty() && !query.key_marker.empty() &&
      query.key_marker.starts_with(query.prefix) &&
      !common_prefix_of(query.key_marker, query.prefix, query.delimiter)) {
    auto stmt = CV_TRY(db.prepare(
        "SELECT initiated_ns FROM uploads WHERE upload_id = ?1 AND bucket = ?2 AND key = ?3"));
    stmt.bind_text(1, query.upload_id_marker)
        .bind_text(2, query.bucket)
        .bind_blob(3, query.key_marker);
    if (CV_TRY(stmt.step())) {
      CV_TRY(cursor.resume_after(query.key_marker, stmt.column_int(0), query.upload_id_marker));
      return true;
    }
  }
  auto start = query.key_marker.empty()
                   ? std::optional<std::string>(query.prefix)
                   : listing_start(query.prefix, query.delimiter, query.key_marker);
  if (!start) return false;
  CV_TRY(cursor.seek(*start));
  return true;
}

}  // namespace

Status insert_upload(Connection& db, const MultipartUpload& upload) {
  CV_TRY(require_bucket(db, upload.bucket));
  const ObjectVersion& object = upload.object;
  std::string attributes = encode_attributes(object.headers, object.user_metadata);
  std::string tags = encode_pairs(object.tags);
  std::string storage = encode_storage(object.encryption, std::nullopt);
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO uploads(upload_id, bucket, key, initiated_ns, owner_id, storage_class, "
      "content_type, checksum_algorithm, attributes, tags, storage, checksum_type, acl, "
      "lock_mode, lock_until_ns, legal_hold) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"));
  stmt.bind_text(1, upload.upload_id)
      .bind_text(2, upload.bucket)
      .bind_blob(3, upload.key)
      .bind_int(4, upload.initiated_ns)
      .bind_text(5, upload.owner_id)
      .bind_text(6, object.storage_class)
      .bind_text(7, object.content_type)
      .bind_text(8, object.checksum_algorithm)
      .bind_text_or_null(9, attributes)
      .bind_text_or_null(10, tags)
      .bind_text_or_null(11, storage)
      .bind_text(12, object.checksum_type)
      .bind_text_or_null(13, object.acl)
      .bind_text(14, object.lock.mode)
      .bind_int(15, object.lock.retain_until_ns)
      .bind_int(16, object.lock.legal_hold ? 1 : 0);
  return stmt.run();
}

Result<std::optional<MultipartUpload>> read_upload(Connection& db, std::string_view bucket,
                                                   std::string_view upload_id) {
  auto stmt = CV_TRY(
      db.prepare("SELECT upload_id, key, initiated_ns, owner_id, storage_class, content_type, "
                 "checksum_algorithm, attributes, tags, storage, checksum_type, acl, lock_mode, "
                 "lock_until_ns, legal_hold FROM uploads WHERE upload_id = ?1 AND bucket = ?2"));
  stmt.bind_text(1, upload_id).bind_text(2, bucket);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return CV_TRY(upload_from_row(stmt, bucket));
}

Status write_part(Connection& db, const Part& part) {
  CV_TRY(require_upload(db, part.upload_id));
  std::optional<std::string> replaced_blob;
  {
    auto stmt =
        CV_TRY(db.prepare("SELECT blob_id FROM parts WHERE upload_id = ?1 AND part_number = ?2"));
    stmt.bind_text(1, part.upload_id).bind_int(2, part.part_number);
    if (CV_TRY(stmt.step()) && !stmt.column_is_null(0)) replaced_blob = stmt.column_string(0);
  }
  auto stmt = CV_TRY(
      db.prepare("INSERT INTO parts(upload_id, part_number, etag, size, mtime_ns, checksum_value, "
                 "blob_id, blob_size, inline_data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                 "ON CONFLICT(upload_id, part_number) DO UPDATE SET etag = excluded.etag, "
                 "size = excluded.size, mtime_ns = excluded.mtime_ns, "
                 "checksum_value = excluded.checksum_value, blob_id = excluded.blob_id, "
                 "blob_size = excluded.blob_size, inline_data = excluded.inline_data"));
  stmt.bind_text(1, part.upload_id)
      .bind_int(2, part.part_number)
      .bind_text(3, part.etag)
      .bind_int(4, static_cast<int64_t>(part.size))
      .bind_int(5, part.mtime_ns)
      .bind_text(6, part.checksum_value)
      .bind_blob(9, part.inline_data);
  if (part.blob) {
    stmt.bind_text(7, part.blob->blob_id).bind_int(8, static_cast<int64_t>(part.blob->size));
  } else {
    stmt.bind_null(7).bind_null(8);
  }
  CV_TRY(stmt.run());
  if (part.blob) CV_TRY(add_blob_ref(db, part.blob->blob_id));
  if (replaced_blob) CV_TRY(drop_blob_ref(db, *replaced_blob));
  return {};
}

Result<std::vector<Part>> read_parts(Connection& db, std::string_view upload_id) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_upload(db, upload_id));
  auto stmt = CV_TRY(
      db.prepare("SELECT upload_id, part_number, etag, size, mtime_ns, checksum_value, blob_id, "
                 "blob_size, inline_data FROM parts WHERE upload_id = ?1 ORDER BY part_number"));
  stmt.bind_text(1, upload_id);
  std::vector<Part> parts;
  while (CV_TRY(stmt.step())) {
    parts.push_back(part_from_row(stmt));
    parts.back().inline_data = stmt.column_string(8);
  }
  return parts;
}

Result<ListPartsPage> read_part_page(Connection& db, std::string_view upload_id,
                                     uint32_t part_number_marker, uint32_t max_parts) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_upload(db, upload_id));
  ListPartsPage page;
  if (max_parts == 0) return page;
  auto stmt = CV_TRY(
      db.prepare("SELECT upload_id, part_number, etag, size, mtime_ns, checksum_value, blob_id, "
                 "blob_size FROM parts WHERE upload_id = ?1 AND part_number > ?2 "
                 "ORDER BY part_number LIMIT ?3"));
  stmt.bind_text(1, upload_id)
      .bind_int(2, part_number_marker)
      .bind_int(3, static_cast<int64_t>(max_parts) + 1);
  while (CV_TRY(stmt.step())) {
    if (page.parts.size() == max_parts) {
      page.truncated = true;
      break;
    }
    page.parts.push_back(part_from_row(stmt));
  }
  if (!page.parts.empty()) page.next_part_number_marker = page.parts.back().part_number;
  return page;
}

Result<ListUploadsPage> read_upload_page(Connection& db, const ListUploadsQuery& query) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, query.bucket));
  ListUploadsPage page;
  if (query.max_uploads == 0) return page;
  UploadCursor cursor(db, query.bucket, prefix_successor(query.prefix));
  if (!CV_TRY(position_upload_cursor(db, cursor, query))) return page;
  auto walked =
      CV_TRY(walk_delimited(cursor, query.prefix, query.delimiter, query.max_uploads,
                            [](const MultipartUpload& u) -> std::string_view { return u.key; }));
  page.uploads = std::move(walked.rows);
  page.common_prefixes = std::move(walked.common_prefixes);
  page.truncated = walked.truncated;
  page.next_key_marker = std::move(walked.last_entry);
  if (!walked.last_is_prefix && !page.uploads.empty()) {
    page.next_upload_id_marker = page.uploads.back().upload_id;
  }
  return page;
}

Status finish_upload(Connection& db, std::string_view upload_id, const ObjectVersion& object) {
  auto location = CV_TRY(upload_location(db, upload_id));
  if (!location || location->first != object.bucket || location->second != object.key) {
    return no_such_upload(upload_id);
  }
  // The object's references first, so parts it keeps never drop to zero.
  CV_TRY(write_object(db, object));
  auto part_blobs = CV_TRY(delete_upload_rows(db, upload_id));
  return drop_blob_refs(db, part_blobs);
}

Status remove_upload(Connection& db, std::string_view bucket, std::string_view upload_id) {
  auto location = CV_TRY(upload_location(db, upload_id));
  if (!location || location->first != bucket) return no_such_upload(upload_id);
  auto part_blobs = CV_TRY(delete_upload_rows(db, upload_id));
  return drop_blob_refs(db, part_blobs);
}

}  // namespace cv::meta::sqlite
