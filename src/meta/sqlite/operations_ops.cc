#include "meta/sqlite/operations_ops.h"

#include <algorithm>
#include <map>

namespace cv::meta::sqlite {
namespace {

int64_t earliest(int64_t a, int64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

}  // namespace

Result<std::vector<StorageUsage>> read_storage_usage(Connection& db) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  auto stmt =
      CV_TRY(db.prepare("SELECT bucket, storage_class, objects, bytes, noncurrent_versions, "
                        "noncurrent_bytes, delete_markers FROM storage_usage ORDER BY bucket, "
                        "storage_class"));
  std::vector<StorageUsage> usage;
  while (CV_TRY(stmt.step())) {
    StorageUsage& row = usage.emplace_back();
    row.bucket = stmt.column_string(0);
    row.storage_class = stmt.column_string(1);
    row.objects = static_cast<uint64_t>(stmt.column_int(2));
    row.bytes = static_cast<uint64_t>(stmt.column_int(3));
    row.noncurrent_versions = static_cast<uint64_t>(stmt.column_int(4));
    row.noncurrent_bytes = static_cast<uint64_t>(stmt.column_int(5));
    row.delete_markers = static_cast<uint64_t>(stmt.column_int(6));
  }
  return usage;
}

Result<uint64_t> read_uploads_in_progress(Connection& db) {
  auto stmt = CV_TRY(db.prepare("SELECT count(*) FROM uploads"));
  if (!CV_TRY(stmt.step())) return uint64_t{0};
  return static_cast<uint64_t>(stmt.column_int(0));
}

Result<std::vector<OutboxBacklog>> read_outbox_backlog(Connection& db) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  std::map<std::string, OutboxBacklog> by_consumer;
  std::vector<std::pair<std::string, int64_t>> positions;
  {
    auto consumers = CV_TRY(db.prepare("SELECT name, position FROM event_consumers"));
    while (CV_TRY(consumers.step())) {
      positions.emplace_back(consumers.column_string(0), consumers.column_int(1));
    }
  }
  // Events after each position: a range of the primary key.
  auto untaken = CV_TRY(db.prepare("SELECT count(*), min(time_ns) FROM events WHERE seq > ?1"));
  for (const auto& [name, position] : positions) {
    OutboxBacklog& backlog = by_consumer[name];
    backlog.consumer = name;
    untaken.rewind();
    untaken.bind_int(1, position);
    if (CV_TRY(untaken.step())) {
      backlog.untaken_events = static_cast<uint64_t>(untaken.column_int(0));
      backlog.oldest_ns = untaken.column_int(1);  // NULL (no event) reads as 0
    }
  }
  // Tasks: as many rows as there is work not done (a backlog, not the object table).
  auto tasks = CV_TRY(
      db.prepare("SELECT t.consumer, t.failed, count(*), min(e.time_ns) FROM outbox_tasks AS t "
                 "LEFT JOIN events AS e ON e.seq = t.event_seq GROUP BY t.consumer, t.failed"));
  while (CV_TRY(tasks.step())) {
    OutboxBacklog& backlog = by_consumer[tasks.column_string(0)];
    backlog.consumer = tasks.column_string(0);
    const auto count = static_cast<uint64_t>(tasks.column_int(2));
    if (tasks.column_int(1) != 0) {
      backlog.failed_tasks += count;
    } else {
      backlog.pending_tasks += count;
      backlog.oldest_ns = earliest(backlog.oldest_ns, tasks.column_int(3));
    }
  }
  std::vector<OutboxBacklog> backlogs;
  backlogs.reserve(by_consumer.size());
  for (auto& [name, backlog] : by_consumer) backlogs.push_back(std::move(backlog));
  return backlogs;
}

Result<std::vector<BucketBacklog>> read_task_backlog_by_bucket(Connection& db,
                                                               std::string_view consumer) {
  auto stmt = CV_TRY(
      db.prepare("SELECT e.bucket, count(*), sum(e.size), min(e.time_ns) FROM outbox_tasks AS t "
                 "JOIN events AS e ON e.seq = t.event_seq WHERE t.consumer = ?1 "
                 "GROUP BY e.bucket ORDER BY e.bucket"));
  stmt.bind_text(1, consumer);
  std::vector<BucketBacklog> backlogs;
  while (CV_TRY(stmt.step())) {
    BucketBacklog& row = backlogs.emplace_back();
    row.bucket = stmt.column_string(0);
    row.tasks = static_cast<uint64_t>(stmt.column_int(1));
    row.bytes = static_cast<uint64_t>(stmt.column_int(2));
    row.oldest_ns = stmt.column_int(3);
  }
  return backlogs;
}

}  // namespace cv::meta::sqlite
