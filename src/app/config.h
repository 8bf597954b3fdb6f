// Settings of a CloudVault process: defaults, overridden by a TOML file, overridden by flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/alarm_config.h"
#include "app/log_settings.h"
#include "console/sign_in_throttle.h"
#include "core/error.h"
#include "core/http_message.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::app {

// A remote S3 endpoint backups may replicate to ([replication.remotes.NAME]); the fields of
// remote::RemoteEndpoint (src/remote/remote_s3_client.h), which the wiring fills from it.
struct ReplicationRemote {
  std::string name;
  std::string endpoint;  // http(s)://host[:port], no trailing slash
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;  // never logged or printed; may be sealed (app/sealed_values.h)
  bool path_style = true;  // false: virtual-hosted-style (bucket.endpoint)
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle trusted instead of the system's; empty: the system's
};

// [trail]: the audit trail (src/audit). Files go under
// <folder>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ and digests under
// <folder>/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/.
// Where object bodies are kept: the data folder (url empty, the default) or a bucket of an S3
// endpoint (remote/s3_blob_url.h: s3://BUCKET/PREFIX?endpoint=URL&region=R; the bodies go
// under PREFIX/blobs/, and the colder tiers under PREFIX/standard_ia/ and PREFIX/glacier/
// unless [tiers] names folders). Credentials: access_key and secret_key, both or neither;
// neither: $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY (and $AWS_SESSION_TOKEN) when the
// store is opened (blob_credentials in app/data_dir.h).
struct BlobSettings {
  std::string url;
  std::string access_key;
  std::string secret_key;
};

struct TrailSettings {
  bool enabled = true;
  std::filesystem::path folder;  // empty: <data>/trail
  std::string bucket;            // a trail bucket of this server's own; empty: folder only
  int64_t roll_seconds = 300;    // a log file is closed after this long (1-86400) ...
  int64_t roll_records = 10000;  // ... or this many records (1-1000000), whichever is first
  std::string account_id;        // 12 digits; empty: derived once and kept (app/trail_identity.h)
};

// [tls]: HTTPS (http/tls_context.h). With cert and key set the main listener speaks TLS only;
// plain_listen adds a plain-HTTP listener ("127.0.0.1:PORT", meant for loopback clients).
struct TlsSettings {
  std::filesystem::path cert;  // PEM certificate chain; empty: no TLS
  std::filesystem::path key;   // PEM private key
  std::optional<std::string> plain_listen_address;
  uint16_t plain_listen_port = 0;
  // Whether SSE-C requests and the console sign-in are served over plain HTTP (core/
  // http_message.h: "loopback" default, "always", "never").
  PlainHttpSecrets allow_plain_sensitive = PlainHttpSecrets::kLoopback;
};

// [access]: the access-control defaults of new buckets (issue 14). AWS's since 2023 are the
// shipped ones; "ObjectWriter" and false give the permissive behaviour older tools and Ceph
// RGW assume (ACLs and public grants work out of the box).
struct AccessSettings {
  // A new bucket's Object Ownership unless CreateBucket names one (x-amz-object-ownership):
  // "BucketOwnerEnforced", "BucketOwnerPreferred" or "ObjectWriter".
  std::string object_ownership_default = "BucketOwnerEnforced";
  // Whether a new bucket's Block Public Access settings are all on.
  bool block_public_access_default = true;
};

struct Config {
  // The TOML file these settings came from (the server re-reads its [notify.targets.*] on
  // SIGHUP); empty when there was none.
  std::filesystem::path config_file;
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 9000;
  std::filesystem::path data_dir = "./data";
  // The master key file; empty: <data>/master.key. CLOUDVAULT_MASTER_KEY_FILE overrides both
  // (app/master_key.h).
  std::filesystem::path master_key_file;
  std::string region = "us-east-1";
  std::string domain;  // virtual-hosted-style base domain; empty: path style only
  size_t network_threads = 2;
  size_t worker_threads = 64;
  // [server] background_nice: the nice value (0-19) of background work — event delivery,
  // replication, lifecycle passes and garbage collection — so it yields the CPU to requests
  // while both want it (core/thread_priority.h). 0: the same priority as requests.
  int background_nice = 10;
  // Slow-client deadlines and the per-address connection cap (http::ServerOptions says what
  // each bounds).
  int64_t idle_timeout_seconds = 60;
  int64_t header_timeout_seconds = 10;
  int64_t read_timeout_seconds = 60;
  int64_t write_timeout_seconds = 60;
  size_t max_connections_per_address = 256;  // 0: unlimited
  uint64_t inline_threshold = 128 * 1024;
  // The metadata store's cache of keys' current versions (meta/sqlite/object_cache.h), MiB.
  size_t object_cache_mib = 24;
  // [storage] blob / [storage.blob], or --blob.
  BlobSettings blob;
  // [storage] meta, or --meta: the metadata store. Empty: SQLite in <data>/meta.db;
  // "postgres://user:password@host:port/db" (or postgresql://): PostgreSQL
  // (meta/postgres/postgres_meta_store.h).
  std::string meta_url;
  int64_t gc_interval_seconds = 30;
  // Storage tiers' folders; empty: <data>/tiers/standard_ia and <data>/tiers/glacier.
  std::filesystem::path standard_ia_dir;
  std::filesystem::path glacier_dir;
  // How long a lifecycle "day" lasts (rule and restore Days), and how often the server's
  // lifecycle worker runs a pass. Shortened for tests and demonstrations.
  double lifecycle_day_seconds = 86400;
  double lifecycle_interval_seconds = 60;
  // How long outbox events are kept once every consumer is done with them (an event a
  // consumer still needs is kept as long as it is needed).
  int64_t events_retention_seconds = 86400;
  // How a failed delivery (notification, replication) is tried again: the first retry after
  // events_retry_first_seconds, doubling up to events_retry_max_seconds (with jitter), parked
  // as failed after events_max_attempts failed tries.
  double events_retry_first_seconds = 1;
  double events_retry_max_seconds = 600;
  int64_t events_max_attempts = 12;
  // The web console's built assets (`vite build` output).
  std::filesystem::path console_assets_dir = CLOUDVAULT_CONSOLE_ASSETS;
  // How failed console sign-ins are throttled (free failures, first and longest lockout).
  console::SignInThrottlePolicy sign_in_throttle;
  // The address people reach this server at (links in notification messages), e.g.
  // "https://vault.example.com"; empty: http://<listen address>:<port> (console_base_url).
  std::string public_url;
  // [notify.targets.NAME], validated (workers::notify::validate), in name order. url, secret
  // and password may still be sealed values ("sealed:..."): open_sealed_values
  // (app/sealed_values.h) opens them with the master key and validates what they hide.
  std::vector<workers::notify::TargetSettings> notify_targets;
  // [replication.remotes.NAME], validated, in name order.
  std::vector<ReplicationRemote> replication_remotes;
  // [activity]: the scoring rules file (rules; default: the share/activity/rules.json of the
  // source tree this binary was built from), how often the server ingests `sources`
  // (ingest_interval_seconds, 60-604800; default 1800), and the sources: folders and
  // s3://BUCKET/PREFIX of this server's own store (ingest_sources; none: no scheduled ingest).
  std::filesystem::path activity_rules_file = CLOUDVAULT_ACTIVITY_RULES;
  int64_t activity_ingest_interval_seconds = 1800;
  std::vector<std::string> activity_sources;
  TrailSettings trail;
  TlsSettings tls;
  // [metrics] bearer_token: GET /metrics needs "Authorization: Bearer <token>"; empty: served
  // to loopback peers only. $CLOUDVAULT_METRICS_TOKEN, when set, takes precedence.
  std::string metrics_bearer_token;
  // [metrics] sample_seconds / history_hours and [alarms] (app/alarm_config.h).
  AlarmSettings alarms;
  // [health] min_free_ratio: /_cloudvault/ready fails when a data folder's file system has
  // less than this share free (0-1; app/readiness.h).
  double health_min_free_ratio = 0.02;
  // [health] reserve_bytes: room the server keeps on the data folder's file system for
  // metadata commits (deletes) once the disk is full (app/space_reserve.h); 0: none.
  uint64_t health_reserve_bytes = 16 * 1024 * 1024;
  // [metrics] enabled = false: no GET /metrics and no per-request recording (the benchmark
  // measures the cost of metrics with it).
  bool metrics_enabled = true;
  // [metrics] listen = "ADDR:PORT": a second listener serving only GET /metrics (same access
  // rule) and the health endpoint; unset (the default): none.
  std::optional<std::string> metrics_listen_address;
  uint16_t metrics_listen_port = 0;
  // [auth] sigv2: accept AWS Signature Version 2 (header, presigned query, POST forms).
  bool sigv2 = true;
  AccessSettings access;
  // [log]: level, format, access, file, max_size_mb, max_files (app/log_settings.h).
  LogSettings log;
};

// Reads a TOML file ([server] listen, region, domain, network_threads, worker_threads,
// idle_timeout_seconds, header_timeout_seconds, read_timeout_seconds, write_timeout_seconds
// (each 1-86400), max_connections_per_address (0-1000000, 0 unlimited);
// [storage] data, inline_threshold, object_cache_mib (0-65536), master_key_file, meta (a
// postgres:// URL), blob (the URL
// as a string; or a table [storage.blob] with url, access_key, secret_key: TOML cannot have
// both, so credentials in the file go with the table form); [gc]
// interval_seconds; [tiers] standard_ia,
// glacier; [lifecycle] day_seconds, interval_seconds; [events] retention_seconds (60-31536000),
// retry_first_seconds, retry_max_seconds, max_attempts; [console] assets,
// sign_in_free_failures_per_key, sign_in_free_failures_per_address,
// sign_in_first_lockout_seconds, sign_in_max_lockout_seconds; [server] public_url;
// [notify.targets.NAME] and [replication.remotes.NAME], see app/notify_config.h; [trail]
// enabled, folder, bucket, roll_seconds, roll_records, account_id; [tls] cert, key (both or
// neither), plain_listen, allow_plain_sensitive; [auth] sigv2; [health] min_free_ratio,
// reserve_bytes; [access] object_ownership_default, block_public_access_default; [log] level
// (trace, debug, info, warn, error, off), format ("json", "text"), access (bool), file,
// max_size_mb (a number above 0, fractions allowed, at most 1048576), max_files (1-1000)) over
// the defaults. InvalidArgument with the file's own error message when it does not parse or a
// value is out of range.
Result<Config> load_config(const std::optional<std::filesystem::path>& file);

// Whether `url` names a metadata store: empty (SQLite) or postgres:// / postgresql://.
bool valid_meta_url(std::string_view url);

// public_url, or http://<listen address>:<port> when it is empty; no trailing slash.
std::string console_base_url(const Config& config);

// Parses "ADDR:PORT" ("127.0.0.1:9000", "[::1]:9000", ":9000").
Status parse_listen(std::string_view text, Config& config);
// The same, into an address and a port.
Result<std::pair<std::string, uint16_t>> split_listen(std::string_view text);

}  // namespace cv::app
