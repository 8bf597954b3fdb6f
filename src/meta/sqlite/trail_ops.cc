#include "meta/sqlite/trail_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

namespace cv::meta::sqlite {
namespace {

constexpr std::string_view kFileColumns =
    "id, key, created_ns, record_count, written, sha256, oldest_event_ns, newest_event_ns, "
    "digest_key, first_seq, last_seq";

TrailLogFile file_from(const Statement& stmt) {
  TrailLogFile file;
  file.id = stmt.column_int(0);
  file.key = stmt.column_string(1);
  file.created_ns = stmt.column_int(2);
  file.record_count = static_cast<uint64_t>(stmt.column_int(3));
  file.written = stmt.column_int(4) != 0;
  file.sha256_hex = stmt.column_string(5);
  file.oldest_event_ns = stmt.column_int(6);
  file.newest_event_ns = stmt.column_int(7);
  file.digest_key = stmt.column_string(8);
  file.first_seq = stmt.column_int(9);
  file.last_seq = stmt.column_int(10);
  return file;
}

Result<std::vector<TrailLogFile>> read_files_where(Connection& db, std::string_view condition) {
  auto stmt = CV_TRY(db.prepare(fmt::format(
      "SELECT {} FROM trail_files WHERE {} ORDER BY created_ns, id", kFileColumns, condition)));
  std::vector<TrailLogFile> files;
  while (CV_TRY(stmt.step())) files.push_back(file_from(stmt));
  return files;
}

constexpr std::string_view kDigestColumns = "key, start_ns, end_ns, sha256, signature, backfill";

TrailDigest digest_from(const Statement& stmt) {
  return TrailDigest{stmt.column_string(0), stmt.column_int(1),    stmt.column_int(2),
                     stmt.column_string(3), stmt.column_string(4), stmt.column_int(5) != 0};
}

constexpr std::string_view kRecordColumns =
    "seq, event_time_ns, event_id, event_source, event_name, user_name, access_key_id, bucket, "
    "key, error_code, read_only, record";

TrailRecord record_from(const Statement& stmt) {
  TrailRecord record;
  record.seq = stmt.column_int(0);
  record.event_time_ns = stmt.column_int(1);
  record.event_id = stmt.column_string(2);
  record.event_source = stmt.column_string(3);
  record.event_name = stmt.column_string(4);
  record.user_name = stmt.column_string(5);
  record.access_key_id = stmt.column_string(6);
  record.bucket = stmt.column_string(7);
  record.key = stmt.column_string(8);
  record.error_code = stmt.column_string(9);
  record.read_only = stmt.column_int(10) != 0;
  record.record_json = stmt.column_string(11);
  return record;
}

// The smallest byte string greater than every string that starts with `prefix`; empty when
// there is none (a prefix of 0xff bytes only).
std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace

Status insert_trail_records(Connection& db, const std::vector<TrailRecord>& records) {
  for (const TrailRecord& record : records) {
    auto stmt = CV_TRY(
        db.prepare("INSERT INTO trail_records(event_time_ns, event_id, event_source, event_name, "
                   "user_name, access_key_id, bucket, key, error_code, read_only, record) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    stmt.bind_int(1, record.event_time_ns)
        .bind_text(2, record.event_id)
        .bind_text(3, record.event_source)
        .bind_text(4, record.event_name)
        .bind_text(5, record.user_name)
        .bind_text(6, record.access_key_id)
        .bind_text(7, record.bucket)
        .bind_blob(8, record.key)
        .bind_text(9, record.error_code)
        .bind_int(10, record.read_only ? 1 : 0)
        .bind_text(11, record.record_json);
    CV_TRY(stmt.run());
  }
  return {};
}

// The highest seq a log file holds; every record above it is unfiled.
Result<int64_t> read_last_claimed_seq(Connection& db) {
  auto stmt = CV_TRY(db.prepare("SELECT COALESCE(MAX(last_seq), 0) FROM trail_files"));
  return CV_TRY(stmt.step()) ? stmt.column_int(0) : int64_t{0};
}

Result<std::pair<uint64_t, int64_t>> read_trail_backlog(Connection& db, size_t cap) {
  const int64_t claimed = CV_TRY(read_last_claimed_seq(db));
  auto count = CV_TRY(db.prepare(
      "SELECT COUNT(*) FROM (SELECT 1 FROM trail_records WHERE seq > ?1 LIMIT ?2) AS backlog"));
  count.bind_int(1, claimed).bind_int(2, static_cast<int64_t>(cap));
  if (!CV_TRY(count.step())) return std::pair<uint64_t, int64_t>{0, 0};
  const auto records = static_cast<uint64_t>(count.column_int(0));
  if (records == 0) return std::pair<uint64_t, int64_t>{0, 0};
  auto oldest = CV_TRY(db.prepare(
      "SELECT event_time_ns FROM trail_records WHERE seq > ?1 ORDER BY seq LIMIT 1"));
  oldest.bind_int(1, claimed);
  const int64_t oldest_ns = CV_TRY(oldest.step()) ? oldest.column_int(0) : 0;
  return std::pair<uint64_t, int64_t>{records, oldest_ns};
}

Result<std::optional<TrailLogFile>> claim_trail_file(Connection& db, std::string_view key,
                                                     int64_t created_ns, size_t max_records) {
  // Runs in the writer's transaction, so the highest claimed seq cannot move under it: two
  // claims (this process or another) get disjoint ranges.
  const int64_t claimed = CV_TRY(read_last_claimed_seq(db));
  auto range = CV_TRY(db.prepare(
      "SELECT COUNT(*), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM "
      "(SELECT seq FROM trail_records WHERE seq > ?1 ORDER BY seq LIMIT ?2) AS claimed"));
  range.bind_int(1, claimed).bind_int(2, static_cast<int64_t>(max_records));
  if (!CV_TRY(range.step()) || range.column_int(0) == 0) return std::optional<TrailLogFile>{};
  TrailLogFile file;
  file.key = std::string(key);
  file.created_ns = created_ns;
  file.record_count = static_cast<uint64_t>(range.column_int(0));
  file.first_seq = range.column_int(1);
  file.last_seq = range.column_int(2);
  auto insert = CV_TRY(
      db.prepare("INSERT INTO trail_files(key, created_ns, record_count, first_seq, last_seq) "
                 "VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id"));
  insert.bind_text(1, key)
      .bind_int(2, created_ns)
      .bind_int(3, static_cast<int64_t>(file.record_count))
      .bind_int(4, file.first_seq)
      .bind_int(5, file.last_seq);
  if (!CV_TRY(insert.step())) {
    return fail(ErrorCode::kInternalError, "metadata store: a trail file insert returned no id");
  }
  file.id = insert.column_int(0);
  CV_TRY(insert.run());
  return std::optional<TrailLogFile>(std::move(file));
}

Result<std::vector<TrailLogFile>> read_unwritten_trail_files(Connection& db) {
  return read_files_where(db, "written = 0");
}

Result<std::vector<TrailRecord>> read_trail_file_records(Connection& db, int64_t file_id,
                                                         int64_t after_seq, size_t limit) {
  auto stmt = CV_TRY(db.prepare(fmt::format(
      "SELECT {} FROM trail_records WHERE seq > ?2 AND seq BETWEEN (SELECT first_seq FROM "
      "trail_files WHERE id = ?1) AND (SELECT last_seq FROM trail_files WHERE id = ?1) "
      "ORDER BY seq LIMIT ?3",
      kRecordColumns)));
  stmt.bind_int(1, file_id)
      .bind_int(2, after_seq)
      .bind_int(3, static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max())));
  std::vector<TrailRecord> records;
  while (CV_TRY(stmt.step())) records.push_back(record_from(stmt));
  return records;
}

Status mark_trail_file_written(Connection& db, int64_t file_id, std::string_view sha256_hex,
                               int64_t oldest_event_ns, int64_t newest_event_ns) {
  auto stmt =
      CV_TRY(db.prepare("UPDATE trail_files SET written = 1, sha256 = ?2, oldest_event_ns = ?3, "
                        "newest_event_ns = ?4 WHERE id = ?1"));
  stmt.bind_int(1, file_id)
      .bind_text(2, sha256_hex)
      .bind_int(3, oldest_event_ns)
      .bind_int(4, newest_event_ns);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kNoSuchKey, fmt::format("no trail log file {}", file_id));
  }
  return {};
}

Result<std::vector<TrailLogFile>> read_undigested_trail_files(Connection& db) {
  return read_files_where(db, "digest_key = '' AND written = 1");
}

Status insert_trail_digest(Connection& db, const TrailDigest& digest,
                           const std::vector<int64_t>& file_ids,
                           std::string_view expected_previous_key) {
  if (!digest.backfill) {
    auto head = CV_TRY(read_trail_chain_head(db));
    const std::string current = head ? head->key : std::string();
    if (current != expected_previous_key) {
      return fail(ErrorCode::kPreconditionFailed,
                  "the trail's digest chain moved on (another process wrote a digest)");
    }
  }
  auto insert = CV_TRY(
      db.prepare("INSERT INTO trail_digests(key, start_ns, end_ns, sha256, signature, backfill) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  insert.bind_text(1, digest.key)
      .bind_int(2, digest.start_ns)
      .bind_int(3, digest.end_ns)
      .bind_text(4, digest.sha256_hex)
      .bind_text(5, digest.signature_hex)
      .bind_int(6, digest.backfill ? 1 : 0);
  CV_TRY(insert.run());
  for (int64_t file_id : file_ids) {
    auto list =
        CV_TRY(db.prepare("UPDATE trail_files SET digest_key = ?2 WHERE id = ?1 AND digest_key = "
                          "'' AND written = 1"));
    list.bind_int(1, file_id).bind_text(2, digest.key);
    CV_TRY(list.run());
    if (list.changes() == 0) {
      return fail(
          ErrorCode::kPreconditionFailed,
          fmt::format("trail log file {} is unwritten or listed by a digest already", file_id));
    }
  }
  if (!digest.backfill) {
    auto head =
        CV_TRY(db.prepare("INSERT INTO trail_chain(id, digest_key) VALUES(1, ?1) "
                          "ON CONFLICT(id) DO UPDATE SET digest_key = excluded.digest_key"));
    head.bind_text(1, digest.key);
    CV_TRY(head.run());
  }
  return {};
}

Result<std::optional<TrailDigest>> read_trail_chain_head(Connection& db) {
  auto stmt = CV_TRY(db.prepare(fmt::format(
      "SELECT {} FROM trail_digests WHERE key = (SELECT digest_key FROM trail_chain WHERE id = 1)",
      kDigestColumns)));
  if (!CV_TRY(stmt.step())) return std::optional<TrailDigest>{};
  return std::optional<TrailDigest>(digest_from(stmt));
}

Result<std::vector<TrailDigest>> read_trail_digests(Connection& db) {
  auto stmt = CV_TRY(
      db.prepare(fmt::format("SELECT {} FROM trail_digests ORDER BY end_ns, key", kDigestColumns)));
  std::vector<TrailDigest> digests;
  while (CV_TRY(stmt.step())) digests.push_back(digest_from(stmt));
  return digests;
}

namespace {

// Scalar of a one-row query with one integer parameter (0 when it returns no row).
Result<int64_t> read_int(Connection& db, std::string_view sql, int64_t parameter) {
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_int(1, parameter);
  return CV_TRY(stmt.step()) ? stmt.column_int(0) : int64_t{0};
}

// The lowest seq that can hold a record at or after `from_ns`: every record below it lies in
// a written log file whose newest event is older. Log files claim contiguous seq ranges from
// the first record on, so the first file that is unwritten or reaches from_ns starts it; when
// there is none, every filed record is older and the bound is the first unfiled seq.
Result<int64_t> read_first_seq_from(Connection& db, int64_t from_ns) {
  return read_int(db,
                  "SELECT COALESCE((SELECT MIN(first_seq) FROM trail_files WHERE written = 0 OR "
                  "newest_event_ns >= ?1), (SELECT COALESCE(MAX(last_seq), 0) + 1 FROM "
                  "trail_files))",
                  from_ns);
}

}  // namespace

Result<TrailPage> read_trail_page(Connection& db, const TrailQuery& query) {
  // The window: at most max_examined seqs below the continuation (or the newest record),
  // never below the first seq that can match from_ns. Seqs are dense but for rolled-back
  // appends, so the window bounds the rows examined whatever the filter.
  const int64_t examined = static_cast<int64_t>(std::max<size_t>(query.max_examined, 1));
  const int64_t high = query.before_seq != 0
                           ? query.before_seq
                           : CV_TRY(read_int(db, "SELECT COALESCE(MAX(seq), 0) + ?1 FROM "
                                                 "trail_records", 1));
  const int64_t oldest =
      CV_TRY(read_int(db, "SELECT COALESCE(MIN(seq), ?1) FROM trail_records", high));
  int64_t floor = oldest;
  if (query.from_ns != 0) floor = std::max(floor, CV_TRY(read_first_seq_from(db, query.from_ns)));
  const int64_t low = std::max(high - examined, floor);
  TrailPage page;
  if (low >= high) return page;

  // The conditions present decide the text, so each combination is one cached statement.
  std::string sql = fmt::format(
      "SELECT {} FROM trail_records WHERE seq < ?11 AND seq >= ?13", kRecordColumns);
  const std::string key_end = prefix_end(query.key_prefix);
  if (!query.user_name.empty()) sql += " AND user_name = ?1";
  if (!query.access_key_id.empty()) sql += " AND access_key_id = ?2";
  if (!query.bucket.empty()) sql += " AND bucket = ?3";
  if (!query.key_prefix.empty()) {
    sql += " AND key >= ?4";
    if (!key_end.empty()) sql += " AND key < ?5";
  }
  if (!query.event_name.empty()) sql += " AND event_name = ?6";
  if (!query.error_code.empty()) {
    sql += " AND error_code = ?7";
  } else if (query.errors_only) {
    sql += " AND error_code != ''";
  }
  if (query.read_only) sql += " AND read_only = ?8";
  if (query.from_ns != 0) sql += " AND event_time_ns >= ?9";
  if (query.to_ns != 0) sql += " AND event_time_ns < ?10";
  sql += " ORDER BY seq DESC LIMIT ?12";
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, query.user_name)
      .bind_text(2, query.access_key_id)
      .bind_text(3, query.bucket)
      .bind_blob(4, query.key_prefix)
      .bind_blob(5, key_end)
      .bind_text(6, query.event_name)
      .bind_text(7, query.error_code)
      .bind_int(8, query.read_only.value_or(false) ? 1 : 0)
      .bind_int(9, query.from_ns)
      .bind_int(10, query.to_ns)
      .bind_int(11, high)
      .bind_int(12, static_cast<int64_t>(query.max) + 1)
      .bind_int(13, low);
  while (CV_TRY(stmt.step())) {
    if (page.records.size() == query.max) {
      page.next_before_seq = page.records.back().seq;
      return page;
    }
    page.records.push_back(record_from(stmt));
  }
  // The window is exhausted: older records remain to examine unless it reached the floor.
  if (low > floor) page.next_before_seq = low;
  return page;
}

}  // namespace cv::meta::sqlite
