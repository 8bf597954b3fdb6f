// read_object_page: ListObjects as a range scan of the object_versions_by_key index.
#include "meta/listing.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"

namespace cv::meta::sqlite {
namespace {

// Current, visible versions of one bucket in key order, from a seek position up to an
// optional exclusive bound. Rows carry listing columns only. The statement filters out
// delete markers (and noncurrent versions), so a group of keys whose current versions are
// all delete markers yields no row and therefore no common prefix.
class CurrentVersionCursor final : public KeyCursor<ObjectVersion> {
 public:
  CurrentVersionCursor(Statement stmt, std::string_view bucket, std::optional<std::string> end)
      : stmt_(std::move(stmt)), bucket_(bucket), end_(std::move(end)) {
    stmt_.bind_text(1, bucket_);
    if (end_) stmt_.bind_blob(3, *end_);
  }

  Status seek(std::string_view from) override {
    stmt_.rewind();
    from_.assign(from);
    stmt_.bind_blob(2, from_);
    return {};
  }

  Result<std::optional<ObjectVersion>> next() override {
    if (!CV_TRY(stmt_.step())) return std::nullopt;
    ObjectVersion object;
    object.bucket.assign(bucket_);
    object.key = stmt_.column_string(0);
    object.version_id = stmt_.column_string(1);
    object.is_latest = true;
    object.size = static_cast<uint64_t>(stmt_.column_int(2));
    object.etag = stmt_.column_string(3);
    object.mtime_ns = stmt_.column_int(4);
    object.owner_id = stmt_.column_string(5);
    object.storage_class = stmt_.column_string(6);
    object.content_type = stmt_.column_string(7);
    object.checksum_algorithm = stmt_.column_string(8);
    object.parts_count = static_cast<uint32_t>(stmt_.column_int(9));
    return object;
  }

 private:
  Statement stmt_;
  std::string_view bucket_;
  std::optional<std::string> end_;
  std::string from_;
};

#define CV_LISTING_QUERY                                                                  \
  "SELECT key, version_id, size, etag, mtime_ns, owner_id, storage_class, content_type, " \
  "checksum_algorithm, parts_count FROM objects INDEXED BY object_versions_by_key "       \
  "WHERE bucket = ?1 AND is_latest = 1 AND key >= ?2 "

}  // namespace

Result<ListObjectsPage> read_object_page(Connection& db, const ListObjectsQuery& query) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, query.bucket));
  ListObjectsPage page;
  auto start = listing_start(query.prefix, query.delimiter, query.start_after);
  if (!start || query.max_keys == 0) return page;
  auto end = prefix_successor(query.prefix);
  auto stmt =
      CV_TRY(db.prepare(end ? CV_LISTING_QUERY "AND key < ?3 AND is_delete_marker = 0 ORDER BY key"
                            : CV_LISTING_QUERY "AND is_delete_marker = 0 ORDER BY key"));
  CurrentVersionCursor cursor(std::move(stmt), query.bucket, std::move(end));
  CV_TRY(cursor.seek(*start));
  auto walked =
      CV_TRY(walk_delimited(cursor, query.prefix, query.delimiter, query.max_keys,
                            [](const ObjectVersion& o) -> std::string_view { return o.key; }));
  page.objects = std::move(walked.rows);
  page.common_prefixes = std::move(walked.common_prefixes);
  page.truncated = walked.truncated;
  page.last_entry = std::move(walked.last_entry);
  return page;
}

#undef CV_LISTING_QUERY

}  // namespace cv::meta::sqlite
