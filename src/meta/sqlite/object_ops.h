// SQL for object versions. Writes run on the writer connection inside a transaction; reads
// on a reader connection (multi-statement reads open their own read transaction).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// The column list every full read of an object row selects, in this order; object_from_row
// decodes a row of it. Callers add FROM/WHERE.
#define CV_OBJECT_ROW_COLUMNS                                                                \
  "key, version_id, is_delete_marker, size, etag, mtime_ns, owner_id, storage_class, "       \
  "content_type, checksum_algorithm, checksum_value, parts_count, attributes, tags, blobs, " \
  "inline_data, is_latest, storage, due_ns, noncurrent_ns, replication, checksum_type, "     \
  "part_checksums, acl, lock_mode, lock_until_ns, legal_hold"
Result<ObjectVersion> object_from_row(const Statement& row, std::string_view bucket);
// The part_checksums column: the values space-separated, "-" for a part without one.
std::string encode_part_checksums(const std::vector<std::string>& checksums);
std::vector<std::string> decode_part_checksums(std::string_view column);

// Every blob a version references (its body's and its restored copy's), from the row's blobs
// and storage columns or from the record.
Result<std::vector<BlobRef>> referenced_blobs(std::string_view blobs_column,
                                              std::string_view storage_column);
std::vector<BlobRef> referenced_blobs(const ObjectVersion& object);

// Checks `condition` against the key's current version (see WriteCondition):
// kPreconditionFailed or kNoSuchKey when it does not hold. Run in the writing transaction.
Status check_write_condition(Connection& db, std::string_view bucket, std::string_view key,
                             const WriteCondition& condition);

// Makes `object` the current version of its key (with created_seq one above the key's
// current version): any other current version becomes non-current, a version with the
// same id is replaced and its blobs lose their references. kNoSuchBucket.
Status write_object(Connection& db, const ObjectVersion& object);
// The current version (version_id empty) or the given one, with its body fields.
Result<std::optional<ObjectVersion>> read_object(Connection& db, std::string_view bucket,
                                                 std::string_view key, std::string_view version_id);
// The key's current version and the id of its row (for the object cache), or nullopt.
struct CurrentObjectRow {
  int64_t row_id = 0;
  ObjectVersion version;
};
Result<std::optional<CurrentObjectRow>> read_current_object_row(Connection& db,
                                                                std::string_view bucket,
                                                                std::string_view key);
// Removes one version; the newest remaining version (greatest created_seq) of the key
// becomes current when the removed one was. kNoSuchBucket; a missing version is not an
// error; kAccessDenied (nothing removed) when the version's object lock protects it under
// `guard`.
Result<DeleteOutcome> remove_object(Connection& db, std::string_view bucket, std::string_view key,
                                    std::string_view version_id, const LockGuard& guard);
// kNoSuchBucket, kNoSuchKey.
Status write_object_tags(Connection& db, std::string_view bucket, std::string_view key,
                         std::string_view version_id, const StringPairs& tags);
// kNoSuchBucket, kNoSuchKey (no current version), kNoSuchVersion (no such version_id).
Status write_object_acl(Connection& db, std::string_view bucket, std::string_view key,
                        std::string_view version_id, std::string_view acl);
// One page of current, visible versions; kNoSuchBucket. (object_listing.cc)
Result<ListObjectsPage> read_object_page(Connection& db, const ListObjectsQuery& query);
// One page of all versions and delete markers; kNoSuchBucket. (object_version_listing.cc)
Result<ListVersionsPage> read_version_page(Connection& db, const ListVersionsQuery& query);

}  // namespace cv::meta::sqlite
