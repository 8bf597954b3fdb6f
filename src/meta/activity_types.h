// What the metadata store keeps for the activity pipeline (src/activity): ingested
// CloudTrail events with their score, per-day aggregates, file checkpoints and profiles.
// Plain values; the activity layer decides every score, the store only adds them up.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace cv::meta {

// Who made a call: the identity facts of a CloudTrail record's userIdentity. Empty strings
// for facts the record lacks. One stored actor per distinct combination of the five.
struct ActivityActor {
  std::string account_id;
  std::string arn;
  std::string access_key_id;
  std::string user_name;
  std::string issuer_arn;  // sessionContext.sessionIssuer.arn of an AssumedRole

  bool operator==(const ActivityActor&) const = default;
};

// How an event counts, as the scoring rules say. Events of one actor with the same event
// source, event name and window_start form one burst, which counts once, with the highest
// points of its events (so the total is independent of ingest order).
struct ActivityScoring {
  std::string service;         // "ec2", "s3", "vpc", ... or "other"
  int64_t points_milli = 0;    // thousandths of a point; 0 for events the rules do not score
  int64_t window_start_s = 0;  // Unix seconds; the collapse window the event falls in
};

struct ActivityEvent {
  std::string event_id;  // CloudTrail's eventID, or "sha256:<hex>" of the canonical record
  int64_t time_ns = 0;   // eventTime, Unix nanoseconds (UTC)
  std::string event_source;
  std::string event_name;
  bool read_only = false;
  bool failed = false;  // errorCode present
  ActivityActor actor;
  std::string record_hash;  // 32 bytes: SHA-256 of the canonical record
  ActivityScoring scoring;
};

struct ActivityWriteCount {
  uint64_t added = 0;
  uint64_t duplicates = 0;  // event ids already stored (left as they were)
};

// A file of a source that was read to its end (incremental ingest skips it while its size
// and etag stay the same).
struct ActivityFileCheckpoint {
  std::string source;  // as the user names it: a folder, or s3://bucket/prefix
  std::string path;    // the file's path below the folder, or the object key
  int64_t size = 0;
  std::string etag;  // the object's ETag, or the file's modification time in ns as text
  int64_t records = 0;
  int64_t read_ns = 0;
};

// A person: a name gathering principals (account ids, ARNs, access key ids, user names).
struct ActivityProfile {
  std::string name;
  std::vector<std::string> principals;  // ordered
  int64_t created_ns = 0;
};

// The sum over a profile's actors of one day and service.
struct ActivityDayService {
  int64_t day = 0;  // days since 1970-01-01 (UTC)
  std::string service;
  int64_t points_milli = 0;  // bursts collapsed, no cap applied
  int64_t events = 0;        // every stored event, failed and unscored ones included
};

// Scores one stored event again (rescore); runs inside the store's write transaction, so it
// must be quick and must not call the store.
using ActivityRescoreFunction = std::function<Result<ActivityScoring>(const ActivityEvent&)>;

}  // namespace cv::meta
