// read_version_page: ListObjectVersions as range scans of the object_versions_by_key index,
// whose order (key; current first, then newest first) is the listing's order.
#include "meta/listing.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"

namespace cv::meta::sqlite {
namespace {

#define CV_VERSION_COLUMNS                                                                \
  "SELECT key, version_id, is_latest, is_delete_marker, size, etag, mtime_ns, owner_id, " \
  "storage_class, content_type, checksum_algorithm, parts_count FROM objects "            \
  "INDEXED BY object_versions_by_key "
#define CV_VERSION_ORDER " ORDER BY key, is_latest DESC, created_seq DESC"

// Versions of one bucket in listing order, below an optional exclusive key bound.
// Positioned by seek() (at a key) or resume_after() (after one version of a key: the key's
// older versions, then the keys after it).
class VersionCursor final : public KeyCursor<ObjectVersion> {
 public:
  VersionCursor(Connection& db, std::string_view bucket, std::optional<std::string> end)
      : db_(db), bucket_(bucket), end_(std::move(end)) {}

  Status seek(std::string_view from) override {
    resume_key_.reset();
    active_.reset();
    active_.emplace(CV_TRY(db_.prepare(
        end_ ? CV_VERSION_COLUMNS "WHERE bucket = ?1 AND key >= ?2 AND key < ?3" CV_VERSION_ORDER
             : CV_VERSION_COLUMNS "WHERE bucket = ?1 AND key >= ?2" CV_VERSION_ORDER)));
    from_.assign(from);
    active_->bind_text(1, bucket_).bind_blob(2, from_);
    if (end_) active_->bind_blob(3, *end_);
    return {};
  }

  // Positions after the version of `key` whose created_seq is `seq`. Versions after it in
  // listing order are noncurrent (the current one has the key's greatest created_seq).
  Status resume_after(std::string_view key, int64_t seq) {
    active_.reset();
    active_.emplace(
        CV_TRY(db_.prepare(CV_VERSION_COLUMNS "WHERE bucket = ?1 AND key = ?2 AND is_latest = 0 "
                                              "AND created_seq < ?3 ORDER BY created_seq DESC")));
    resume_key_.emplace(key);
    active_->bind_text(1, bucket_).bind_blob(2, *resume_key_).bind_int(3, seq);
    return {};
  }

  Result<std::optional<ObjectVersion>> next() override {
    if (!active_) return std::nullopt;
    if (!CV_TRY(active_->step())) {
      if (!resume_key_) return std::nullopt;
      // The resumed key is exhausted: continue with the keys after it.
      std::string after = std::move(*resume_key_);
      after.push_back('\0');
      CV_TRY(seek(after));
      if (!CV_TRY(active_->step())) return std::nullopt;
    }
    return version_from_row(*active_);
  }

 private:
  ObjectVersion version_from_row(const Statement& row) const {
    ObjectVersion version;
    version.bucket.assign(bucket_);
    version.key = row.column_string(0);
    version.version_id = row.column_string(1);
    version.is_latest = row.column_int(2) != 0;
    version.is_delete_marker = row.column_int(3) != 0;
    version.size = static_cast<uint64_t>(row.column_int(4));
    version.etag = row.column_string(5);
    version.mtime_ns = row.column_int(6);
    version.owner_id = row.column_string(7);
    version.storage_class = row.column_string(8);
    version.content_type = row.column_string(9);
    version.checksum_algorithm = row.column_string(10);
    version.parts_count = static_cast<uint32_t>(row.column_int(11));
    return version;
  }

  Connection& db_;
  std::string_view bucket_;
  std::optional<std::string> end_;
  std::string from_;
  std::optional<std::string> resume_key_;  // set while reading the rest of a resumed key
  std::optional<Statement> active_;
};

#undef CV_VERSION_ORDER
#undef CV_VERSION_COLUMNS

// Positions `cursor` where a listing after (key_marker, version_id_marker) resumes; false
// when nothing can follow. A version id marker names a version of key_marker: listing
// resumes after it, or after all versions of key_marker when that version is gone (as
// list_uploads treats an upload id marker). A key_marker rolled up into a common prefix
// is positioned by listing_start alone.
Result<bool> position_version_cursor(Connection& db, VersionCursor& cursor,
                                     const ListVersionsQuery& query) {
  if (!query.version_id_marker.empty() && !query.key_marker.empty() &&
      query.key_marker.starts_with(query.prefix) &&
      !common_prefix_of(query.key_marker, query.prefix, query.delimiter)) {
    // Every column is in the index: only the key's index entries are read.
    auto stmt =
        CV_TRY(db.prepare("SELECT created_seq FROM objects INDEXED BY object_versions_by_key "
                          "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
    stmt.bind_text(1, query.bucket)
        .bind_blob(2, query.key_marker)
        .bind_text(3, query.version_id_marker);
    if (CV_TRY(stmt.step())) {
      CV_TRY(cursor.resume_after(query.key_marker, stmt.column_int(0)));
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

Result<ListVersionsPage> read_version_page(Connection& db, const ListVersionsQuery& query) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, query.bucket));
  ListVersionsPage page;
  if (query.max_keys == 0) return page;
  VersionCursor cursor(db, query.bucket, prefix_successor(query.prefix));
  if (!CV_TRY(position_version_cursor(db, cursor, query))) return page;
  auto walked =
      CV_TRY(walk_delimited(cursor, query.prefix, query.delimiter, query.max_keys,
                            [](const ObjectVersion& v) -> std::string_view { return v.key; }));
  page.versions = std::move(walked.rows);
  page.common_prefixes = std::move(walked.common_prefixes);
  page.truncated = walked.truncated;
  page.next_key_marker = std::move(walked.last_entry);
  if (!walked.last_is_prefix && !page.versions.empty()) {
    page.next_version_id_marker = page.versions.back().version_id;
  }
  return page;
}

}  // namespace cv::meta::sqlite
