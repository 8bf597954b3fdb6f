#include "meta/sqlite/migrations.h"

#include <fmt/format.h>

#include <algorithm>

namespace cv::meta::sqlite {
namespace {

// Version 1: users, keys, buckets, objects (every row a version; is_latest marks the
// current one), multipart uploads, blob reference counts and the garbage list.
//
// Keys are BLOBs so they compare as bytes. Each object row keeps the columns listings need
// first and the inline body last (it may spill to overflow pages that listings never read).
// Rarely used fields are JSON text, NULL when empty.
constexpr const char kSchemaV1[] = R"sql(
CREATE TABLE users(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  is_root INTEGER NOT NULL,
  created_ns INTEGER NOT NULL
);

CREATE TABLE access_keys(
  access_key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  created_ns INTEGER NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys(user_id, access_key_id);

CREATE TABLE buckets(
  name TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  region TEXT NOT NULL,
  created_ns INTEGER NOT NULL
);

CREATE TABLE bucket_configs(
  bucket TEXT NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY(bucket, kind)
);

-- attributes: {"headers":[[name,value]...],"metadata":[[name,value]...]}
-- tags: [[key,value]...]; blobs: [[blob_id,size]...], NULL when the body is inline.
CREATE TABLE objects(
  id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL REFERENCES buckets(name),
  key BLOB NOT NULL,
  version_id TEXT NOT NULL,
  is_latest INTEGER NOT NULL,
  is_delete_marker INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  mtime_ns INTEGER NOT NULL,
  owner_id TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  content_type TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  checksum_value TEXT NOT NULL,
  parts_count INTEGER NOT NULL,
  attributes TEXT,
  tags TEXT,
  blobs TEXT,
  inline_data BLOB NOT NULL
);
-- The only index on objects, so a PUT of a new key writes one index entry. Within a key the
-- current version sorts first: fetching it is one seek, and listings range-scan this index
-- in key order, testing is_latest from the index without reading non-current rows.
-- The writer keeps at most one is_latest row per key.
CREATE UNIQUE INDEX objects_by_key ON objects(bucket, key, is_latest DESC, version_id);

CREATE TABLE uploads(
  upload_id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL REFERENCES buckets(name),
  key BLOB NOT NULL,
  initiated_ns INTEGER NOT NULL,
  owner_id TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  content_type TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  attributes TEXT,
  tags TEXT
);
CREATE INDEX uploads_by_key ON uploads(bucket, key, initiated_ns, upload_id);

CREATE TABLE parts(
  upload_id TEXT NOT NULL REFERENCES uploads(upload_id),
  part_number INTEGER NOT NULL,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  checksum_value TEXT NOT NULL,
  blob_id TEXT,
  blob_size INTEGER,
  inline_data BLOB NOT NULL,
  PRIMARY KEY(upload_id, part_number)
);

-- How many object versions and parts reference each blob; a blob whose count drops to
-- zero moves to garbage in the same transaction.
CREATE TABLE blob_refs(
  blob_id TEXT PRIMARY KEY,
  refs INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE garbage(
  id INTEGER PRIMARY KEY,
  blob_id TEXT NOT NULL UNIQUE
);
)sql";

// Version 2: versioning. Versions of a key are ordered by when they were written, not by
// id (the "null" version's place is the time it was last written), so each row gets
// created_seq: its position in its key's history, one more than the key's current version
// when written (a replacement too). The current version always has the greatest
// created_seq of its key.
//
// The column comes last (after inline_data); it is read from the index, never the row.
// Existing databases: rows of keys with one version keep 0; in keys with several (none
// were written before versioning, but the schema allowed it), noncurrent rows take their
// rowid (insertion order) and the current one a number above every rowid.
//
// The index replaces objects_by_key and is still the only index on objects: within a key
// the current version sorts first, then the others newest first, so fetching the current
// version is one seek, listings of current versions test is_latest from the index, and
// version listings range-scan it in order. version_id is in the index so a lookup by
// version id reads only the key's index entries.
constexpr const char kSchemaV2[] = R"sql(
ALTER TABLE objects ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
UPDATE objects SET created_seq = id WHERE is_latest = 0;
UPDATE objects SET created_seq = (SELECT max(id) FROM objects) + 1
  WHERE is_latest = 1 AND EXISTS(SELECT 1 FROM objects AS other
                                 WHERE other.bucket = objects.bucket AND other.key = objects.key
                                   AND other.is_latest = 0);
DROP INDEX objects_by_key;
CREATE INDEX object_versions_by_key
  ON objects(bucket, key, is_latest DESC, created_seq DESC, version_id);
)sql";

// Version 3: encryption, tiers and lifecycle.
// - storage: how the body is kept (encryption, a restored copy), JSON, NULL when plain.
// - due_ns: when the lifecycle worker must next look at the version, NULL for never; the
//   partial index holds only scheduled versions, so a bucket without lifecycle rules pays
//   nothing and the worker finds due versions with one range scan.
// - noncurrent_ns: when the version stopped being current (0 while current), which
//   noncurrent-version rules count from. Existing noncurrent rows take their mtime.
// - uploads.storage: the upload's encryption (its data key), as objects.storage.
// - events: the outbox of event records (lifecycle transitions and expirations so far),
//   written in the same transaction as the change; consumers read in seq order.
constexpr const char kSchemaV3[] = R"sql(
ALTER TABLE objects ADD COLUMN storage TEXT;
ALTER TABLE objects ADD COLUMN due_ns INTEGER;
ALTER TABLE objects ADD COLUMN noncurrent_ns INTEGER NOT NULL DEFAULT 0;
UPDATE objects SET noncurrent_ns = mtime_ns WHERE is_latest = 0;
CREATE INDEX objects_by_due ON objects(due_ns) WHERE due_ns IS NOT NULL;
ALTER TABLE uploads ADD COLUMN storage TEXT;
CREATE TABLE events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ns INTEGER NOT NULL,
  name TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  version_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  detail TEXT
);
)sql";

// Version 4: the outbox as the spine of every reaction to a change.
// - events: who caused the change (principal, address, request id); written for every
//   change of an object from now on.
// - event_consumers: each consumer's durable position (the seq of the last event it took).
// - outbox_tasks: the work a consumer derived from an event (a delivery to one target, a
//   copy to one destination), retried on its own; recorded in the same transaction that
//   advances the consumer, so the position never passes work that is not done or parked.
//   The partial index finds a target's due work with one range scan.
constexpr const char kSchemaV4[] = R"sql(
ALTER TABLE events ADD COLUMN principal_id TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN source_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
CREATE INDEX events_by_time ON events(time_ns);
CREATE TABLE event_consumers(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE outbox_tasks(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consumer TEXT NOT NULL,
  target TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  payload TEXT NOT NULL,
  failed INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_try_ns INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_tasks_due ON outbox_tasks(consumer, target, next_try_ns, id) WHERE failed = 0;
CREATE INDEX outbox_tasks_by_event ON outbox_tasks(event_seq);
)sql";

// Version 5: replication.
// - objects.replication: the version's x-amz-replication-status ('' when no rule applies).
// - replication_stats: per source bucket and rule, what replication has done (counts,
//   bytes, latency, the last error), updated in the transaction that ends each task.
constexpr const char kSchemaV5[] = R"sql(
ALTER TABLE objects ADD COLUMN replication TEXT NOT NULL DEFAULT '';
CREATE TABLE replication_stats(
  bucket TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  replicated INTEGER NOT NULL DEFAULT 0,
  replicated_bytes INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  latency_sum_ns INTEGER NOT NULL DEFAULT 0,
  latency_max_ns INTEGER NOT NULL DEFAULT 0,
  last_done_ns INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_ns INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(bucket, rule_id)
) WITHOUT ROWID;
)sql";

// Version 6: notification targets added with `cloudvault admin notify add` (the
// configuration file's are not stored). settings: JSON of the settings that are not secret;
// sealed_secrets: the others, sealed under the master key (resealed by its rotation).
constexpr const char kSchemaV6[] = R"sql(
CREATE TABLE notify_targets(
  name TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  sealed_secrets BLOB NOT NULL,
  created_ns INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 7: the activity pipeline (src/activity). Actors are the distinct identities of
// ingested CloudTrail records; events are upserted by event id, keyed by (time, id) so that
// ingest appends in time order instead of writing pages all over a key-ordered table (a
// CloudTrail event id always comes with the same eventTime); bursts hold one row per
// (actor, source, name, collapse window) with the highest points of its events; daily holds
// per (actor, day, service) the sum of its bursts' points and the count of its events, so a
// profile's year is a range read of a few hundred rows per actor. files are the checkpoints
// of incremental ingest; profiles gather principals (matched against any actor column).
constexpr const char kSchemaV7[] = R"sql(
CREATE TABLE activity_actors(
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  arn TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  issuer_arn TEXT NOT NULL,
  UNIQUE(account_id, arn, access_key_id, user_name, issuer_arn)
);
CREATE INDEX activity_actors_by_arn ON activity_actors(arn);
CREATE INDEX activity_actors_by_key ON activity_actors(access_key_id);
CREATE INDEX activity_actors_by_user ON activity_actors(user_name);
CREATE INDEX activity_actors_by_issuer ON activity_actors(issuer_arn);

CREATE TABLE activity_events(
  time_ns INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  actor_id INTEGER NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  record_hash BLOB NOT NULL,
  service TEXT NOT NULL,
  points INTEGER NOT NULL,
  window_s INTEGER NOT NULL,
  PRIMARY KEY(time_ns, event_id)
) WITHOUT ROWID;

CREATE TABLE activity_bursts(
  actor_id INTEGER NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  window_s INTEGER NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY(actor_id, window_s, event_source, event_name)
) WITHOUT ROWID;

CREATE TABLE activity_daily(
  actor_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  service TEXT NOT NULL,
  points INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY(actor_id, day, service)
) WITHOUT ROWID;

CREATE TABLE activity_files(
  source TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  records INTEGER NOT NULL,
  read_ns INTEGER NOT NULL,
  PRIMARY KEY(source, path)
) WITHOUT ROWID;

CREATE TABLE activity_profiles(
  name TEXT PRIMARY KEY,
  created_ns INTEGER NOT NULL,
  public_token TEXT UNIQUE  -- set while the profile's public page is on
) WITHOUT ROWID;

CREATE TABLE activity_profile_principals(
  profile TEXT NOT NULL REFERENCES activity_profiles(name) ON DELETE CASCADE,
  principal TEXT NOT NULL,
  PRIMARY KEY(profile, principal)
) WITHOUT ROWID;
)sql";

// Version 8: the audit trail (src/audit, issue 13).
// - trail_records: the spool of CloudTrail records and their lookup index. file_id is NULL
//   until claim_trail_file assigns the record to a log file.
// - trail_files: log files, claimed (records assigned, key chosen), then written (hash and
//   event times set); digest_key names the digest that lists the file.
// - trail_digests: the digest files written; trail_chain: the chain's head (one row).
constexpr const char kSchemaV8[] = R"sql(
CREATE TABLE trail_records(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_time_ns INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  error_code TEXT NOT NULL,
  read_only INTEGER NOT NULL,
  record TEXT NOT NULL,
  file_id INTEGER
);
CREATE INDEX trail_records_unfiled ON trail_records(seq) WHERE file_id IS NULL;
CREATE INDEX trail_records_by_file ON trail_records(file_id, seq) WHERE file_id IS NOT NULL;
CREATE INDEX trail_records_by_time ON trail_records(event_time_ns);
CREATE INDEX trail_records_by_user ON trail_records(user_name, seq);
CREATE INDEX trail_records_by_access_key ON trail_records(access_key_id, seq);
CREATE INDEX trail_records_by_object ON trail_records(bucket, key);
CREATE INDEX trail_records_by_event ON trail_records(event_name, seq);
CREATE INDEX trail_records_by_error ON trail_records(error_code, seq) WHERE error_code != '';
CREATE TABLE trail_files(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  created_ns INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  written INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL DEFAULT '',
  oldest_event_ns INTEGER NOT NULL DEFAULT 0,
  newest_event_ns INTEGER NOT NULL DEFAULT 0,
  digest_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX trail_files_undigested ON trail_files(created_ns) WHERE digest_key = '';
CREATE TABLE trail_digests(
  key TEXT PRIMARY KEY,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  signature TEXT NOT NULL,
  backfill INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE trail_chain(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  digest_key TEXT NOT NULL
);
)sql";

// Version 9 (issue 14, IAM): users gain an IAM path, unique id (AIDA...) and tags; access keys
// a status and when, where and for which service they were last used; groups and their
// members, roles, managed policies, inline policies of users / groups / roles, and the
// attachments of managed policies to them. A user is referred to by its canonical id, a
// group, role or managed policy by its name (IAM names are unique per account, and neither
// is renamed). Existing users get an IAM id derived from their canonical id.
constexpr const char kSchemaV9[] = R"sql(
ALTER TABLE users ADD COLUMN path TEXT NOT NULL DEFAULT '/';
ALTER TABLE users ADD COLUMN iam_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN tags TEXT NOT NULL DEFAULT '';
UPDATE users SET iam_id = 'AIDA' || upper(substr(id, 1, 17)) WHERE iam_id = '';
ALTER TABLE access_keys ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE access_keys ADD COLUMN last_used_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN last_used_region TEXT NOT NULL DEFAULT '';
CREATE TABLE iam_groups(
  name TEXT PRIMARY KEY COLLATE NOCASE,
  path TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  created_ns INTEGER NOT NULL
);
CREATE TABLE iam_group_members(
  group_name TEXT NOT NULL REFERENCES iam_groups(name) COLLATE NOCASE,
  user_id TEXT NOT NULL,
  PRIMARY KEY(group_name, user_id)
) WITHOUT ROWID;
CREATE INDEX iam_group_members_by_user ON iam_group_members(user_id, group_name);
CREATE TABLE iam_roles(
  name TEXT PRIMARY KEY COLLATE NOCASE,
  path TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  trust_policy TEXT NOT NULL,
  description TEXT NOT NULL,
  max_session_seconds INTEGER NOT NULL,
  created_ns INTEGER NOT NULL
);
CREATE TABLE iam_managed_policies(
  name TEXT PRIMARY KEY COLLATE NOCASE,
  path TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  document TEXT NOT NULL,
  description TEXT NOT NULL,
  created_ns INTEGER NOT NULL
);
CREATE TABLE iam_inline_policies(
  principal_kind INTEGER NOT NULL,
  principal TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY(principal_kind, principal, name)
) WITHOUT ROWID;
CREATE TABLE iam_policy_attachments(
  principal_kind INTEGER NOT NULL,
  principal TEXT NOT NULL,
  policy_name TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY(principal_kind, principal, policy_name)
) WITHOUT ROWID;
CREATE INDEX iam_policy_attachments_by_policy ON iam_policy_attachments(policy_name);
)sql";

// Version 11: access control lists (s3/acl.h). objects.acl: the version's ACL document, NULL
// for the default (its owner has FULL_CONTROL); uploads.acl: the one the completed object
// gets. Bucket ACLs and object ownership are bucket_configs ("acl", "ownership").
constexpr const char kSchemaV11[] = R"sql(
ALTER TABLE objects ADD COLUMN acl TEXT;
ALTER TABLE uploads ADD COLUMN acl TEXT;
)sql";

// Version 12: S3's additional checksums (issue 14). checksum_type: "FULL_OBJECT",
// "COMPOSITE" or "" (older rows: a value ending in "-N" is composite); part_checksums: a
// multipart object's part checksums, space-separated ("-": none). Versions 9-11 are other
// parts of issue 14; the runner applies whatever the array holds, in order.
constexpr const char kSchemaV12[] = R"sql(
ALTER TABLE objects ADD COLUMN checksum_type TEXT NOT NULL DEFAULT '';
ALTER TABLE objects ADD COLUMN part_checksums TEXT NOT NULL DEFAULT '';
ALTER TABLE uploads ADD COLUMN checksum_type TEXT NOT NULL DEFAULT '';
)sql";

// Version 13: account-wide configuration documents (the account's public access block),
// one per kind, opaque text like bucket_configs.
constexpr const char kSchemaV13[] = R"sql(
CREATE TABLE account_configs(
  kind TEXT PRIMARY KEY,
  document TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 14: S3 Object Lock. Per version: the retention (mode "", GOVERNANCE or COMPLIANCE,
// and its retain-until time) and the legal hold; uploads keep what the request asked for,
// for the completed object. The bucket's lock configuration is a bucket_configs document
// (kind "object-lock").
constexpr const char kSchemaV14[] = R"sql(
ALTER TABLE objects ADD COLUMN lock_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE objects ADD COLUMN lock_until_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE uploads ADD COLUMN lock_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE uploads ADD COLUMN lock_until_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE uploads ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 15: storage usage per (bucket, storage class), kept exact by triggers on `objects`
// in the same transaction as every change of a version (issue 15: usage metrics without
// scanning). Every path that writes `objects` (put, delete, version promotion, transitions,
// replicas, multipart completion, lifecycle expiry) inserts, deletes or updates rows, so the
// triggers see them all. A version counts by its storage class: current versions that are not
// delete markers as objects/bytes, noncurrent ones as noncurrent_versions/noncurrent_bytes,
// delete markers (current or not) as delete_markers. A restored copy of an archived version
// lives in the version's own row (objects.storage) and is not counted. Rows whose counters all
// drop to zero are removed, so an emptied (and deleted) bucket leaves nothing behind. The
// backfill counts the rows already there.
constexpr const char kSchemaV15[] = R"sql(
CREATE TABLE storage_usage(
  bucket TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  objects INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  noncurrent_versions INTEGER NOT NULL DEFAULT 0,
  noncurrent_bytes INTEGER NOT NULL DEFAULT 0,
  delete_markers INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(bucket, storage_class)
) WITHOUT ROWID;
INSERT INTO storage_usage(bucket, storage_class, objects, bytes, noncurrent_versions,
                          noncurrent_bytes, delete_markers)
  SELECT bucket, storage_class,
         sum(is_latest != 0 AND is_delete_marker = 0),
         sum(CASE WHEN is_latest != 0 AND is_delete_marker = 0 THEN size ELSE 0 END),
         sum(is_latest = 0 AND is_delete_marker = 0),
         sum(CASE WHEN is_latest = 0 AND is_delete_marker = 0 THEN size ELSE 0 END),
         sum(is_delete_marker != 0)
  FROM objects GROUP BY bucket, storage_class;
CREATE TRIGGER storage_usage_on_insert AFTER INSERT ON objects BEGIN
  INSERT INTO storage_usage(bucket, storage_class, objects, bytes, noncurrent_versions,
                            noncurrent_bytes, delete_markers)
  VALUES(NEW.bucket, NEW.storage_class,
         NEW.is_latest != 0 AND NEW.is_delete_marker = 0,
         CASE WHEN NEW.is_latest != 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
         NEW.is_latest = 0 AND NEW.is_delete_marker = 0,
         CASE WHEN NEW.is_latest = 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
         NEW.is_delete_marker != 0)
  ON CONFLICT(bucket, storage_class) DO UPDATE SET
    objects = objects + excluded.objects, bytes = bytes + excluded.bytes,
    noncurrent_versions = noncurrent_versions + excluded.noncurrent_versions,
    noncurrent_bytes = noncurrent_bytes + excluded.noncurrent_bytes,
    delete_markers = delete_markers + excluded.delete_markers;
END;
CREATE TRIGGER storage_usage_on_delete AFTER DELETE ON objects BEGIN
  UPDATE storage_usage SET
    objects = objects - (OLD.is_latest != 0 AND OLD.is_delete_marker = 0),
    bytes = bytes - CASE WHEN OLD.is_latest != 0 AND OLD.is_delete_marker = 0 THEN OLD.size
                         ELSE 0 END,
    noncurrent_versions = noncurrent_versions - (OLD.is_latest = 0 AND OLD.is_delete_marker = 0),
    noncurrent_bytes = noncurrent_bytes - CASE WHEN OLD.is_latest = 0 AND OLD.is_delete_marker = 0
                                               THEN OLD.size ELSE 0 END,
    delete_markers = delete_markers - (OLD.is_delete_marker != 0)
  WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class;
  DELETE FROM storage_usage
  WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class AND objects = 0 AND bytes = 0
    AND noncurrent_versions = 0 AND noncurrent_bytes = 0 AND delete_markers = 0;
END;
CREATE TRIGGER storage_usage_on_update
AFTER UPDATE OF bucket, storage_class, size, is_latest, is_delete_marker ON objects BEGIN
  UPDATE storage_usage SET
    objects = objects - (OLD.is_latest != 0 AND OLD.is_delete_marker = 0),
    bytes = bytes - CASE WHEN OLD.is_latest != 0 AND OLD.is_delete_marker = 0 THEN OLD.size
                         ELSE 0 END,
    noncurrent_versions = noncurrent_versions - (OLD.is_latest = 0 AND OLD.is_delete_marker = 0),
    noncurrent_bytes = noncurrent_bytes - CASE WHEN OLD.is_latest = 0 AND OLD.is_delete_marker = 0
                                               THEN OLD.size ELSE 0 END,
    delete_markers = delete_markers - (OLD.is_delete_marker != 0)
  WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class;
  INSERT INTO storage_usage(bucket, storage_class, objects, bytes, noncurrent_versions,
                            noncurrent_bytes, delete_markers)
  VALUES(NEW.bucket, NEW.storage_class,
         NEW.is_latest != 0 AND NEW.is_delete_marker = 0,
         CASE WHEN NEW.is_latest != 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
         NEW.is_latest = 0 AND NEW.is_delete_marker = 0,
         CASE WHEN NEW.is_latest = 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
         NEW.is_delete_marker != 0)
  ON CONFLICT(bucket, storage_class) DO UPDATE SET
    objects = objects + excluded.objects, bytes = bytes + excluded.bytes,
    noncurrent_versions = noncurrent_versions + excluded.noncurrent_versions,
    noncurrent_bytes = noncurrent_bytes + excluded.noncurrent_bytes,
    delete_markers = delete_markers + excluded.delete_markers;
  DELETE FROM storage_usage
  WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class AND objects = 0 AND bytes = 0
    AND noncurrent_versions = 0 AND noncurrent_bytes = 0 AND delete_markers = 0;
END;
)sql";

// Version 16: operations (issue 15). Alarm rules added at run time (a JSON document each),
// every alarm's last evaluated state, the history of its state changes, and the server's own
// downsampled metric series for the console's dashboard.
constexpr const char kSchemaV16[] = R"sql(
CREATE TABLE alarm_rules(
  name TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE alarm_states(
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  since_ns INTEGER NOT NULL,
  evaluated_ns INTEGER NOT NULL,
  reason TEXT NOT NULL,
  value REAL
) WITHOUT ROWID;
CREATE TABLE alarm_history(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  time_ns INTEGER NOT NULL,
  old_state TEXT NOT NULL,
  new_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX alarm_history_by_name ON alarm_history(name, id);
CREATE INDEX alarm_history_by_time ON alarm_history(time_ns);
CREATE TABLE metric_points(
  series TEXT NOT NULL,
  resolution INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY(resolution, series, time_ns)
) WITHOUT ROWID;
)sql";

// Version 17 (issue 16): the audit trail's spool gets cheaper per record.
// - A log file claims a contiguous seq range (first_seq..last_seq) instead of each record
//   carrying its file_id: claiming is one row insert, not one update per record (which
//   rewrote the row and moved it between two partial indexes). "Unfiled" is every record
//   above the highest last_seq. Records claimed in the old layout keep their files: each
//   file's range is its records' lowest and highest seq (claims always took the oldest
//   unfiled records at once, so the ranges are contiguous and never overlap).
// - The eight secondary indexes on trail_records go: lookups scan newest first by seq with a
//   bounded number of rows examined per page (trail_ops.cc), so an append writes the row and
//   nothing else.
constexpr const char kSchemaV17[] = R"sql(
ALTER TABLE trail_files ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trail_files ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
UPDATE trail_files SET
  first_seq = COALESCE((SELECT MIN(seq) FROM trail_records WHERE file_id = trail_files.id), 0),
  last_seq = COALESCE((SELECT MAX(seq) FROM trail_records WHERE file_id = trail_files.id), 0);
DROP INDEX trail_records_unfiled;
DROP INDEX trail_records_by_file;
DROP INDEX trail_records_by_time;
DROP INDEX trail_records_by_user;
DROP INDEX trail_records_by_access_key;
DROP INDEX trail_records_by_object;
DROP INDEX trail_records_by_event;
DROP INDEX trail_records_by_error;
ALTER TABLE trail_records DROP COLUMN file_id;
CREATE INDEX trail_files_by_last_seq ON trail_files(last_seq);
CREATE INDEX trail_files_unwritten ON trail_files(created_ns) WHERE written = 0;
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3},   {4, kSchemaV4},   {5, kSchemaV5},
    {6, kSchemaV6}, {7, kSchemaV7}, {8, kSchemaV8},   {9, kSchemaV9},   {11, kSchemaV11},
    {12, kSchemaV12}, {13, kSchemaV13}, {14, kSchemaV14}, {15, kSchemaV15},
    {16, kSchemaV16}, {17, kSchemaV17},
};

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> schema_version(Connection& connection) {
  auto stmt = CV_TRY(connection.prepare("PRAGMA user_version"));
  if (!CV_TRY(stmt.step())) return 0;
  return static_cast<int>(stmt.column_int(0));
}

Status migrate(Connection& connection, const MigrationStepCallback& after_step) {
  int latest = latest_schema_version();
  CV_TRY(connection.execute_script("BEGIN IMMEDIATE"));
  auto applied = [&]() -> Status {
    int version = CV_TRY(schema_version(connection));
    if (version > latest) {
      return fail(ErrorCode::kInternalError,
                  fmt::format("metadata store: schema version {} is newer than this program's {}",
                              version, latest));
    }
    const auto steps = schema_migrations();
    const auto pending = static_cast<size_t>(std::count_if(
        steps.begin(), steps.end(), [&](const Migration& step) { return step.version > version; }));
    size_t applied = 0;
    for (const Migration& step : steps) {
      if (step.version <= version) continue;
      CV_TRY(connection.execute_script(step.sql));
      CV_TRY(
          connection.execute_script(fmt::format("PRAGMA user_version={}", step.version).c_str()));
      ++applied;
      if (after_step && version > 0) after_step(version, latest, applied, pending);
    }
    return {};
  }();
  if (!applied) {
    (void)connection.execute_script("ROLLBACK");
    return applied;
  }
  return connection.execute_script("COMMIT");
}

}  // namespace cv::meta::sqlite
