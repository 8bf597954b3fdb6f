#include "meta/sqlite/outbox_ops.h"

namespace cv::meta::sqlite {
namespace {

constexpr std::string_view kEventColumns =
    "e.seq, e.time_ns, e.name, e.bucket, e.key, e.version_id, e.size, e.etag, e.storage_class, "
    "e.principal_id, e.source_ip, e.request_id, e.detail";

Event event_from_row(const Statement& row, int first) {
  Event event;
  event.seq = row.column_int(first + 0);
  event.time_ns = row.column_int(first + 1);
  event.name = row.column_string(first + 2);
  event.bucket = row.column_string(first + 3);
  event.key = row.column_string(first + 4);
  event.version_id = row.column_string(first + 5);
  event.size = static_cast<uint64_t>(row.column_int(first + 6));
  event.etag = row.column_string(first + 7);
  event.storage_class = row.column_string(first + 8);
  event.principal_id = row.column_string(first + 9);
  event.source_ip = row.column_string(first + 10);
  event.request_id = row.column_string(first + 11);
  event.detail = row.column_string(first + 12);
  return event;
}

// Task columns first, then the event's.
const std::string& task_select() {
  static const std::string sql =
      "SELECT t.id, t.consumer, t.target, t.event_seq, t.payload, t.failed, t.attempts, "
      "t.next_try_ns, t.last_error, " +
      std::string(kEventColumns) + " FROM outbox_tasks t JOIN events e ON e.seq = t.event_seq ";
  return sql;
}

OutboxTask task_from_row(const Statement& row) {
  OutboxTask task;
  task.id = row.column_int(0);
  task.consumer = row.column_string(1);
  task.target = row.column_string(2);
  task.event_seq = row.column_int(3);
  task.payload = row.column_string(4);
  task.failed = row.column_int(5) != 0;
  task.attempts = static_cast<int>(row.column_int(6));
  task.next_try_ns = row.column_int(7);
  task.last_error = row.column_string(8);
  task.event = event_from_row(row, 9);
  return task;
}

Result<int64_t> newest_seq(Connection& db) {
  auto stmt = CV_TRY(db.prepare("SELECT coalesce(max(seq), 0) FROM events"));
  CV_TRY(stmt.step());
  return stmt.column_int(0);
}

}  // namespace

Status append_event(Connection& db, const Event& event) {
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO events(time_ns, name, bucket, key, version_id, size, etag, storage_class, "
      "principal_id, source_ip, request_id, detail) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  stmt.bind_int(1, event.time_ns)
      .bind_text(2, event.name)
      .bind_text(3, event.bucket)
      .bind_blob(4, event.key)
      .bind_text(5, event.version_id)
      .bind_int(6, static_cast<int64_t>(event.size))
      .bind_text(7, event.etag)
      .bind_text(8, event.storage_class)
      .bind_text(9, event.principal_id)
      .bind_text(10, event.source_ip)
      .bind_text(11, event.request_id)
      .bind_text_or_null(12, event.detail);
  return stmt.run();
}

Result<std::vector<Event>> read_events(Connection& db, int64_t after_seq, size_t max) {
  auto stmt = CV_TRY(db.prepare("SELECT " + std::string(kEventColumns) +
                                " FROM events e WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2"));
  stmt.bind_int(1, after_seq).bind_int(2, static_cast<int64_t>(max));
  std::vector<Event> events;
  while (CV_TRY(stmt.step())) events.push_back(event_from_row(stmt, 0));
  return events;
}

Result<int64_t> write_consumer_registration(Connection& db, std::string_view consumer) {
  const int64_t position = CV_TRY(read_consumer_position(db, consumer));
  auto exists = CV_TRY(db.prepare("SELECT 1 FROM event_consumers WHERE name = ?1"));
  exists.bind_text(1, consumer);
  if (CV_TRY(exists.step())) return position;
  const int64_t newest = CV_TRY(newest_seq(db));
  auto insert = CV_TRY(db.prepare("INSERT INTO event_consumers(name, position) VALUES(?1, ?2)"));
  insert.bind_text(1, consumer).bind_int(2, newest);
  CV_TRY(insert.run());
  return newest;
}

Result<std::optional<int64_t>> read_consumer_registration(Connection& db,
                                                          std::string_view consumer) {
  auto stmt = CV_TRY(db.prepare("SELECT position FROM event_consumers WHERE name = ?1"));
  stmt.bind_text(1, consumer);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return stmt.column_int(0);
}

Result<int64_t> read_consumer_position(Connection& db, std::string_view consumer) {
  auto stmt = CV_TRY(db.prepare("SELECT position FROM event_consumers WHERE name = ?1"));
  stmt.bind_text(1, consumer);
  if (!CV_TRY(stmt.step())) return 0;
  return stmt.column_int(0);
}

Status write_consumer_advance(Connection& db, std::string_view consumer, int64_t from_seq,
                              int64_t to_seq, const std::vector<OutboxTask>& tasks) {
  if (to_seq < from_seq) {
    return fail(ErrorCode::kInvalidArgument, "a consumer's position only moves forward");
  }
  auto update =
      CV_TRY(db.prepare("UPDATE event_consumers SET position = ?3 WHERE name = ?1 AND "
                        "position = ?2"));
  update.bind_text(1, consumer).bind_int(2, from_seq).bind_int(3, to_seq);
  CV_TRY(update.run());
  if (update.changes() == 0) {
    return fail(ErrorCode::kPreconditionFailed,
                "the consumer's position is no longer the one it was read at", std::string(consumer));
  }
  auto insert = CV_TRY(db.prepare(
      "INSERT INTO outbox_tasks(consumer, target, event_seq, payload, next_try_ns) "
      "VALUES(?1, ?2, ?3, ?4, ?5)"));
  for (const OutboxTask& task : tasks) {
    insert.bind_text(1, consumer)
        .bind_text(2, task.target)
        .bind_int(3, task.event_seq)
        .bind_text(4, task.payload)
        .bind_int(5, task.next_try_ns);
    CV_TRY(insert.run());
    insert.rewind();
  }
  return {};
}

Result<std::vector<OutboxTask>> read_due_tasks(Connection& db, std::string_view consumer,
                                               std::string_view target, int64_t now_ns,
                                               size_t max) {
  auto stmt = CV_TRY(db.prepare(task_select() +
                                "WHERE t.consumer = ?1 AND t.target = ?2 AND t.failed = 0 AND "
                                "t.next_try_ns <= ?3 ORDER BY t.next_try_ns, t.id LIMIT ?4"));
  stmt.bind_text(1, consumer).bind_text(2, target).bind_int(3, now_ns).bind_int(
      4, static_cast<int64_t>(max));
  std::vector<OutboxTask> tasks;
  while (CV_TRY(stmt.step())) tasks.push_back(task_from_row(stmt));
  return tasks;
}

// A skip scan: one index seek per distinct target, so the cost follows the number of targets,
// not the number of pending tasks (the consumer asks every few milliseconds).
Result<std::vector<std::string>> read_pending_targets(Connection& db, std::string_view consumer) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT target FROM outbox_tasks WHERE consumer = ?1 AND failed = 0 AND target > ?2 "
      "ORDER BY target LIMIT 1"));
  std::vector<std::string> targets;
  std::string after;
  for (;;) {
    stmt.bind_text(1, consumer).bind_text(2, after);
    if (!CV_TRY(stmt.step())) break;
    after = stmt.column_string(0);
    targets.push_back(after);
    stmt.rewind();
  }
  return targets;
}

// Through outbox_tasks_due: a scan of the target's pending tasks, not of every task.
Result<std::vector<OutboxTask>> read_tasks_with_payload(Connection& db, std::string_view consumer,
                                                        std::string_view target,
                                                        std::string_view payload, size_t max) {
  auto stmt = CV_TRY(db.prepare(task_select() +
                                "WHERE t.consumer = ?1 AND t.target = ?2 AND t.failed = 0 AND "
                                "t.payload = ?3 ORDER BY t.id LIMIT ?4"));
  stmt.bind_text(1, consumer)
      .bind_text(2, target)
      .bind_text(3, payload)
      .bind_int(4, static_cast<int64_t>(max));
  std::vector<OutboxTask> tasks;
  while (CV_TRY(stmt.step())) tasks.push_back(task_from_row(stmt));
  return tasks;
}

Status remove_tasks(Connection& db, const std::vector<int64_t>& task_ids) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM outbox_tasks WHERE id = ?1"));
  for (const int64_t id : task_ids) {
    stmt.bind_int(1, id);
    CV_TRY(stmt.run());
    stmt.rewind();
  }
  return {};
}

Status write_task_attempts(Connection& db, const std::vector<OutboxTask>& tasks) {
  auto stmt = CV_TRY(db.prepare(
      "UPDATE outbox_tasks SET failed = ?2, attempts = ?3, next_try_ns = ?4, last_error = ?5 "
      "WHERE id = ?1"));
  for (const OutboxTask& task : tasks) {
    stmt.bind_int(1, task.id)
        .bind_int(2, task.failed ? 1 : 0)
        .bind_int(3, task.attempts)
        .bind_int(4, task.next_try_ns)
        .bind_text(5, task.last_error);
    CV_TRY(stmt.run());
    stmt.rewind();
  }
  return {};
}

Result<std::vector<OutboxTask>> read_tasks(Connection& db, std::string_view consumer,
                                           bool failed_only, int64_t after_id, size_t max) {
  auto stmt = CV_TRY(db.prepare(task_select() +
                                "WHERE (?1 = '' OR t.consumer = ?1) AND (?2 = 0 OR t.failed = 1) "
                                "AND t.id > ?3 ORDER BY t.id LIMIT ?4"));
  stmt.bind_text(1, consumer)
      .bind_int(2, failed_only ? 1 : 0)
      .bind_int(3, after_id)
      .bind_int(4, static_cast<int64_t>(max));
  std::vector<OutboxTask> tasks;
  while (CV_TRY(stmt.step())) tasks.push_back(task_from_row(stmt));
  return tasks;
}

Result<uint64_t> write_task_retry(Connection& db, std::string_view consumer, int64_t task_id,
                                  int64_t now_ns) {
  auto stmt = CV_TRY(db.prepare(
      "UPDATE outbox_tasks SET failed = 0, next_try_ns = ?3 WHERE failed = 1 AND "
      "(?1 = '' OR consumer = ?1) AND (?2 = 0 OR id = ?2)"));
  stmt.bind_text(1, consumer).bind_int(2, task_id).bind_int(3, now_ns);
  CV_TRY(stmt.run());
  return static_cast<uint64_t>(stmt.changes());
}

Result<uint64_t> remove_old_events(Connection& db, int64_t before_ns, size_t max) {
  // Below every consumer's position (all of them when there is none) and not referred to by
  // a task; the oldest first, through events_by_time.
  auto stmt = CV_TRY(db.prepare(
      "DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE e.time_ns < ?1 AND "
      "e.seq <= (SELECT coalesce(min(position), 9223372036854775807) FROM event_consumers) AND "
      "NOT EXISTS (SELECT 1 FROM outbox_tasks t WHERE t.event_seq = e.seq) "
      "ORDER BY e.time_ns LIMIT ?2)"));
  stmt.bind_int(1, before_ns).bind_int(2, static_cast<int64_t>(max));
  CV_TRY(stmt.run());
  return static_cast<uint64_t>(stmt.changes());
}

}  // namespace cv::meta::sqlite
