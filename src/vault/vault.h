// The vault service: buckets, objects and multipart uploads as plain C++ calls over a
// MetaStore and a BlobStore. The S3 API, the console and the workers all call this, so the
// storage rules (inline vs blob, durability, digests, garbage) live here only.
//
// Thread-safety: every method may be called from many threads at once. Methods block (disk);
// call them from worker threads only. Knows no HTTP and no XML.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "core/byte_source.h"
#include "core/clock.h"
#include "core/error.h"
#include "meta/meta_store.h"
#include "vault/backup_receipts.h"
#include "vault/encryption.h"
#include "vault/lifecycle_rules.h"
#include "vault/notification_config.h"
#include "vault/object_lock.h"
#include "vault/readable_body.h"
#include "vault/replication_config.h"
#include "vault/bucket_access.h"
#include "vault/bucket_state.h"
#include "vault/copy_request.h"
#include "vault/storage_class.h"

namespace cv::vault {

struct VaultOptions {
  // Bodies smaller than this are stored in the metadata row, larger ones as blob files.
  uint64_t inline_threshold = 128 * 1024;
  uint64_t max_object_size = 5ull * 1024 * 1024 * 1024 * 1024;  // 5 TiB
  uint64_t max_part_size = 5ull * 1024 * 1024 * 1024;           // 5 GiB
  uint64_t min_part_size = 5ull * 1024 * 1024;                  // all parts but the last
  uint32_t max_parts = 10000;
  std::string region = "us-east-1";
  // How long a lifecycle "day" lasts (rule Days, restore Days): a day unless a test or a
  // demonstration shortens it (config lifecycle.day_seconds).
  int64_t lifecycle_day_ns = 86'400'000'000'000;
  // Changes another process made to buckets and their configurations (`cloudvault admin
  // backup create` while the server runs): when set, the vault asks it at most every
  // `other_changes_interval` and drops every cached bucket fact when it answers a new value.
  std::function<uint64_t()> other_changes;
  std::chrono::milliseconds other_changes_interval{100};
  // Whether a new bucket starts with all four public access block settings on (S3's default
  // since 2023; config [access] block_public_access_default).
  bool block_public_access_default = true;
};


// Checksum algorithms S3 accepts in x-amz-checksum-*.
enum class ChecksumAlgorithm { kNone, kCrc32, kCrc32c, kSha1, kSha256, kCrc64Nvme };
std::string_view checksum_name(ChecksumAlgorithm algorithm);  // "CRC32", ... , "" for none
std::optional<ChecksumAlgorithm> parse_checksum_name(std::string_view name);  // case-insensitive

// What was computed over a body while it was stored.
struct BodyDigests {
  uint64_t size = 0;
  std::string md5;       // raw 16 bytes
  std::string checksum;  // raw bytes of the requested checksum algorithm, empty for none
};

// Runs after the body is stored durably and before the metadata commit makes it visible;
// returning an error discards the body (Content-MD5, x-amz-checksum-* checks).
using BodyCheck = std::function<Status(const BodyDigests&)>;

// Who asked for a change, carried into its outbox event: the user id, the client's address
// and the request's id. Empty for the server's own changes (lifecycle).
// What `cloudvault admin backup create` asks for (Vault::set_up_backup).
struct BackupRequest {
  std::string source;
  std::string destination;  // a bucket of this server, or of `remote`
  std::string remote;       // [replication.remotes.NAME]; empty: this server
  std::string prefix;
  std::string suffix;  // our extension (cloudvault:suffix); empty: any key
  std::vector<std::string> receipt_targets;
  std::vector<std::string> failure_targets;
  // Receipts as one digest per this many seconds (BackupReceipt::digest_seconds); 0: one
  // receipt per object. Needs receipt_targets; at most kMaxDigestSeconds.
  int64_t digest_seconds = 0;
  // Backups that cannot be deleted: every copy gets COMPLIANCE retention for this many days
  // (1..36500; 0: none). The destination must have object lock (a destination bucket this
  // call creates gets it); remote destinations are refused.
  int32_t lock_days = 0;
};

struct ChangeOrigin {
  std::string principal_id;
  std::string source_ip;
  std::string request_id;
};

struct PutObjectInput {
  std::string bucket;
  std::string key;
  // content_type, headers, user_metadata, tags, storage_class, checksum_algorithm, owner_id.
  meta::ObjectVersion attributes;
  ByteSource* body = nullptr;
  std::optional<uint64_t> expected_size;  // when known (Content-Length): checked exactly
  BodyCheck check;                        // may be empty
  // SSE headers; when they name none, the bucket's default encryption applies.
  EncryptionRequest encryption;
  // The outbox event written with the new version: s3:ObjectCreated:Put, :Post or :Copy.
  std::string event_name = "s3:ObjectCreated:Put";
  ChangeOrigin origin;
  // If-None-Match / If-Match (conditional writes), checked when the version commits.
  meta::WriteCondition condition;
  // The bucket's state when the caller already loaded it for this request (the S3 API's
  // admission); null: put_object loads it.
  std::shared_ptr<const BucketState> bucket_state;
};

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;      // as the client sent it; quotes allowed
  std::string checksum;  // base64, when the client sent one
};

class Vault {
 public:
  // `master_key` (32 bytes) wraps the data keys of SSE-S3 objects; without one, SSE-S3
  // requests (and buckets defaulting to it) fail with InternalError.
  Vault(meta::MetaStore& meta, blob::BlobStore& blobs, const Clock& clock, VaultOptions options,
        std::string master_key = {});

  const VaultOptions& options() const { return options_; }

  // Buckets. create_bucket validates the name (InvalidBucketName).
  // The bucket starts with every public access block setting on when
  // options.block_public_access_default says so (written with it, one transaction).
  // `configs` (kind, document) are written with it too.
  Status create_bucket(std::string_view name, std::string_view owner_id,
                       meta::StringPairs configs = {});
  Result<meta::Bucket> get_bucket(std::string_view name);  // NoSuchBucket
  // The bucket with its configuration, as one immutable snapshot (bucket_state.h), cached:
  // what a request loads once and passes down. NoSuchBucket; InternalError when a stored
  // document no longer parses.
  Result<std::shared_ptr<const BucketState>> bucket_state(std::string_view name);
  Result<std::vector<meta::Bucket>> list_buckets(std::string_view owner_id);
  Status delete_bucket(std::string_view name);
  Result<meta::BucketUsage> bucket_usage(std::string_view name);
  Status put_bucket_config(std::string_view bucket, std::string_view kind, std::string_view doc);
  Result<std::optional<std::string>> get_bucket_config(std::string_view bucket,
                                                       std::string_view kind);
  Status delete_bucket_config(std::string_view bucket, std::string_view kind);
  // A bucket's tag set (vault_bucket_tags.cc; rules and stored form in bucket_tags.h).
  // put_bucket_tags validates (InvalidTag) and replaces the set; an empty set removes it.
  // bucket_tags answers nullopt when the bucket has none. All fail with NoSuchBucket.
  Status put_bucket_tags(std::string_view bucket, const meta::StringPairs& tags);
  Result<std::optional<meta::StringPairs>> bucket_tags(std::string_view bucket);
  Status delete_bucket_tags(std::string_view bucket);
  // Versioning state (cached like buckets). set_versioning accepts kEnabled and kSuspended;
  // suspending fails with InvalidBucketState while the bucket has a replication configuration.
  Result<Versioning> versioning(std::string_view bucket);
  Status set_versioning(std::string_view bucket, Versioning state);

  // Access control (vault_access.cc; model in bucket_access.h). bucket_access answers the
  // bucket, its parsed policy and its public access block, loaded once and cached as one
  // entry (exact like the lifecycle cache). All fail with NoSuchBucket when the bucket does
  // not exist.
  Result<std::shared_ptr<const BucketAccess>> bucket_access(std::string_view bucket);
  // Validates the document (MalformedPolicy with the reason), refuses a public policy while
  // BlockPublicPolicy is in force for the bucket (AccessDenied), then replaces the policy.
  Status put_bucket_policy(std::string_view bucket, std::string_view document);
  // The policy as it was given; NoSuchBucketPolicy when there is none.
  Result<std::string> bucket_policy(std::string_view bucket);
  Status delete_bucket_policy(std::string_view bucket);  // no error when there was none
  Status put_public_access_block(std::string_view bucket, const PublicAccessBlock& block);
  Status delete_public_access_block(std::string_view bucket);  // no error when none
  // The account-wide block (nullopt: none, S3's default), cached; nullopt removes it.
  Result<std::optional<PublicAccessBlock>> account_public_access_block();
  Status set_account_public_access_block(const std::optional<PublicAccessBlock>& block);
  // What is in force for a bucket: its block combined with the account's.
  Result<PublicAccessBlock> public_access_in_force(const BucketAccess& access);

  // Event notification configuration (vault_notification_config.cc; model, validation and
  // matching in notification_config.h). put_notification_config validates (InvalidArgument,
  // see validate) and, unless `destinations` is null (x-amz-skip-destination-validation),
  // checks every rule's target exists; then replaces the bucket's configuration (an empty one
  // removes it; parsed once, then cached like versioning), writing with a non-empty one an
  // s3:TestEvent (made by `origin`; detail:
  // test_event_detail) in the same transaction, so that every target of the new configuration
  // is sent S3's test message. get_notification_config answers an empty configuration when
  // the bucket has none. Both fail with NoSuchBucket when the bucket does not exist.
  Status put_notification_config(std::string_view bucket, const NotificationConfiguration& config,
                                 const NotificationTargetCatalog* destinations,
                                 const ChangeOrigin& origin = {});
  Result<NotificationConfiguration> get_notification_config(std::string_view bucket);

  // Lifecycle configuration (vault_lifecycle_config.cc; model and rules in lifecycle_rules.h).
  // put_lifecycle validates (S3's codes: MalformedXML, InvalidArgument, InvalidRequest,
  // InvalidStorageClass) and replaces the bucket's configuration; lifecycle() answers
  // nullopt when the bucket has none (parsed once, then cached like versioning);
  // delete_lifecycle removes it (no error when there was none). All fail with NoSuchBucket
  // when the bucket does not exist.
  Status put_lifecycle(std::string_view bucket, const LifecycleConfiguration& config);
  Result<std::optional<LifecycleConfiguration>> lifecycle(std::string_view bucket);
  Status delete_lifecycle(std::string_view bucket);

  // Replication configuration (vault_replication_config.cc; model, S3's document checks and
  // matching in replication_config.h). put_replication validates the document, then needs
  // the bucket's versioning Enabled and, per rule, a local destination that exists, is not
  // the bucket itself and has versioning Enabled, or a remote destination (<Account>) that
  // `remotes` knows (InvalidRequest otherwise), and replaces the configuration.
  // replication() answers nullopt when the bucket has none (parsed once, then cached like
  // lifecycle); delete_replication removes it (no error when there was none). Both the put and
  // the delete keep the bucket's replication history marker (kReplicationHistoryConfig). All
  // fail with NoSuchBucket when the bucket does not exist.
  Status put_replication(std::string_view bucket, const ReplicationConfiguration& config,
                         const ReplicationRemoteCatalog& remotes);
  Result<std::optional<ReplicationConfiguration>> replication(std::string_view bucket);
  // As replication(), read from the store now (the cache may not yet have followed a change
  // another process made; the replication worker asks before it concludes a rule is gone).
  Result<std::optional<ReplicationConfiguration>> reload_replication(std::string_view bucket);
  Status delete_replication(std::string_view bucket);

  // Replication's data side (vault_replication.cc), for the replication worker.
  // A version written while the bucket has replication rules that apply to it starts
  // PENDING (put_object, complete_upload, delete markers); put_replication with
  // ExistingObjectReplication Enabled writes a kReplicationBackfillEvent with the
  // configuration, and the worker queues the versions written before (queue_replication).
  struct ReplicaResult {
    meta::ReplicaWrite write = meta::ReplicaWrite::kWritten;
    uint64_t bytes = 0;  // body bytes copied
  };
  // Copies `source` (read from its own bucket) into `bucket` as a replica: same key, version
  // id, Last-Modified, metadata, tags, content type, checksum and ETag, status REPLICA, the
  // storage class `storage_class` (empty: the source's). Encrypted at rest when the source
  // was (SSE-S3) or the destination's default encryption asks for it. The body streams
  // server-side (never whole in memory) and its MD5 is checked against a plain-MD5 ETag. A
  // delete marker is copied as a delete marker. kAlreadyThere, nothing stored, when the
  // destination holds that version already (skip_copy). NoSuchBucket (the destination);
  // InvalidRequest for a source encrypted with a customer key (SSE-C is not replicated).
  // With `settle`, the replication task's end is recorded with the replica in one
  // transaction (MetaStore::put_replica), also when it was there already.
  // With `lock_days` > 0 the replica gets COMPLIANCE retention for that many days from now
  // (a backup's --lock-days; InvalidRequest when the bucket has no object lock).
  Result<ReplicaResult> put_replica(std::string_view bucket, const meta::ObjectVersion& source,
                                    std::string_view storage_class,
                                    const meta::ReplicationOutcome* settle = nullptr,
                                    int32_t lock_days = 0);
  // MetaStore's replication bookkeeping, passed through.
  Status settle_replication(const meta::ReplicationOutcome& outcome);
  Status set_replication_status(std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::string_view status);
  Status queue_replication(const std::vector<meta::Event>& events);
  Result<std::vector<meta::ReplicationStats>> replication_stats(std::string_view bucket);
  Status set_task_payload(int64_t task_id, std::string_view payload);
  // A backup in one step: turns versioning on for the source and, for a destination on this
  // server, for the destination (created, owned by the source's owner, when missing); adds
  // (or replaces) the rule "backup-to-DST" ("backup-to-REMOTE-DST") copying every version
  // under `prefix` ending in `suffix`, existing ones included, delete markers not; records its
  // receipt and failure targets and the receipts' digest interval. Errors as put_replication;
  // InvalidArgument for an unknown target, or a digest interval out of range or without
  // receipt targets (checked before anything changes); with lock_days, InvalidRequest for a
  // remote destination or an existing destination without object lock. Returns the rule.
  Result<ReplicationRule> set_up_backup(const BackupRequest& request,
                                        const ReplicationRemoteCatalog& remotes,
                                        const NotificationTargetCatalog& targets);
  // Receipt and failure targets per replication rule (backup_receipts.h); empty when none.
  // NoSuchBucket.
  Result<BackupReceipts> backup_receipts(std::string_view bucket);
  Status put_backup_receipts(std::string_view bucket, const BackupReceipts& receipts);

  // Objects. Every change below commits together with its outbox event (meta::Event, named
  // as S3 names it, with `origin`): no change without its event, no event without its change.
  // put_object streams the body into storage, computing MD5 (the ETag) and the
  // requested checksum, runs input.check, then commits; the returned version has no body.
  Result<meta::ObjectVersion> put_object(PutObjectInput& input);
  // The version's metadata and body location (NoSuchBucket, NoSuchKey, NoSuchVersion). A
  // delete marker answers NoSuchKey when it is the current version and MethodNotAllowed when
  // asked for by id, as S3 does; get_version returns it instead.
  Result<meta::ObjectVersion> get_object(std::string_view bucket, std::string_view key,
                                         std::string_view version_id = {});
  Result<meta::ObjectVersion> get_version(std::string_view bucket, std::string_view key,
                                          std::string_view version_id = {});
  // The one check before a version's body is read (readable_body.h): InvalidObjectState when
  // the version is archived without a finished restore (check_readable), then the customer
  // key as check_customer_key; the data key is unwrapped once here. `object` must outlive
  // the result. Call it before any response header is decided: its errors are the answer.
  Result<ReadableBody> readable_body(const meta::ObjectVersion& object,
                                     const CustomerKey* customer_key);
  // readable_body(object, customer_key), then a stream of bytes [offset, offset + length) of
  // the body (ReadableBody::open), for callers that read one range.
  Result<std::unique_ptr<ByteSource>> open_body(const meta::ObjectVersion& object, uint64_t offset,
                                                uint64_t length,
                                                const CustomerKey* customer_key = nullptr);
  // Server-side copies (vault_copy.cc; requests in copy_request.h): the source is loaded and
  // checked as CopySource says, then streamed (never whole in memory).
  // copy_object writes it as a new version of request.key as put_object does (event
  // s3:ObjectCreated:Copy with `origin`; the destination's errors are put_object's).
  // InvalidRequest when it would copy a version onto itself changing nothing: same bucket and
  // key, no version named, metadata kCopy, no storage class and no encryption asked for.
  Result<CopiedObject> copy_object(const CopyObjectRequest& request,
                                   const ChangeOrigin& origin = {});
  // copy_part stores the source's bytes (request.range of them; InvalidRange when the range
  // ends past the source) as a part of the upload, as upload_part does (its errors).
  Result<meta::Part> copy_part(const CopyPartRequest& request);
  // Without a version id: removes the object in an unversioned bucket, and adds a delete
  // marker (a new version, or the "null" one when suspended) in a versioned one. With a
  // version id: removes that version for good.
  // Events: s3:ObjectRemoved:Delete (a version removed; none when there was nothing to
  // remove) or s3:ObjectRemoved:DeleteMarkerCreated.
  // A version under object lock is not removed (AccessDenied, judged in the store's
  // transaction at the clock's now): GOVERNANCE retention only with `bypass_governance`
  // (which the caller sets only for a caller allowed s3:BypassGovernanceRetention),
  // COMPLIANCE retention and a legal hold never. A delete marker is always allowed.
  Result<meta::DeleteOutcome> delete_object(std::string_view bucket, std::string_view key,
                                            std::string_view version_id = {},
                                            const ChangeOrigin& origin = {},
                                            bool bypass_governance = false);
  // Event: s3:ObjectTagging:Put, or s3:ObjectTagging:Delete when `tags` is empty.
  Status put_object_tags(std::string_view bucket, std::string_view key, std::string_view version_id,
                         const meta::StringPairs& tags, const ChangeOrigin& origin = {});
  // Replaces the ACL document of a version (the current one when version_id is empty; "" is
  // the default ACL): NoSuchBucket, NoSuchKey, NoSuchVersion. No outbox event (the
  // s3:ObjectAcl:Put notification is not implemented).
  Status put_object_acl(std::string_view bucket, std::string_view key, std::string_view version_id,
                        std::string_view acl);
  Result<meta::ListObjectsPage> list_objects(const meta::ListObjectsQuery& query);
  Result<meta::ListVersionsPage> list_object_versions(const meta::ListVersionsQuery& query);

  // Multipart uploads. Parts are always blob files.
  // The upload gets its encryption (and data key, shared by its parts) here.
  Result<meta::MultipartUpload> create_upload(std::string_view bucket, std::string_view key,
                                              const meta::ObjectVersion& attributes,
                                              const EncryptionRequest& encryption = {});
  Result<meta::MultipartUpload> get_upload(std::string_view bucket, std::string_view key,
                                           std::string_view upload_id);  // NoSuchUpload
  // `algorithm` is the checksum the part request names; kNone uses the upload's. An SSE-C
  // upload needs the customer's key with every part (InvalidRequest without it or with
  // another); other uploads refuse one (InvalidRequest).
  Result<meta::Part> upload_part(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id, uint32_t part_number, ByteSource& body,
                                 std::optional<uint64_t> expected_size, ChecksumAlgorithm algorithm,
                                 const BodyCheck& check, const CustomerKey* customer_key = nullptr);
  // Validates the list (InvalidPartOrder, InvalidPart, EntityTooSmall) and the composite
  // checksum, then makes the object current.
  // Event: s3:ObjectCreated:CompleteMultipartUpload.
  // The object's checksum follows the upload's checksum type: COMPOSITE, the checksum of the
  // parts' raw checksums + "-N"; FULL_OBJECT (CRC kinds only), the parts' CRCs combined into
  // the CRC of the whole body (no re-read). `expected_checksum` (base64; empty: none), when
  // given, must equal the result (BadDigest). `condition` (If-None-Match / If-Match) is
  // checked when the object commits; an upload aborted meanwhile then answers
  // ConditionalRequestConflict.
  Result<meta::ObjectVersion> complete_upload(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id,
                                              const std::vector<CompletedPart>& parts,
                                              const ChangeOrigin& origin = {},
                                              const meta::WriteCondition& condition = {},
                                              std::string_view expected_checksum = {});
  Status abort_upload(std::string_view bucket, std::string_view key, std::string_view upload_id);
  Result<meta::ListPartsPage> list_parts(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id, uint32_t marker,
                                         uint32_t max_parts);
  Result<meta::ListUploadsPage> list_uploads(const meta::ListUploadsQuery& query);

  // Storage tiers and the lifecycle's actions (vault_tiers.cc; classes in storage_class.h).
  // The lifecycle worker (workers/) decides what is due; these apply it. Every change is
  // guarded by the version's mtime (kPreconditionFailed when the version was replaced
  // meanwhile, kNoSuchVersion when it is gone) and carries its event into the outbox.
  //
  // An event about `object` (its bucket, key, version, size, etag and class) for the outbox.
  static meta::Event event_of(const meta::ObjectVersion& object, std::string name, int64_t time_ns,
                              const ChangeOrigin& origin = {});
  // A change of `object` guarded by everything the plan saw: its mtime, storage class, blobs
  // and restore state; the caller fills in what changes.
  static meta::VersionChange change_of(const meta::ObjectVersion& object);
  // InvalidObjectState when the version is archived (GLACIER) without a finished restore.
  // readable_body checks it before every read; HEAD, which reads nothing, does not.
  static Status check_readable(const meta::ObjectVersion& object);
  // Copies the version's stored body into the location of `storage_class` and makes that
  // its body (the old blobs become garbage); next_due_ns becomes its lifecycle due time.
  Status transition(const meta::ObjectVersion& object, std::string_view storage_class,
                    int64_t next_due_ns, std::optional<meta::Event> event);
  // RestoreObject for `days` lifecycle days: InvalidObjectState unless the version is
  // archived, RestoreAlreadyInProgress while a restore is ongoing. Returns true when a
  // restored copy already existed (its expiry moves), false when a restore was started (the
  // worker makes the copy).
  Result<bool> request_restore(std::string_view bucket, std::string_view key,
                               std::string_view version_id, int days,
                               const ChangeOrigin& origin = {});
  // Makes the readable copy of a version whose restore is ongoing.
  Status finish_restore(const meta::ObjectVersion& object, int64_t next_due_ns);
  // Removes a restored copy (its expiry came).
  Status drop_restore(const meta::ObjectVersion& object, int64_t next_due_ns);
  // Expires the current version: removes it in an unversioned bucket, else puts a delete
  // marker over it; `event` is completed with the right name and version.
  Status expire_current(const meta::ObjectVersion& object, meta::Event event);
  Status apply_change(const meta::VersionChange& change);
  Result<std::vector<meta::DueVersion>> due_versions(int64_t now_ns, size_t max);
  Result<std::vector<meta::ObjectVersion>> key_versions(std::string_view bucket,
                                                        std::string_view key);
  Result<std::vector<meta::Event>> events(int64_t after_seq, size_t max);
  // The seq of the last event `consumer` has taken (0 when it never ran).
  Result<int64_t> consumer_position(std::string_view consumer);
  // The outbox consumers' work (MetaStore, "The outbox"): tasks of one consumer (every
  // consumer's when empty), only parked ones when failed_only; retry_outbox_tasks makes
  // parked tasks due now (one by id, or all of the consumer's when task_id is 0).
  Result<std::vector<meta::OutboxTask>> outbox_tasks(std::string_view consumer, bool failed_only,
                                                     int64_t after_id, size_t max);
  Result<uint64_t> retry_outbox_tasks(std::string_view consumer, int64_t task_id);
  // A target's pending tasks with exactly this payload, by id (MetaStore::tasks_with_payload):
  // the tasks a consumer does as one (a digest).
  Result<std::vector<meta::OutboxTask>> outbox_tasks_with_payload(std::string_view consumer,
                                                                  std::string_view target,
                                                                  std::string_view payload,
                                                                  size_t max);
  // Removes events older than `retention` that no consumer needs any more; returns how many.
  Result<uint64_t> prune_events(std::chrono::seconds retention);
  Result<std::vector<meta::ClassUsage>> usage_by_class(std::string_view bucket);
  Result<std::vector<meta::Bucket>> all_buckets();  // every owner's, by name

  // The audit trail's records matching `query`, newest first, one page (vault_trail.cc). The
  // root user sees every record; any other user only their own (query.user_name becomes
  // theirs). AccessDenied when `user_id` names no user.
  Result<meta::TrailPage> lookup_trail(meta::TrailQuery query, std::string_view user_id);
  const Clock& clock() const { return clock_; }

  // --- Encryption at rest (vault_encryption.cc; bodies: body_encryption.h) ---------------
  // Whether a request may read `object` with the customer key it brought (null: none):
  // InvalidRequest when the version is SSE-C and no key came ("The object was stored using a
  // form of Server Side Encryption...") or a key came for a version that is not SSE-C;
  // AccessDenied when the key is not the one the version was stored with. readable_body
  // checks the same before a read; HEAD (no body) needs this alone.
  Status check_customer_key(const meta::ObjectVersion& object, const CustomerKey* customer_key);
  // The bucket's default encryption (a bucket configuration document, cached like
  // versioning); nullopt when none is set. set_default_encryption(bucket, nullopt) removes it.
  Result<std::optional<DefaultEncryption>> default_encryption(std::string_view bucket);
  Status set_default_encryption(std::string_view bucket,
                                const std::optional<DefaultEncryption>& config);

  // --- Object lock (vault_object_lock.cc; model in object_lock.h) ------------------------
  // Creates a bucket as create_bucket; with `object_lock` its versioning is Enabled and object
  // lock on (no default retention) from the start, written with the bucket in one transaction.
  Status create_bucket(std::string_view name, std::string_view owner_id, bool object_lock,
                       meta::StringPairs configs = {});
  // The bucket's object lock configuration, nullopt when object lock is not enabled (cached
  // like lifecycle). NoSuchBucket.
  Result<std::optional<ObjectLockConfiguration>> object_lock(std::string_view bucket);
  // Enables object lock (versioning must be Enabled: InvalidBucketState) or replaces the
  // default retention of a bucket that has it. validate()'s errors.
  Status put_object_lock(std::string_view bucket, const ObjectLockConfiguration& config);
  // The lock a new version written at `written_ns` gets (PUT, POST, COPY, CreateMultipartUpload,
  // CompleteMultipartUpload): `requested` with the bucket's default retention when it names
  // none. InvalidRequest "Bucket is missing Object Lock Configuration" when `requested` asks
  // for anything on a bucket without object lock; InvalidArgument for a retention without a
  // valid mode, or a retain-until not in the future.
  Result<meta::ObjectLock> lock_for_new_version(const BucketState& bucket,
                                                const meta::ObjectLock& requested,
                                                int64_t written_ns);
  // The version whose lock GetObjectRetention / GetObjectLegalHold show: InvalidRequest on a
  // bucket without object lock; NoSuchKey, NoSuchVersion, MethodNotAllowed (a delete marker).
  Result<meta::ObjectVersion> locked_version(std::string_view bucket, std::string_view key,
                                             std::string_view version_id);
  // PutObjectRetention: `mode` "" (with retain_until_ns 0) removes the retention. The rules
  // are meta::RetentionChange's at the clock's now (AccessDenied); InvalidArgument for a
  // retain-until not in the future; errors as locked_version.
  Status put_object_retention(std::string_view bucket, std::string_view key,
                              std::string_view version_id, std::string_view mode,
                              int64_t retain_until_ns, bool bypass_governance);
  // PutObjectLegalHold; errors as locked_version.
  Status put_object_legal_hold(std::string_view bucket, std::string_view key,
                               std::string_view version_id, bool on);

  // Blob reclamation. garbage() lists up to `max` blobs no metadata references any more;
  // reclaim() deletes those blobs and forgets them. The collector (workers/) decides when.
  Result<std::vector<std::string>> garbage(size_t max);
  Status reclaim(const std::vector<std::string>& blob_ids);
  // At startup, before serving: removes temporaries and blobs no metadata references.
  Result<size_t> sweep_orphans();

 private:
  struct StoredBody;
  // Stores the bucket's kReplicationHistoryConfig marker unless it has it.
  Status keep_replication_history(std::string_view bucket);
  // The version id a new version of a key in `bucket` gets: fresh when versioning is
  // enabled, "null" otherwise.
  Result<std::string> next_version_id(const BucketState& bucket);
  Result<std::vector<meta::BlobRef>> copy_stored_pieces(const meta::ObjectVersion& object,
                                                        const std::vector<meta::BlobRef>& from,
                                                        std::string_view location, int level);
  // Bodies of a colder class go to that class's location, compressed, never inline.
  // In a bucket with lifecycle rules, makes the version (the current one when version_id is
  // empty) due now, so the worker plans its key again; nothing otherwise.
  Status replan_now(std::string_view bucket, std::string_view key, std::string_view version_id);
  // When the lifecycle worker must first look at a version about to be written as current
  // (0: the bucket has no rules or none will apply).
  int64_t first_due(const BucketState& bucket, const meta::ObjectVersion& object) const;
  // "PENDING" when the bucket's replication rules apply to `object`, else "".
  static std::string initial_replication_status(const BucketState& bucket,
                                                const meta::ObjectVersion& object);
  Result<StoredBody> store_body(ByteSource& body, std::optional<uint64_t> expected_size,
                                uint64_t max_size, bool allow_inline, ChecksumAlgorithm algorithm,
                                const BodyCheck& check,
                                StorageClass storage_class = StorageClass::kStandard,
                                std::string_view data_key = {});
  // With a `data_key` the writer seals (body_encryption.h) and does not compress.
  Result<std::unique_ptr<blob::BlobWriter>> create_body_writer(StorageClass storage_class,
                                                               std::string_view data_key = {});
  // Encryption (vault_encryption.cc). new_encryption decides a new object's or upload's
  // encryption (the request's, else the bucket default's) and fills `data_key` with its fresh
  // key (empty when plain). data_key_for unwraps the data key of existing encrypted data
  // ("" when plain), checking the customer key as check_customer_key (kObject) or as
  // UploadPart does (kUploadPart).
  enum class KeyUse { kObject, kUploadPart };
  Result<meta::Encryption> new_encryption(const BucketState& bucket,
                                          const EncryptionRequest& request, std::string& data_key);
  Result<std::string> data_key_for(const meta::Encryption& encryption,
                                   const CustomerKey* customer_key, KeyUse use,
                                   std::string_view resource);

  meta::MetaStore& meta_;
  blob::BlobStore& blobs_;
  const Clock& clock_;
  VaultOptions options_;
  const std::string master_key_;  // wraps SSE-S3 data keys; may be empty (no SSE-S3)
  // The per-bucket states (bucket_state) by name. Every change to a bucket or one of its
  // configuration documents goes through this Vault and calls forget_bucket, which keeps the
  // entries exact within one process; other processes' changes arrive through
  // options_.other_changes (follow_other_changes drops every entry). Several servers over one
  // database (scale-out) will need that signal from the database.
  std::mutex bucket_cache_mutex_;
  std::map<std::string, std::shared_ptr<const BucketState>, std::less<>> bucket_states_;
  // Bumped by every forget: a load caches its result only if no change ran meanwhile, so a
  // load racing with a change never leaves the old state behind.
  uint64_t cache_changes_ = 0;
  // Drops `bucket`'s state; the next lookup loads it again.
  void forget_bucket(std::string_view bucket);
  // Drops the states when options_.other_changes says another process changed something.
  void follow_other_changes();
  // steady_clock ns of the last look; read without the lock so that lookups between looks
  // cost one atomic load.
  std::atomic<int64_t> other_changes_checked_ns_{INT64_MIN / 2};
  uint64_t other_changes_seen_ = 0;
  // The account's public access block, kept exact like the bucket states.
  struct CachedAccountBlock {
    uint64_t cache_changes = UINT64_MAX;  // never: nothing cached yet
    std::optional<PublicAccessBlock> block;
  };
  CachedAccountBlock account_block_cache_;
};

// S3 bucket naming rules (3-63 chars, lowercase letters, digits, '.', '-', no IP address
// form, no "xn--" prefix, ...).
bool is_valid_bucket_name(std::string_view name);
// S3 key rules: 1..1024 bytes of UTF-8. Returns KeyTooLongError / InvalidArgument.
Status validate_key(std::string_view key);

}  // namespace cv::vault
