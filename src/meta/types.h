// The metadata records CloudVault keeps: users, access keys, buckets, object versions,
// multipart uploads. Plain values; no storage concerns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cv::meta {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct User {
  std::string id;    // canonical user id: 64 lowercase hex characters
  std::string name;  // unique login name ("root" for the root user)
  std::string display_name;
  std::string email;
  bool is_root = false;
  int64_t created_ns = 0;
  std::string path = "/";  // IAM path ("/", "/division/team/")
  std::string iam_id;      // IAM unique id ("AIDA" + 17 characters)
  std::string tags;        // IAM tags as a JSON object text; empty: none
};

struct AccessKey {
  std::string access_key_id;  // unique
  std::string user_id;
  std::string sealed_secret;  // the secret encrypted under the master key; opaque here
  int64_t created_ns = 0;
  bool active = true;  // IAM status Active / Inactive; an inactive key authenticates nothing
  // When, for which service and in which region the key last signed a request; 0 / empty
  // when never (kept coarse: at most one update per minute per key).
  int64_t last_used_ns = 0;
  std::string last_used_service;
  std::string last_used_region;
};

// One key's latest use, for MetaStore::record_key_usage.
struct KeyUsage {
  std::string access_key_id;
  int64_t used_ns = 0;
  std::string service;
  std::string region;
};

// --- IAM (issue 14) ------------------------------------------------------------------------
// Whom an inline policy or an attachment belongs to. A user is named by its canonical id
// (User::id), a group or a role by its name.
enum class IamPrincipalKind { kUser = 1, kGroup = 2, kRole = 3 };

struct IamGroup {
  std::string name;  // unique, case-insensitively
  std::string path = "/";
  std::string id;  // "AGPA..."
  int64_t created_ns = 0;
};

struct IamRole {
  std::string name;  // unique, case-insensitively
  std::string path = "/";
  std::string id;            // "AROA..."
  std::string trust_policy;  // the assume-role policy document, as given
  std::string description;
  int64_t max_session_seconds = 3600;
  int64_t created_ns = 0;
};

// A customer managed policy (one version: its default).
struct ManagedPolicy {
  std::string name;  // unique, case-insensitively
  std::string path = "/";
  std::string id;        // "ANPA..."
  std::string document;  // the policy document, as given
  std::string description;
  int64_t created_ns = 0;
};

struct InlinePolicy {
  IamPrincipalKind kind = IamPrincipalKind::kUser;
  std::string principal;  // user id, group name or role name
  std::string name;
  std::string document;  // as given
};

// A notification target added with `cloudvault admin notify add` (the configuration file's
// [notify.targets.NAME] are not stored). The store keeps both documents as they are given.
struct NotifyTarget {
  std::string name;            // unique
  std::string type;            // "webhook", "smtp", "slack", "discord"
  std::string settings;        // the settings that are not secret (a JSON document; opaque here)
  std::string sealed_secrets;  // the secret settings, encrypted under the master key; opaque
  int64_t created_ns = 0;
};

struct Bucket {
  std::string name;
  std::string owner_id;
  std::string region;
  int64_t created_ns = 0;
  // Configuration documents (kind, document) create_bucket writes with the bucket in one
  // transaction (the public access block every new bucket starts with). Reads leave it empty.
  StringPairs configs;
};

// A contiguous piece of an object's body stored as one blob (one per multipart part).
struct BlobRef {
  std::string blob_id;
  uint64_t size = 0;  // bytes of the object this piece holds (plaintext, uncompressed)
  // Bytes the blob occupies where it is stored; 0 means the same as `size` (a plain blob).
  uint64_t stored_size = 0;
  // How the blob's bytes encode the piece: "" as they are (or sealed, see Encryption),
  // "zstd" compressed in independent frames (vault/compressed_body.h).
  std::string codec;
};

// How an object's body is encrypted at rest. Every stored piece of an encrypted body (inline
// bytes, each blob) is an 8-byte nonce prefix followed by the sealed segments of
// blob/segment_cipher.h, under one data key per object (per upload for multipart).
enum class EncryptionMode { kNone, kS3, kCustomer };  // SSE-S3 ("AES256"), SSE-C
struct Encryption {
  EncryptionMode mode = EncryptionMode::kNone;
  // The data key sealed (core/seal.h) under the master key (kS3) or the customer's key
  // (kCustomer); never the key itself.
  std::string wrapped_key;
  std::string customer_key_md5;  // kCustomer: base64 MD5 of the customer key, as S3 echoes it
};

// A temporary readable copy of an archived (GLACIER) version made by RestoreObject.
struct Restore {
  bool ongoing = false;   // requested, copy not made yet
  int64_t expiry_ns = 0;  // when the copy is removed (0 while ongoing)
  int32_t days = 0;       // as requested
  // The copy, one blob per piece of the version's `blobs` (same encryption, no codec);
  // empty for an inline body.
  std::vector<BlobRef> blobs;
};

// S3 Object Lock on one version: a retention (mode and retain-until date) and a legal hold.
// A version is protected while it has a legal hold, or a retention whose retain-until is
// still ahead; a protected version cannot be removed (see lock_blocks_removal).
struct ObjectLock {
  std::string mode;             // "", "GOVERNANCE" or "COMPLIANCE"
  int64_t retain_until_ns = 0;  // 0 exactly when mode is ""
  bool legal_hold = false;
  bool operator==(const ObjectLock&) const = default;
};
inline constexpr std::string_view kGovernanceMode = "GOVERNANCE";
inline constexpr std::string_view kComplianceMode = "COMPLIANCE";

// Whether `lock` forbids removing its version at `now_ns`: a legal hold always; a retention
// until its retain-until date, except a GOVERNANCE one when `bypass_governance`.
bool lock_blocks_removal(const ObjectLock& lock, int64_t now_ns, bool bypass_governance);

// How a removal of a version treats its object lock: refused (kAccessDenied) when
// lock_blocks_removal(lock, now_ns, bypass_governance). The default judges every retention
// as still running (now 0): a caller must say what time it is to remove a version whose
// retention has passed.
struct LockGuard {
  int64_t now_ns = 0;
  bool bypass_governance = false;
};

// A change of a version's retention (MetaStore::put_object_retention). Judged at now_ns
// against the version's current retention while it runs (retain_until_ns > now_ns):
// COMPLIANCE can only be kept or extended (same mode, retain-until not earlier); GOVERNANCE
// can be kept or extended in the same mode, and anything else (shortened, removed, turned
// into COMPLIANCE, as AWS answers) only with bypass_governance. A retention that has passed
// can be replaced freely. Refusals are kAccessDenied.
struct RetentionChange {
  std::string mode;             // "" removes the retention
  int64_t retain_until_ns = 0;  // 0 when mode is ""
  int64_t now_ns = 0;
  bool bypass_governance = false;
};

// One version of an object (the only version, "null", until versioning is enabled).
struct ObjectVersion {
  std::string bucket;
  std::string key;
  std::string version_id = "null";
  bool is_delete_marker = false;  // a delete marker has no body (size 0, no blobs)
  // Whether this is the key's current version. Filled in by reads (get_object, listings);
  // ignored by put_object, whose object always becomes current.
  bool is_latest = false;
  uint64_t size = 0;
  std::string etag;  // without quotes: hex MD5, or "hex-N" for multipart
  int64_t mtime_ns = 0;
  std::string owner_id;
  std::string storage_class = "STANDARD";
  std::string content_type;
  // Stored representation headers: cache-control, content-disposition, content-encoding,
  // content-language, expires (lowercase names).
  StringPairs headers;
  // x-amz-meta-* with the prefix removed, lowercase names.
  StringPairs user_metadata;
  StringPairs tags;
  std::string checksum_algorithm;  // "", "CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"
  std::string checksum_value;      // base64; "<b64>-N" for multipart composites
  // S3's x-amz-checksum-type: "FULL_OBJECT" (of the whole body) or "COMPOSITE" (of the
  // parts' checksums); "" when there is no checksum or for rows written before it was kept
  // (readers: a value ending in "-N" is composite). On an upload: the type asked for.
  std::string checksum_type;
  // A multipart object's part checksums (base64, of checksum_algorithm), by part number
  // from 1; empty for other objects or when the parts had none.
  std::vector<std::string> part_checksums;
  uint32_t parts_count = 0;        // 0 unless the object came from a multipart upload
  // The body: inline bytes when `blobs` is empty, else the concatenation of `blobs`. Inline
  // bytes are stored as the encryption mode says (sealed when encrypted), never compressed.
  std::string inline_data;
  std::vector<BlobRef> blobs;
  Encryption encryption;
  std::optional<Restore> restore;  // set on GLACIER versions once a restore was requested
  // When the lifecycle worker must next look at this version (0: never). Written by the
  // writer of the version; the store keeps an index on it.
  int64_t lifecycle_due_ns = 0;
  // Filled by reads: when the version stopped being current (0 while current).
  int64_t noncurrent_since_ns = 0;
  // S3's x-amz-replication-status: "" (no replication rule applies), "PENDING", "COMPLETED",
  // "FAILED" on a source version, "REPLICA" on a copy made by replication.
  std::string replication_status;
  // The version's access control list, as the S3 layer stores it (an AccessControlPolicy
  // document, s3/acl_xml.h); empty: the default, its owner has FULL_CONTROL. Opaque here.
  std::string acl;
  // Object lock (retention and legal hold); changed after the write only through
  // MetaStore::put_object_retention / put_object_legal_hold.
  ObjectLock lock;
};

// S3's conditional writes (If-None-Match: *, If-Match), checked by the store inside the
// transaction that makes the new version current, so two writers cannot both pass.
struct WriteCondition {
  // If-None-Match: *: the key must have no current version (a delete marker counts as none);
  // kPreconditionFailed otherwise.
  bool if_none_match = false;
  // If-Match: the current version must exist and not be a delete marker (kNoSuchKey) and
  // have this ETag, without quotes (kPreconditionFailed). Empty: no condition.
  std::string if_match;
  bool empty() const { return !if_none_match && if_match.empty(); }
};

struct MultipartUpload {
  std::string upload_id;
  std::string bucket;
  std::string key;
  int64_t initiated_ns = 0;
  std::string owner_id;
  // Everything the completed object inherits: content_type, headers, user_metadata, tags,
  // storage_class, checksum_algorithm, checksum_type, encryption (the upload's data key), acl,
  // lock (the retention and legal hold the request asked for). Body fields are unused.
  ObjectVersion object;
};

struct Part {
  std::string upload_id;
  uint32_t part_number = 0;  // 1..10000
  std::string etag;          // hex MD5 without quotes
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string checksum_value;  // base64, of the upload's checksum_algorithm, may be empty
  // The body: inline bytes when `blob` is empty.
  std::string inline_data;
  std::optional<BlobRef> blob;
};

struct ListObjectsQuery {
  std::string bucket;
  std::string prefix;
  std::string start_after;  // exclusive; may be a key or a common prefix already returned
  std::string delimiter;    // empty: no grouping
  uint32_t max_keys = 1000;
};

// Objects and common prefixes in key byte order; together at most max_keys entries.
// Object entries carry no body (inline_data, blobs empty).
struct ListObjectsPage {
  std::vector<ObjectVersion> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string last_entry;  // the greatest key or prefix returned; the next page's start_after
};

// ListObjectVersions: every version and delete marker, no grouping by currency.
struct ListVersionsQuery {
  std::string bucket;
  std::string prefix;
  std::string delimiter;  // empty: no grouping
  // The listing resumes strictly after the position (key_marker, version_id_marker): after
  // that version of key_marker in listing order, or, when version_id_marker is empty or
  // names no version of key_marker, after every version of key_marker. A key_marker that is
  // a common prefix under `delimiter` skips its whole group. version_id_marker without a
  // key_marker is ignored.
  std::string key_marker;
  std::string version_id_marker;
  uint32_t max_keys = 1000;
};

// Versions (delete markers included, is_latest filled, no bodies) ordered by key in byte
// order, newest first within a key; and common prefixes. Together at most max_keys
// entries; a page may end in the middle of a key's versions.
struct ListVersionsPage {
  std::vector<ObjectVersion> versions;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  // The position of the last entry returned, for the next page's markers: its key or
  // common prefix, and its version id (empty when the last entry is a common prefix). Set
  // whenever the page has entries; the protocol shows them only when truncated.
  std::string next_key_marker;
  std::string next_version_id_marker;
};

struct ListPartsPage {
  std::vector<Part> parts;  // without bodies
  bool truncated = false;
  uint32_t next_part_number_marker = 0;
};

struct ListUploadsQuery {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  uint32_t max_uploads = 1000;
};

struct ListUploadsPage {
  std::vector<MultipartUpload> uploads;  // ordered by key, then initiation time
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct BucketUsage {
  // Current versions that are not delete markers: what a listing of the bucket shows.
  uint64_t objects = 0;
  uint64_t bytes = 0;
  // Every stored version, noncurrent ones and delete markers (0 bytes each) included: what
  // the bucket occupies.
  uint64_t versions = 0;
  uint64_t version_bytes = 0;
};

// A record of something that happened to an object, for the event and audit streams
// (kept in an outbox, written in the same transaction as the change).
struct Event {
  // Assigned by the store when the change commits: increasing across all keys and restarts
  // (never reused), so it is also the key's S3 sequencer (a later change of one key has a
  // larger one; event_sequencer() formats it).
  int64_t seq = 0;
  int64_t time_ns = 0;
  // S3's event type: "s3:ObjectCreated:Put", "s3:ObjectRemoved:DeleteMarkerCreated",
  // "s3:ObjectTagging:Put", "s3:LifecycleTransition", "s3:ObjectRestore:Completed", ...
  std::string name;
  std::string bucket;
  std::string key;
  std::string version_id;  // "null" for unversioned objects
  uint64_t size = 0;
  std::string etag;  // hex, without quotes
  std::string storage_class;
  // Who caused the change: the user id ("" when the server did, e.g. lifecycle), the client's
  // address and the request's x-amz-request-id ("" for background changes).
  std::string principal_id;
  std::string source_ip;
  std::string request_id;
  std::string detail;  // JSON text with event-specific fields; may be empty
};

// S3's sequencer of an event: its seq as 16 uppercase hex digits (compare as strings of
// equal length, or as numbers).
std::string event_sequencer(const Event& event);

// Work an outbox consumer derived from one event, done and retried on its own: a delivery
// to one notification target, a copy to one replication destination.
struct OutboxTask {
  int64_t id = 0;        // assigned by the store
  std::string consumer;  // "notify", "replicate", ...
  std::string target;    // where the work goes, in the consumer's terms (a target's name)
  int64_t event_seq = 0;
  std::string payload;  // the consumer's own data (e.g. the rule's configuration id)
  bool failed = false;  // parked: no more automatic tries (until retried by hand)
  int attempts = 0;     // tries so far that did not succeed
  int64_t next_try_ns = 0;
  std::string last_error;
  Event event;  // the event, as read with the task
};

// A version the lifecycle worker must look at (its lifecycle_due_ns has come).
struct DueVersion {
  std::string bucket;
  std::string key;
  std::string version_id;
  int64_t due_ns = 0;
};

// One change background work (lifecycle, restore) makes to one version, applied atomically
// together with its event.
// How MetaStore::put_replica ended.
enum class ReplicaWrite {
  kWritten,       // the replica is stored (current, or noncurrent behind a newer version)
  kAlreadyThere,  // the key already has a version with that id: nothing was written
};

// The end of one replication task (MetaStore::settle_replication).
struct ReplicationOutcome {
  enum class Kind {
    kReplicated,  // copied to the destination
    kSkipped,     // the destination held it already (skip_copy)
    kFailed,      // a retry cannot fix it: the version becomes FAILED (the task is parked)
  };
  Kind kind = Kind::kReplicated;
  std::string consumer;  // the task's consumer ("replicate")
  int64_t task_id = 0;
  int64_t event_seq = 0;  // the task's event: one per source version
  // The source version.
  std::string bucket;
  std::string key;
  std::string version_id;
  std::string rule_id;
  uint64_t bytes = 0;       // bytes copied (kReplicated)
  int64_t latency_ns = 0;   // from the change to now (kReplicated, kSkipped)
  int64_t now_ns = 0;
  std::string error;        // kFailed: why
  std::optional<Event> event;  // a receipt or failure event, appended in the same transaction

  // This task's end when the destination held the version already: no bytes, no receipt.
  ReplicationOutcome skipped() const {
    ReplicationOutcome out = *this;
    out.kind = Kind::kSkipped;
    out.bytes = 0;
    out.event.reset();
    return out;
  }
};

// What replication did under one rule of a source bucket, since the rule first worked.
struct ReplicationStats {
  std::string bucket;
  std::string rule_id;
  uint64_t replicated = 0;
  uint64_t replicated_bytes = 0;
  uint64_t skipped = 0;  // skip_copy: the destination held the version already
  uint64_t failed = 0;   // tasks that failed permanently (each time)
  int64_t latency_sum_ns = 0;  // over `replicated`
  int64_t latency_max_ns = 0;
  int64_t last_done_ns = 0;
  std::string last_error;
  int64_t last_error_ns = 0;
};

struct VersionChange {
  enum class Kind {
    kUpdate,           // the optional fields below that are set replace the version's own
    kDelete,           // the version is removed for good (as MetaStore::delete_object)
    kAddDeleteMarker,  // `marker` becomes the current version (the version stays, noncurrent)
  };
  Kind kind = Kind::kUpdate;
  std::string bucket;
  std::string key;
  std::string version_id;
  // The change applies only while the version still has this mtime (it was not replaced
  // meanwhile) and, for kAddDeleteMarker, is still current; kPreconditionFailed otherwise,
  // kNoSuchVersion when the version is gone.
  int64_t expected_mtime_ns = 0;
  // When set, the change also requires the version's storage class, blobs and restore state
  // to be still these, so that of two workers planning the same action only one applies it
  // (kPreconditionFailed for the other).
  bool expect_state = false;
  std::string expected_storage_class;
  std::vector<BlobRef> expected_blobs;
  std::optional<Restore> expected_restore;
  // kUpdate:
  std::optional<std::string> storage_class;
  std::optional<std::vector<BlobRef>> blobs;      // the body is now these blobs (inline dropped)
  std::optional<std::optional<Restore>> restore;  // the restore state is now this
  int64_t due_ns = 0;                             // the version's next lifecycle_due_ns
  // kDelete: the time the version's object lock is judged at; a version the lock protects
  // then (lock_blocks_removal, no bypass) is not removed: kAccessDenied, nothing changes.
  int64_t now_ns = 0;
  // kAddDeleteMarker:
  ObjectVersion marker;
  std::optional<Event> event;  // appended to the outbox in the same transaction
};

// What one storage class of a bucket holds.
struct ClassUsage {
  std::string storage_class;
  uint64_t objects = 0;         // current versions that are not delete markers
  uint64_t versions = 0;        // every stored version that is not a delete marker
  uint64_t logical_bytes = 0;   // their sizes
  uint64_t stored_bytes = 0;    // what their bodies occupy (after compression, with overhead)
  uint64_t restored_bytes = 0;  // temporary restored copies of archived versions
};

// What one storage class of a bucket holds, kept up to date by every change of a version (so
// reading it costs no scan). Sizes are logical (the bytes a client wrote); a restored copy of
// an archived version is not counted.
struct StorageUsage {
  std::string bucket;
  std::string storage_class;
  uint64_t objects = 0;              // current versions that are not delete markers
  uint64_t bytes = 0;                // their sizes
  uint64_t noncurrent_versions = 0;  // noncurrent versions that are not delete markers
  uint64_t noncurrent_bytes = 0;     // their sizes
  uint64_t delete_markers = 0;       // current and noncurrent
};

// The work an outbox consumer has not done yet.
struct OutboxBacklog {
  std::string consumer;
  uint64_t untaken_events = 0;  // events after the consumer's position
  uint64_t pending_tasks = 0;   // tasks waiting for (another) try
  uint64_t failed_tasks = 0;    // tasks parked after their last try failed
  // Event time of the oldest untaken event or pending task (parked ones not counted); 0 when
  // there is none.
  int64_t oldest_ns = 0;
};

// One consumer's tasks (pending and parked) by the bucket of their events.
struct BucketBacklog {
  std::string bucket;
  uint64_t tasks = 0;
  uint64_t bytes = 0;     // sum of their events' object sizes
  int64_t oldest_ns = 0;  // event time of the oldest of them
};

}  // namespace cv::meta
