// SQL for the audit trail (MetaStore's trail methods, schemas v8 and v17): the record spool
// (also what lookups scan), log file claims as seq ranges, digests and the chain head. Writes
// run on the writer connection inside a transaction; reads on any connection. Not thread-safe
// on their own (the caller owns the connection).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/trail_types.h"

namespace cv::meta::sqlite {

Status insert_trail_records(Connection& db, const std::vector<TrailRecord>& records);
// Up to `cap` unfiled records counted, and the event time of the oldest (0 when none).
Result<std::pair<uint64_t, int64_t>> read_trail_backlog(Connection& db, size_t cap);
Result<std::optional<TrailLogFile>> claim_trail_file(Connection& db, std::string_view key,
                                                     int64_t created_ns, size_t max_records);
Result<std::vector<TrailLogFile>> read_unwritten_trail_files(Connection& db);
Result<std::vector<TrailRecord>> read_trail_file_records(Connection& db, int64_t file_id,
                                                         int64_t after_seq, size_t limit);
// kNoSuchKey when the file is not there.
Status mark_trail_file_written(Connection& db, int64_t file_id, std::string_view sha256_hex,
                               int64_t oldest_event_ns, int64_t newest_event_ns);
Result<std::vector<TrailLogFile>> read_undigested_trail_files(Connection& db);
Status insert_trail_digest(Connection& db, const TrailDigest& digest,
                           const std::vector<int64_t>& file_ids,
                           std::string_view expected_previous_key);
Result<std::optional<TrailDigest>> read_trail_chain_head(Connection& db);
Result<std::vector<TrailDigest>> read_trail_digests(Connection& db);
Result<TrailPage> read_trail_page(Connection& db, const TrailQuery& query);

}  // namespace cv::meta::sqlite
