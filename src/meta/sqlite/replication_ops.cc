#include "meta/sqlite/replication_ops.h"

#include <optional>

#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"

namespace cv::meta::sqlite {
namespace {

struct CurrentRow {
  int64_t id = 0;
  int64_t mtime_ns = 0;
};

Result<bool> has_version(Connection& db, const ObjectVersion& object) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT 1 FROM objects INDEXED BY object_versions_by_key "
      "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
  stmt.bind_text(1, object.bucket).bind_blob(2, object.key).bind_text(3, object.version_id);
  return CV_TRY(stmt.step());
}

Result<std::optional<CurrentRow>> current_row(Connection& db, const ObjectVersion& object) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT id, mtime_ns FROM objects INDEXED BY object_versions_by_key "
      "WHERE bucket = ?1 AND key = ?2 AND is_latest = 1"));
  stmt.bind_text(1, object.bucket).bind_blob(2, object.key);
  if (!CV_TRY(stmt.step())) return std::optional<CurrentRow>{};
  return std::optional<CurrentRow>(CurrentRow{stmt.column_int(0), stmt.column_int(1)});
}

// Puts the just-written row of `object` back behind the key's newer versions: `previous`
// becomes current again, and the replica takes its place in the history by mtime (the newer
// versions move one step up to make room).
Status demote_late_replica(Connection& db, const ObjectVersion& object,
                           const CurrentRow& previous) {
  // One number about the key's other versions, relative to the replica's mtime.
  auto other_versions = [&](const char* sql) -> Result<int64_t> {
    auto stmt = CV_TRY(db.prepare(sql));
    stmt.bind_text(1, object.bucket)
        .bind_blob(2, object.key)
        .bind_int(3, object.mtime_ns)
        .bind_text(4, object.version_id);
    CV_TRY(stmt.step());
    return stmt.column_int(0);
  };
  const int64_t place =
      CV_TRY(other_versions("SELECT coalesce(max(created_seq), 0) FROM objects WHERE bucket = ?1 "
                            "AND key = ?2 AND mtime_ns <= ?3 AND version_id <> ?4")) +
      1;
  const int64_t noncurrent_ns =
      CV_TRY(other_versions("SELECT coalesce(min(mtime_ns), 0) FROM objects WHERE bucket = ?1 "
                            "AND key = ?2 AND mtime_ns > ?3 AND version_id <> ?4"));

  auto make_room = CV_TRY(db.prepare(
      "UPDATE objects SET created_seq = created_seq + 1 WHERE bucket = ?1 AND key = ?2 AND "
      "created_seq >= ?3 AND version_id <> ?4"));
  make_room.bind_text(1, object.bucket)
      .bind_blob(2, object.key)
      .bind_int(3, place)
      .bind_text(4, object.version_id);
  CV_TRY(make_room.run());
  auto place_replica = CV_TRY(db.prepare(
      "UPDATE objects SET is_latest = 0, created_seq = ?4, noncurrent_ns = ?5 "
      "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3"));
  place_replica.bind_text(1, object.bucket)
      .bind_blob(2, object.key)
      .bind_text(3, object.version_id)
      .bind_int(4, place)
      .bind_int(5, noncurrent_ns);
  CV_TRY(place_replica.run());
  auto restore = CV_TRY(
      db.prepare("UPDATE objects SET is_latest = 1, noncurrent_ns = 0 WHERE id = ?1"));
  restore.bind_int(1, previous.id);
  return restore.run();
}

Status add_to_stats(Connection& db, const ReplicationOutcome& outcome) {
  const bool replicated = outcome.kind == ReplicationOutcome::Kind::kReplicated;
  const bool skipped = outcome.kind == ReplicationOutcome::Kind::kSkipped;
  const bool failed = outcome.kind == ReplicationOutcome::Kind::kFailed;
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO replication_stats AS r(bucket, rule_id, replicated, replicated_bytes, skipped, "
      "failed, latency_sum_ns, latency_max_ns, last_done_ns, last_error, last_error_ns) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10) "
      "ON CONFLICT(bucket, rule_id) DO UPDATE SET "
      "replicated = r.replicated + excluded.replicated, "
      "replicated_bytes = r.replicated_bytes + excluded.replicated_bytes, "
      "skipped = r.skipped + excluded.skipped, failed = r.failed + excluded.failed, "
      "latency_sum_ns = r.latency_sum_ns + excluded.latency_sum_ns, "
      "latency_max_ns = CASE WHEN excluded.latency_max_ns > r.latency_max_ns "
      "THEN excluded.latency_max_ns ELSE r.latency_max_ns END, "
      "last_done_ns = CASE WHEN excluded.last_done_ns > r.last_done_ns "
      "THEN excluded.last_done_ns ELSE r.last_done_ns END, "
      "last_error = CASE WHEN excluded.failed > 0 THEN excluded.last_error ELSE r.last_error END, "
      "last_error_ns = CASE WHEN excluded.last_error_ns > r.last_error_ns "
      "THEN excluded.last_error_ns ELSE r.last_error_ns END"));
  stmt.bind_text(1, outcome.bucket)
      .bind_text(2, outcome.rule_id)
      .bind_int(3, replicated ? 1 : 0)
      .bind_int(4, replicated ? static_cast<int64_t>(outcome.bytes) : 0)
      .bind_int(5, skipped ? 1 : 0)
      .bind_int(6, failed ? 1 : 0)
      .bind_int(7, replicated ? outcome.latency_ns : 0)
      .bind_int(8, failed ? 0 : outcome.now_ns)
      .bind_text(9, failed ? outcome.error : "")
      .bind_int(10, failed ? outcome.now_ns : 0);
  return stmt.run();
}

}  // namespace

Result<ReplicaWrite> write_replica(Connection& db, const ObjectVersion& object) {
  CV_TRY(require_bucket(db, object.bucket));
  if (CV_TRY(has_version(db, object))) return ReplicaWrite::kAlreadyThere;
  const std::optional<CurrentRow> current = CV_TRY(current_row(db, object));
  CV_TRY(write_object(db, object));
  if (current && current->mtime_ns > object.mtime_ns) {
    CV_TRY(demote_late_replica(db, object, *current));
  }
  return ReplicaWrite::kWritten;
}

Status write_replication_outcome(Connection& db, const ReplicationOutcome& outcome) {
  std::string status = "FAILED";
  if (outcome.kind != ReplicationOutcome::Kind::kFailed) {
    auto remove = CV_TRY(db.prepare("DELETE FROM outbox_tasks WHERE id = ?1"));
    remove.bind_int(1, outcome.task_id);
    CV_TRY(remove.run());
    auto others = CV_TRY(db.prepare(
        "SELECT count(*), coalesce(sum(failed), 0) FROM outbox_tasks "
        "WHERE event_seq = ?1 AND consumer = ?2"));
    others.bind_int(1, outcome.event_seq).bind_text(2, outcome.consumer);
    CV_TRY(others.step());
    if (others.column_int(1) > 0) {
      status = "FAILED";
    } else if (others.column_int(0) > 0) {
      status.clear();  // other destinations still pending: the status stays as it is
    } else {
      status = "COMPLETED";
    }
  }
  if (!status.empty()) {
    CV_TRY(write_replication_status(db, outcome.bucket, outcome.key, outcome.version_id, status));
  }
  CV_TRY(add_to_stats(db, outcome));
  return {};
}

Status write_replication_status(Connection& db, std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::string_view status) {
  auto stmt = CV_TRY(db.prepare(
      "UPDATE objects INDEXED BY object_versions_by_key SET replication = ?4 "
      "WHERE bucket = ?1 AND key = ?2 AND version_id = ?3 AND replication <> 'REPLICA'"));
  stmt.bind_text(1, bucket).bind_blob(2, key).bind_text(3, version_id).bind_text(4, status);
  return stmt.run();
}

Status write_task_payload(Connection& db, int64_t task_id, std::string_view payload) {
  auto stmt = CV_TRY(db.prepare("UPDATE outbox_tasks SET payload = ?2 WHERE id = ?1"));
  stmt.bind_int(1, task_id).bind_text(2, payload);
  return stmt.run();
}

Result<std::vector<ReplicationStats>> read_replication_stats(Connection& db,
                                                             std::string_view bucket) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT bucket, rule_id, replicated, replicated_bytes, skipped, failed, latency_sum_ns, "
      "latency_max_ns, last_done_ns, last_error, last_error_ns FROM replication_stats "
      "WHERE ?1 = '' OR bucket = ?1 ORDER BY bucket, rule_id"));
  stmt.bind_text(1, bucket);
  std::vector<ReplicationStats> all;
  while (CV_TRY(stmt.step())) {
    ReplicationStats stats;
    stats.bucket = stmt.column_string(0);
    stats.rule_id = stmt.column_string(1);
    stats.replicated = static_cast<uint64_t>(stmt.column_int(2));
    stats.replicated_bytes = static_cast<uint64_t>(stmt.column_int(3));
    stats.skipped = static_cast<uint64_t>(stmt.column_int(4));
    stats.failed = static_cast<uint64_t>(stmt.column_int(5));
    stats.latency_sum_ns = stmt.column_int(6);
    stats.latency_max_ns = stmt.column_int(7);
    stats.last_done_ns = stmt.column_int(8);
    stats.last_error = stmt.column_string(9);
    stats.last_error_ns = stmt.column_int(10);
    all.push_back(std::move(stats));
  }
  return all;
}

}  // namespace cv::meta::sqlite
