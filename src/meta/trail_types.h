// The audit trail's durable state (MetaStore's trail methods): the spool of CloudTrail
// records, which is also their lookup index; the log files the records are rolled into; the
// digest files that sign them, chained. Plain values; the record JSON is opaque here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cv::meta {

// One CloudTrail record and the fields lookups filter on.
struct TrailRecord {
  int64_t seq = 0;  // assigned by append_trail_records: increasing, never reused
  int64_t event_time_ns = 0;
  std::string event_id;
  std::string event_source;
  std::string event_name;
  std::string user_name;  // userIdentity.userName ("root" for the root user), may be empty
  std::string access_key_id;
  std::string bucket;
  std::string key;
  std::string error_code;  // empty when the call succeeded
  bool read_only = false;
  std::string record_json;  // the whole record, as it goes into a log file
};

// A log file: the records claim_trail_file assigned to it, in seq order: every record with
// first_seq <= seq <= last_seq (claims take contiguous ranges).
struct TrailLogFile {
  int64_t id = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::string key;         // AWSLogs/.../<account>_CloudTrail_<region>_<time>_<unique>.json.gz
  int64_t created_ns = 0;  // when it was claimed: the time in its key
  uint64_t record_count = 0;
  // Set by mark_trail_file_written.
  bool written = false;
  std::string sha256_hex;  // of the uncompressed file
  int64_t oldest_event_ns = 0;
  int64_t newest_event_ns = 0;
  std::string digest_key;  // the digest that lists it; empty until one does
};

// A digest file as recorded when it was written.
struct TrailDigest {
  std::string key;
  int64_t start_ns = 0;  // [start, end) whole seconds
  int64_t end_ns = 0;
  std::string sha256_hex;  // of the uncompressed digest document
  std::string signature_hex;
  bool backfill = false;  // a _backfill digest: outside the chain
};

// What lookup_trail filters on; every set field must match. Records come newest first.
struct TrailQuery {
  std::string user_name;
  std::string access_key_id;
  std::string bucket;
  std::string key_prefix;
  std::string event_name;
  bool errors_only = false;  // only records with an error code
  std::string error_code;    // only this error code
  std::optional<bool> read_only;
  int64_t from_ns = 0;     // event time >= from_ns (0: no bound)
  int64_t to_ns = 0;       // event time < to_ns (0: no bound)
  int64_t before_seq = 0;  // the continuation: only records with seq < before_seq (0: none)
  size_t max = 50;
  // At most this many records are examined for one page (the store may lower it), whatever
  // the filter: a sparse filter gets a short or empty page with a continuation, as AWS's
  // LookupEvents returns empty pages with a NextToken.
  size_t max_examined = 20000;
};

struct TrailPage {
  std::vector<TrailRecord> records;
  // The continuation (pass as before_seq); 0 when no older record can match. A page with
  // fewer than max records, even none, may still have one.
  int64_t next_before_seq = 0;
};

}  // namespace cv::meta
