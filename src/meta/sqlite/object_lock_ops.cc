#include "meta/sqlite/object_lock_ops.h"

#include <optional>
#include <string>

#include "meta/sqlite/bucket_ops.h"

namespace cv::meta::sqlite {
namespace {

struct LockedRow {
  int64_t id = 0;
  bool is_delete_marker = false;
  ObjectLock lock;
};

// The row the change is about, or the error S3 gives when there is none.
Result<LockedRow> find_locked_row(Connection& db, std::string_view bucket, std::string_view key,
                                  std::string_view version_id) {
  CV_TRY(require_bucket(db, bucket));
  auto stmt = CV_TRY(db.prepare(
      version_id.empty()
          ? "SELECT id, is_delete_marker, lock_mode, lock_until_ns, legal_hold FROM objects "
            "INDEXED BY object_versions_by_key WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"
          : "SELECT id, is_delete_marker, lock_mode, lock_until_ns, legal_hold FROM objects "
            "INDEXED BY object_versions_by_key "
            "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
  stmt.bind_text(1, bucket).bind_blob(2, key);
  if (!version_id.empty()) stmt.bind_text(3, version_id);
  if (!CV_TRY(stmt.step())) {
    if (version_id.empty()) return fail(ErrorCode::kNoSuchKey, {}, std::string(key));
    return fail(ErrorCode::kNoSuchVersion, {}, std::string(key));
  }
  LockedRow row;
  row.id = stmt.column_int(0);
  row.is_delete_marker = stmt.column_int(1) != 0;
  row.lock = ObjectLock{stmt.column_string(2), stmt.column_int(3), stmt.column_int(4) != 0};
  if (row.is_delete_marker) {
    return fail(ErrorCode::kMethodNotAllowed,
                "The specified method is not allowed against this resource.", std::string(key));
  }
  return row;
}

// Whether RetentionChange's rules let `current` become `change`.
bool retention_change_allowed(const ObjectLock& current, const RetentionChange& change) {
  const bool running = !current.mode.empty() && current.retain_until_ns > change.now_ns;
  if (!running) return true;
  const bool keeps_or_extends =
      change.mode == current.mode && change.retain_until_ns >= current.retain_until_ns;
  if (keeps_or_extends) return true;
  return current.mode == kGovernanceMode && change.bypass_governance;
}

}  // namespace

Status write_object_retention(Connection& db, std::string_view bucket, std::string_view key,
                              std::string_view version_id, const RetentionChange& change) {
  const LockedRow row = CV_TRY(find_locked_row(db, bucket, key, version_id));
  if (!retention_change_allowed(row.lock, change)) {
    return fail(ErrorCode::kAccessDenied, "Access Denied because object protected by object lock.",
                std::string(key));
  }
  auto stmt =
      CV_TRY(db.prepare("UPDATE objects SET lock_mode = ?2, lock_until_ns = ?3 WHERE id = ?1"));
  stmt.bind_int(1, row.id)
      .bind_text(2, change.mode)
      .bind_int(3, change.mode.empty() ? 0 : change.retain_until_ns);
  return stmt.run();
}

Status write_object_legal_hold(Connection& db, std::string_view bucket, std::string_view key,
                               std::string_view version_id, bool on) {
  const LockedRow row = CV_TRY(find_locked_row(db, bucket, key, version_id));
  auto stmt = CV_TRY(db.prepare("UPDATE objects SET legal_hold = ?2 WHERE id = ?1"));
  stmt.bind_int(1, row.id).bind_int(2, on ? 1 : 0);
  return stmt.run();
}

}  // namespace cv::meta::sqlite
