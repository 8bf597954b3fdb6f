#include "meta/postgres/pg_schema.h"

namespace cv::meta::postgres {
namespace {

// Version 1: the SQLite store's schema at its version 17 (meta/sqlite/migrations.cc, every
// step applied): the same tables, columns, indexes and storage_usage triggers under the same
// names, so the stores' statements correspond one to one.
//
// - INTEGER is BIGINT (0/1 flags too, so they bind as the same integers), REAL is DOUBLE
//   PRECISION, BLOB is BYTEA: object keys are bytes and compare as bytes.
// - Text in a key, a unique constraint or an index, or compared with < > or ORDER BY, is
//   COLLATE "C" (byte order, SQLite's BINARY). IAM group, role and managed policy names are
//   cv_nocase, as SQLite's COLLATE NOCASE columns: equal and unique regardless of case (ORDER
//   BY follows ICU's root order, which places punctuation unlike NOCASE's ASCII order).
// - SQLite's INTEGER PRIMARY KEY and AUTOINCREMENT columns are identities (nothing inserts
//   explicit values). No table relies on an implicit rowid.
// - The storage_usage triggers run one PL/pgSQL function.
constexpr const char kSchemaV1[] = R"sql(
CREATE COLLATION cv_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- Users (canonical id, IAM path, id and tags) and their access keys.
CREATE TABLE users(
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  is_root BIGINT NOT NULL,
  created_ns BIGINT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  iam_id TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT ''
);

CREATE TABLE access_keys(
  access_key_id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL,
  sealed_secret BYTEA NOT NULL,
  created_ns BIGINT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  last_used_ns BIGINT NOT NULL DEFAULT 0,
  last_used_service TEXT NOT NULL DEFAULT '',
  last_used_region TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_keys_by_user ON access_keys(user_id, access_key_id);

-- Buckets, their configuration documents by kind, and the account's documents by kind.
CREATE TABLE buckets(
  name TEXT COLLATE "C" PRIMARY KEY,
  owner_id TEXT NOT NULL,
  region TEXT NOT NULL,
  created_ns BIGINT NOT NULL
);

CREATE TABLE bucket_configs(
  bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY(bucket, kind)
);

CREATE TABLE account_configs(
  kind TEXT COLLATE "C" PRIMARY KEY,
  document TEXT NOT NULL
);

-- Object versions, one row each (is_latest: the key's current one, the greatest created_seq).
-- attributes: {"headers":[[name,value]...],"metadata":[[name,value]...]}
-- tags: [[key,value]...]; blobs: [[blob_id,size]...], NULL when the body is inline.
CREATE TABLE objects(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
  key BYTEA NOT NULL,
  version_id TEXT COLLATE "C" NOT NULL,
  is_latest BIGINT NOT NULL,
  is_delete_marker BIGINT NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  owner_id TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  content_type TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  checksum_value TEXT NOT NULL,
  parts_count BIGINT NOT NULL,
  attributes TEXT,
  tags TEXT,
  blobs TEXT,
  inline_data BYTEA NOT NULL,
  created_seq BIGINT NOT NULL DEFAULT 0,
  storage TEXT,
  due_ns BIGINT,
  noncurrent_ns BIGINT NOT NULL DEFAULT 0,
  replication TEXT NOT NULL DEFAULT '',
  acl TEXT,
  checksum_type TEXT NOT NULL DEFAULT '',
  part_checksums TEXT NOT NULL DEFAULT '',
  lock_mode TEXT NOT NULL DEFAULT '',
  lock_until_ns BIGINT NOT NULL DEFAULT 0,
  legal_hold BIGINT NOT NULL DEFAULT 0
);
-- Within a key the current version first, then the others newest first: listings' order.
CREATE INDEX object_versions_by_key
  ON objects(bucket, key, is_latest DESC, created_seq DESC, version_id);
CREATE INDEX objects_by_due ON objects(due_ns) WHERE due_ns IS NOT NULL;

-- Usage per (bucket, storage class), kept exact by the triggers on objects below.
CREATE TABLE storage_usage(
  bucket TEXT COLLATE "C" NOT NULL,
  storage_class TEXT COLLATE "C" NOT NULL,
  objects BIGINT NOT NULL DEFAULT 0,
  bytes BIGINT NOT NULL DEFAULT 0,
  noncurrent_versions BIGINT NOT NULL DEFAULT 0,
  noncurrent_bytes BIGINT NOT NULL DEFAULT 0,
  delete_markers BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY(bucket, storage_class)
);

-- Counts OLD out of and NEW into storage_usage; rows whose counters all reach zero go.
CREATE FUNCTION storage_usage_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE storage_usage SET
      objects = objects
        - CASE WHEN OLD.is_latest <> 0 AND OLD.is_delete_marker = 0 THEN 1 ELSE 0 END,
      bytes = bytes
        - CASE WHEN OLD.is_latest <> 0 AND OLD.is_delete_marker = 0 THEN OLD.size ELSE 0 END,
      noncurrent_versions = noncurrent_versions
        - CASE WHEN OLD.is_latest = 0 AND OLD.is_delete_marker = 0 THEN 1 ELSE 0 END,
      noncurrent_bytes = noncurrent_bytes
        - CASE WHEN OLD.is_latest = 0 AND OLD.is_delete_marker = 0 THEN OLD.size ELSE 0 END,
      delete_markers = delete_markers - CASE WHEN OLD.is_delete_marker <> 0 THEN 1 ELSE 0 END
    WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO storage_usage AS u(bucket, storage_class, objects, bytes, noncurrent_versions,
                                   noncurrent_bytes, delete_markers)
    VALUES(NEW.bucket, NEW.storage_class,
           CASE WHEN NEW.is_latest <> 0 AND NEW.is_delete_marker = 0 THEN 1 ELSE 0 END,
           CASE WHEN NEW.is_latest <> 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
           CASE WHEN NEW.is_latest = 0 AND NEW.is_delete_marker = 0 THEN 1 ELSE 0 END,
           CASE WHEN NEW.is_latest = 0 AND NEW.is_delete_marker = 0 THEN NEW.size ELSE 0 END,
           CASE WHEN NEW.is_delete_marker <> 0 THEN 1 ELSE 0 END)
    ON CONFLICT(bucket, storage_class) DO UPDATE SET
      objects = u.objects + excluded.objects, bytes = u.bytes + excluded.bytes,
      noncurrent_versions = u.noncurrent_versions + excluded.noncurrent_versions,
      noncurrent_bytes = u.noncurrent_bytes + excluded.noncurrent_bytes,
      delete_markers = u.delete_markers + excluded.delete_markers;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM storage_usage
    WHERE bucket = OLD.bucket AND storage_class = OLD.storage_class AND objects = 0
      AND bytes = 0 AND noncurrent_versions = 0 AND noncurrent_bytes = 0 AND delete_markers = 0;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER storage_usage_on_insert AFTER INSERT ON objects
  FOR EACH ROW EXECUTE FUNCTION storage_usage_track();
CREATE TRIGGER storage_usage_on_delete AFTER DELETE ON objects
  FOR EACH ROW EXECUTE FUNCTION storage_usage_track();
CREATE TRIGGER storage_usage_on_update
  AFTER UPDATE OF bucket, storage_class, size, is_latest, is_delete_marker ON objects
  FOR EACH ROW EXECUTE FUNCTION storage_usage_track();

-- Multipart uploads in progress and their parts.
CREATE TABLE uploads(
  upload_id TEXT COLLATE "C" PRIMARY KEY,
  bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
  key BYTEA NOT NULL,
  initiated_ns BIGINT NOT NULL,
  owner_id TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  content_type TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  attributes TEXT,
  tags TEXT,
  storage TEXT,
  acl TEXT,
  checksum_type TEXT NOT NULL DEFAULT '',
  lock_mode TEXT NOT NULL DEFAULT '',
  lock_until_ns BIGINT NOT NULL DEFAULT 0,
  legal_hold BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX uploads_by_key ON uploads(bucket, key, initiated_ns, upload_id);

CREATE TABLE parts(
  upload_id TEXT COLLATE "C" NOT NULL REFERENCES uploads(upload_id),
  part_number BIGINT NOT NULL,
  etag TEXT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  checksum_value TEXT NOT NULL,
  blob_id TEXT,
  blob_size BIGINT,
  inline_data BYTEA NOT NULL,
  PRIMARY KEY(upload_id, part_number)
);

-- References to each blob from versions and parts; blobs no longer referenced, oldest first.
CREATE TABLE blob_refs(
  blob_id TEXT COLLATE "C" PRIMARY KEY,
  refs BIGINT NOT NULL
);

CREATE TABLE garbage(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  blob_id TEXT COLLATE "C" NOT NULL UNIQUE
);

-- The outbox: events in seq order, each consumer's position, and the tasks derived from them.
CREATE TABLE events(
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time_ns BIGINT NOT NULL,
  name TEXT NOT NULL,
  bucket TEXT COLLATE "C" NOT NULL,
  key BYTEA NOT NULL,
  version_id TEXT NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  detail TEXT,
  principal_id TEXT NOT NULL DEFAULT '',
  source_ip TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_time ON events(time_ns);

CREATE TABLE event_consumers(
  name TEXT COLLATE "C" PRIMARY KEY,
  position BIGINT NOT NULL
);

CREATE TABLE outbox_tasks(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  event_seq BIGINT NOT NULL,
  payload TEXT NOT NULL,
  failed BIGINT NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_try_ns BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_tasks_due ON outbox_tasks(consumer, target, next_try_ns, id) WHERE failed = 0;
CREATE INDEX outbox_tasks_by_event ON outbox_tasks(event_seq);

-- Replication's counters per source bucket and rule.
CREATE TABLE replication_stats(
  bucket TEXT COLLATE "C" NOT NULL,
  rule_id TEXT COLLATE "C" NOT NULL,
  replicated BIGINT NOT NULL DEFAULT 0,
  replicated_bytes BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  latency_sum_ns BIGINT NOT NULL DEFAULT 0,
  latency_max_ns BIGINT NOT NULL DEFAULT 0,
  last_done_ns BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_ns BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY(bucket, rule_id)
);

-- Notification targets added at run time; sealed_secrets is sealed under the master key.
CREATE TABLE notify_targets(
  name TEXT COLLATE "C" PRIMARY KEY,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  sealed_secrets BYTEA NOT NULL,
  created_ns BIGINT NOT NULL
);

-- The activity pipeline: actors, events by (time, id), bursts, daily sums, files, profiles.
CREATE TABLE activity_actors(
  -- INSERT ... RETURNING id gives what sqlite3_last_insert_rowid gave (activity_ops.cc).
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL,
  arn TEXT COLLATE "C" NOT NULL,
  access_key_id TEXT COLLATE "C" NOT NULL,
  user_name TEXT COLLATE "C" NOT NULL,
  issuer_arn TEXT COLLATE "C" NOT NULL,
  CONSTRAINT activity_actors_identity UNIQUE(account_id, arn, access_key_id, user_name, issuer_arn)
);
CREATE INDEX activity_actors_by_arn ON activity_actors(arn);
CREATE INDEX activity_actors_by_key ON activity_actors(access_key_id);
CREATE INDEX activity_actors_by_user ON activity_actors(user_name);
CREATE INDEX activity_actors_by_issuer ON activity_actors(issuer_arn);

CREATE TABLE activity_events(
  time_ns BIGINT NOT NULL,
  event_id TEXT COLLATE "C" NOT NULL,
  actor_id BIGINT NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  record_hash BYTEA NOT NULL,
  service TEXT NOT NULL,
  points BIGINT NOT NULL,
  window_s BIGINT NOT NULL,
  PRIMARY KEY(time_ns, event_id)
);

CREATE TABLE activity_bursts(
  actor_id BIGINT NOT NULL,
  event_source TEXT COLLATE "C" NOT NULL,
  event_name TEXT COLLATE "C" NOT NULL,
  window_s BIGINT NOT NULL,
  points BIGINT NOT NULL,
  PRIMARY KEY(actor_id, window_s, event_source, event_name)
);

CREATE TABLE activity_daily(
  actor_id BIGINT NOT NULL,
  day BIGINT NOT NULL,
  service TEXT COLLATE "C" NOT NULL,
  points BIGINT NOT NULL,
  events BIGINT NOT NULL,
  PRIMARY KEY(actor_id, day, service)
);

CREATE TABLE activity_files(
  source TEXT COLLATE "C" NOT NULL,
  path TEXT COLLATE "C" NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  records BIGINT NOT NULL,
  read_ns BIGINT NOT NULL,
  PRIMARY KEY(source, path)
);

CREATE TABLE activity_profiles(
  name TEXT COLLATE "C" PRIMARY KEY,
  created_ns BIGINT NOT NULL,
  public_token TEXT COLLATE "C" UNIQUE  -- set while the profile's public page is on
);

CREATE TABLE activity_profile_principals(
  profile TEXT COLLATE "C" NOT NULL REFERENCES activity_profiles(name) ON DELETE CASCADE,
  principal TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(profile, principal)
);

-- The audit trail: spooled records, log files (each a seq range), digests, the chain's head.
CREATE TABLE trail_records(
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_time_ns BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key BYTEA NOT NULL,
  error_code TEXT NOT NULL,
  read_only BIGINT NOT NULL,
  record TEXT NOT NULL
);

CREATE TABLE trail_files(
  -- INSERT ... RETURNING id gives what sqlite3_last_insert_rowid gave (trail_ops.cc).
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key TEXT COLLATE "C" NOT NULL UNIQUE,
  created_ns BIGINT NOT NULL,
  record_count BIGINT NOT NULL,
  written BIGINT NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL DEFAULT '',
  oldest_event_ns BIGINT NOT NULL DEFAULT 0,
  newest_event_ns BIGINT NOT NULL DEFAULT 0,
  digest_key TEXT NOT NULL DEFAULT '',
  first_seq BIGINT NOT NULL DEFAULT 0,
  last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX trail_files_undigested ON trail_files(created_ns) WHERE digest_key = '';
CREATE INDEX trail_files_by_last_seq ON trail_files(last_seq);
CREATE INDEX trail_files_unwritten ON trail_files(created_ns) WHERE written = 0;

CREATE TABLE trail_digests(
  key TEXT COLLATE "C" PRIMARY KEY,
  start_ns BIGINT NOT NULL,
  end_ns BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  signature TEXT NOT NULL,
  backfill BIGINT NOT NULL
);

CREATE TABLE trail_chain(
  id BIGINT PRIMARY KEY CHECK(id = 1),
  digest_key TEXT NOT NULL
);

-- IAM: groups and members, roles, managed policies, inline policies, policy attachments.
CREATE TABLE iam_groups(
  name TEXT COLLATE cv_nocase PRIMARY KEY,
  path TEXT NOT NULL,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  created_ns BIGINT NOT NULL
);

CREATE TABLE iam_group_members(
  group_name TEXT COLLATE cv_nocase NOT NULL REFERENCES iam_groups(name),
  user_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(group_name, user_id)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members(user_id, group_name);

CREATE TABLE iam_roles(
  name TEXT COLLATE cv_nocase PRIMARY KEY,
  path TEXT NOT NULL,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  trust_policy TEXT NOT NULL,
  description TEXT NOT NULL,
  max_session_seconds BIGINT NOT NULL,
  created_ns BIGINT NOT NULL
);

CREATE TABLE iam_managed_policies(
  name TEXT COLLATE cv_nocase PRIMARY KEY,
  path TEXT NOT NULL,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  document TEXT NOT NULL,
  description TEXT NOT NULL,
  created_ns BIGINT NOT NULL
);

CREATE TABLE iam_inline_policies(
  principal_kind BIGINT NOT NULL,
  principal TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY(principal_kind, principal, name)
);

CREATE TABLE iam_policy_attachments(
  principal_kind BIGINT NOT NULL,
  principal TEXT COLLATE "C" NOT NULL,
  policy_name TEXT COLLATE cv_nocase NOT NULL,
  PRIMARY KEY(principal_kind, principal, policy_name)
);
CREATE INDEX iam_policy_attachments_by_policy ON iam_policy_attachments(policy_name);

-- Operations: alarm rules, alarms' last states and their history, downsampled metric series.
CREATE TABLE alarm_rules(
  name TEXT COLLATE "C" PRIMARY KEY,
  document TEXT NOT NULL,
  updated_ns BIGINT NOT NULL
);

CREATE TABLE alarm_states(
  name TEXT COLLATE "C" PRIMARY KEY,
  state TEXT NOT NULL,
  since_ns BIGINT NOT NULL,
  evaluated_ns BIGINT NOT NULL,
  reason TEXT NOT NULL,
  value DOUBLE PRECISION
);

CREATE TABLE alarm_history(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  time_ns BIGINT NOT NULL,
  old_state TEXT NOT NULL,
  new_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX alarm_history_by_name ON alarm_history(name, id);
CREATE INDEX alarm_history_by_time ON alarm_history(time_ns);

CREATE TABLE metric_points(
  series TEXT COLLATE "C" NOT NULL,
  resolution BIGINT NOT NULL,
  time_ns BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY(resolution, series, time_ns)
);
)sql";

constexpr PgMigration kMigrations[] = {
    {1, kSchemaV1},
};

}  // namespace

std::span<const PgMigration> postgres_migrations() { return kMigrations; }

}  // namespace cv::meta::postgres
