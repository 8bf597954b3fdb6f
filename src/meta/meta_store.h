// MetaStore: the durable catalogue of users, keys, buckets, objects and multipart uploads.
//
// Contract for every implementation (checked by tests/unit/meta/meta_store_conformance.h):
// - Thread-safe: any method may be called from many threads at once. Methods block (disk
//   I/O); never call them on a network thread.
// - Every mutating call is atomic and durable when it returns success: after a crash the
//   change is either wholly visible or wholly absent, and an acknowledged change survives.
// - Concurrent writers are batched (group commit) so that many small changes share one
//   fsync; a failure of one change in a batch does not fail the others.
// - Blobs that a change stops referencing (a replaced object, a deleted object, an aborted
//   upload's parts, parts not used by a completion) are recorded as garbage in the same
//   transaction; take_garbage() hands them to the collector.
// - Domain failures are Errors with S3 codes (NoSuchBucket, BucketNotEmpty, NoSuchUpload...);
//   anything else (I/O, corruption) is kInternalError.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/activity_types.h"
#include "meta/alarm_types.h"
#include "meta/trail_types.h"
#include "meta/types.h"

namespace cv::meta {

struct DeleteOutcome {
  bool existed = false;  // whether a version was removed
  std::string version_id;
  bool delete_marker = false;  // whether the removed version was a delete marker
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Users and access keys.
  virtual Status put_user(const User& user) = 0;  // insert or replace by id; name is unique
  virtual Result<std::optional<User>> get_user(std::string_view id) = 0;
  virtual Result<std::optional<User>> find_user_by_name(std::string_view name) = 0;
  virtual Result<std::vector<User>> list_users() = 0;       // ordered by name
  virtual Status put_access_key(const AccessKey& key) = 0;  // insert or replace by id
  virtual Result<std::optional<AccessKey>> get_access_key(std::string_view access_key_id) = 0;
  // Keys of one user, or of all users when user_id is empty; ordered by access_key_id.
  virtual Result<std::vector<AccessKey>> list_access_keys(std::string_view user_id) = 0;
  virtual Status delete_access_key(std::string_view access_key_id) = 0;  // kInvalidAccessKeyId

  // --- IAM (issue 14) --------------------------------------------------------------------
  // Errors are IAM's: kNoSuchEntity, kEntityAlreadyExists, kDeleteConflict, kLimitExceeded.
  // Group, role and policy names compare case-insensitively (as IAM's); the stored spelling
  // is the one given at creation.
  //
  // delete_user: kNoSuchEntity; kDeleteConflict while the user has access keys, group
  // memberships, inline or attached policies (nothing is removed then).
  virtual Status delete_user(std::string_view user_id) = 0;
  // Adds a key, never replacing one: kEntityAlreadyExists when the id is taken, kNoSuchEntity
  // when the user is absent, kLimitExceeded when the user already holds max_keys_per_user.
  virtual Status add_access_key(const AccessKey& key, size_t max_keys_per_user) = 0;
  virtual Status set_access_key_active(std::string_view access_key_id, bool active) = 0;
  // Moves each key's last use forward in one transaction (an older use than the stored one
  // is ignored, so is an absent key).
  virtual Status record_key_usage(const std::vector<KeyUsage>& usage) = 0;

  // Groups. create: kEntityAlreadyExists. delete: kNoSuchEntity; kDeleteConflict while it
  // has members, inline or attached policies. Members are user ids (ordered by user name);
  // add is idempotent; remove of a non-member is kNoSuchEntity; both kNoSuchEntity for an
  // absent group or user.
  virtual Status create_group(const IamGroup& group) = 0;
  virtual Result<std::optional<IamGroup>> get_group(std::string_view name) = 0;
  virtual Result<std::vector<IamGroup>> list_groups() = 0;  // ordered by name
  virtual Status delete_group(std::string_view name) = 0;
  virtual Status add_group_member(std::string_view group, std::string_view user_id) = 0;
  virtual Status remove_group_member(std::string_view group, std::string_view user_id) = 0;
  virtual Result<std::vector<std::string>> list_group_members(std::string_view group) = 0;
  virtual Result<std::vector<IamGroup>> list_user_groups(std::string_view user_id) = 0;

  // Roles. create: kEntityAlreadyExists. update replaces path, trust policy, description and
  // max session duration (kNoSuchEntity). delete: kNoSuchEntity; kDeleteConflict while it has
  // inline or attached policies.
  virtual Status create_role(const IamRole& role) = 0;
  virtual Status update_role(const IamRole& role) = 0;
  virtual Result<std::optional<IamRole>> get_role(std::string_view name) = 0;
  virtual Result<std::vector<IamRole>> list_roles() = 0;  // ordered by name
  virtual Status delete_role(std::string_view name) = 0;

  // Managed policies. create: kEntityAlreadyExists. delete: kNoSuchEntity; kDeleteConflict
  // while attached to anyone. policy_attachment_count: to how many principals it is attached.
  virtual Status create_managed_policy(const ManagedPolicy& policy) = 0;
  virtual Result<std::optional<ManagedPolicy>> get_managed_policy(std::string_view name) = 0;
  virtual Result<std::vector<ManagedPolicy>> list_managed_policies() = 0;  // ordered by name
  virtual Status delete_managed_policy(std::string_view name) = 0;
  virtual Result<int64_t> policy_attachment_count(std::string_view name) = 0;

  // Inline policies of a user (by id), group or role (by name). put inserts or replaces
  // (kNoSuchEntity when the principal is absent); delete: kNoSuchEntity when absent. list:
  // ordered by policy name.
  virtual Status put_inline_policy(const InlinePolicy& policy) = 0;
  virtual Result<std::optional<InlinePolicy>> get_inline_policy(IamPrincipalKind kind,
                                                                std::string_view principal,
                                                                std::string_view name) = 0;
  virtual Result<std::vector<InlinePolicy>> list_inline_policies(IamPrincipalKind kind,
                                                                 std::string_view principal) = 0;
  virtual Status delete_inline_policy(IamPrincipalKind kind, std::string_view principal,
                                      std::string_view name) = 0;

  // Managed policies attached to a principal. attach is idempotent (kNoSuchEntity when the
  // principal or the policy is absent); detach: kNoSuchEntity when not attached. list:
  // policy names, ordered.
  virtual Status attach_policy(IamPrincipalKind kind, std::string_view principal,
                               std::string_view policy_name) = 0;
  virtual Status detach_policy(IamPrincipalKind kind, std::string_view principal,
                               std::string_view policy_name) = 0;
  virtual Result<std::vector<std::string>> list_attached_policies(IamPrincipalKind kind,
                                                                  std::string_view principal) = 0;

  // Buckets. create_bucket writes the bucket and its initial `configs` in one transaction; it
  // fails with BucketAlreadyOwnedByYou when the same owner holds the
  // name, BucketAlreadyExists when another does. delete_bucket fails with BucketNotEmpty
  // while any object version or multipart upload remains, NoSuchBucket when absent, and
  // removes the bucket's configuration documents with it.
  virtual Status create_bucket(const Bucket& bucket) = 0;
  virtual Result<std::optional<Bucket>> get_bucket(std::string_view name) = 0;
  // The bucket with every configuration document in `configs` (ordered by kind), read in one
  // snapshot: what a per-bucket state is built from. nullopt when the bucket is absent.
  virtual Result<std::optional<Bucket>> get_bucket_with_configs(std::string_view name) = 0;
  virtual Result<std::vector<Bucket>> list_buckets() = 0;  // ordered by name
  virtual Status delete_bucket(std::string_view name) = 0;
  virtual Result<BucketUsage> bucket_usage(std::string_view name) = 0;

  // Per-bucket configuration documents by kind ("cors", later "versioning", "lifecycle"...).
  // The document is opaque text. NoSuchBucket when the bucket is absent. With `event` (e.g.
  // s3:TestEvent when a notification configuration is saved), the event is appended in the
  // same transaction.
  virtual Status put_bucket_config(std::string_view bucket, std::string_view kind,
                                   std::string_view document,
                                   const std::optional<Event>& event) = 0;
  Status put_bucket_config(std::string_view bucket, std::string_view kind,
                           std::string_view document) {
    return put_bucket_config(bucket, kind, document, std::nullopt);
  }
  virtual Result<std::optional<std::string>> get_bucket_config(std::string_view bucket,
                                                               std::string_view kind) = 0;
  virtual Status delete_bucket_config(std::string_view bucket, std::string_view kind) = 0;

  // Account-wide configuration documents by kind ("public-access-block"): opaque text, one
  // per kind. get answers nullopt when absent; delete of an absent kind succeeds.
  virtual Status put_account_config(std::string_view kind, std::string_view document) = 0;
  virtual Result<std::optional<std::string>> get_account_config(std::string_view kind) = 0;
  virtual Status delete_account_config(std::string_view kind) = 0;

  // Objects. Every key has an ordered history of versions (oldest to newest by when each
  // was written, whatever its id) and, while it has any, exactly one current version: the
  // newest. A delete marker (is_delete_marker, no body) is a version like any other.
  //
  // put_object makes `object` the current version of its key. A version with the same
  // version_id is replaced wherever it is in the history (its blobs become garbage); the
  // replacement counts as written now, so it becomes the newest. Other versions stay, as
  // noncurrent. This serves unversioned buckets (always "null": one version per key),
  // versioned ones (a fresh id each time: versions accumulate) and suspended ones ("null"
  // replaces the null version and leaves the others). `object.is_latest` is ignored.
  // NoSuchBucket when the bucket is absent.
  // With `event`, the event is appended to the outbox in the same transaction (its seq is
  // assigned then; see "The outbox" below).
  // With a non-empty `condition`, it is checked against the key's current version in the
  // same transaction as the write (see WriteCondition), so of two conditional writers of a
  // key at most one passes; nothing is written when it fails.
  virtual Status put_object(const ObjectVersion& object, const std::optional<Event>& event,
                            const WriteCondition& condition) = 0;
  Status put_object(const ObjectVersion& object, const std::optional<Event>& event) {
    return put_object(object, event, WriteCondition{});
  }
  Status put_object(const ObjectVersion& object) { return put_object(object, std::nullopt); }
  // The current version when version_id is empty (even when it is a delete marker), else
  // that version; with its body fields and is_latest.
  virtual Result<std::optional<ObjectVersion>> get_object(std::string_view bucket,
                                                          std::string_view key,
                                                          std::string_view version_id) = 0;
  // Permanently removes the version (the current one when version_id is empty); when it
  // was current the newest remaining version becomes current. Idempotent: deleting a
  // missing key or version succeeds with existed=false. (Leaving a delete marker is a
  // put_object of one, decided by the caller.) With `event`, the event is appended in the
  // same transaction when a version was removed (none otherwise); an empty
  // event.version_id becomes the removed version's.
  // Object lock is judged inside the same transaction: a version its lock protects under
  // `guard` (lock_blocks_removal) is not removed, kAccessDenied. Without a guard every
  // retention counts as running (LockGuard's default). put_object refuses (kAccessDenied) to
  // replace in place a version whose lock protects it at the new version's mtime.
  virtual Result<DeleteOutcome> delete_object(std::string_view bucket, std::string_view key,
                                              std::string_view version_id,
                                              const std::optional<Event>& event,
                                              const LockGuard& guard) = 0;
  Result<DeleteOutcome> delete_object(std::string_view bucket, std::string_view key,
                                      std::string_view version_id,
                                      const std::optional<Event>& event) {
    return delete_object(bucket, key, version_id, event, LockGuard{});
  }
  Result<DeleteOutcome> delete_object(std::string_view bucket, std::string_view key,
                                      std::string_view version_id) {
    return delete_object(bucket, key, version_id, std::nullopt, LockGuard{});
  }
  // Object lock of one version (the current one when version_id is empty), changed
  // atomically: put_object_retention under the rules of RetentionChange (kAccessDenied when
  // they refuse), put_object_legal_hold places or removes the legal hold. Both: NoSuchBucket,
  // NoSuchKey (no current version), NoSuchVersion, MethodNotAllowed for a delete marker.
  virtual Status put_object_retention(std::string_view bucket, std::string_view key,
                                      std::string_view version_id,
                                      const RetentionChange& change) = 0;
  virtual Status put_object_legal_hold(std::string_view bucket, std::string_view key,
                                       std::string_view version_id, bool on) = 0;
  // Replaces the tag set of a version (current when version_id is empty). NoSuchKey. With
  // `event`, the event is appended in the same transaction.
  virtual Status put_object_tags(std::string_view bucket, std::string_view key,
                                 std::string_view version_id, const StringPairs& tags,
                                 const std::optional<Event>& event) = 0;
  Status put_object_tags(std::string_view bucket, std::string_view key, std::string_view version_id,
                         const StringPairs& tags) {
    return put_object_tags(bucket, key, version_id, tags, std::nullopt);
  }
  // Replaces the access control list of a version (current when version_id is empty; an
  // empty `acl` is the default one). NoSuchBucket, NoSuchKey (NoSuchVersion with a
  // version_id that names none). The version's other fields and its place stay.
  virtual Status put_object_acl(std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::string_view acl) = 0;
  // One page of current versions that are not delete markers (noncurrent versions and
  // keys whose current version is a delete marker are never listed, nor do they make a
  // common prefix): an index range scan from start_after, never a scan of the whole
  // bucket; a common prefix is skipped over with one seek. Entries have is_latest set.
  virtual Result<ListObjectsPage> list_objects(const ListObjectsQuery& query) = 0;
  // One page of every version and delete marker (see ListVersionsQuery/ListVersionsPage):
  // index range scans only; a common prefix is skipped over with one seek. NoSuchBucket.
  virtual Result<ListVersionsPage> list_object_versions(const ListVersionsQuery& query) = 0;

  // Multipart uploads. Parts replace parts with the same number (the old blob becomes
  // garbage). complete_upload atomically stores `object` as the current version, removes
  // the upload and its parts, and marks the blobs of parts not in `object.blobs` as garbage.
  // NoSuchUpload when the upload is absent (never created, completed or aborted).
  virtual Status create_upload(const MultipartUpload& upload) = 0;
  virtual Result<std::optional<MultipartUpload>> get_upload(std::string_view bucket,
                                                            std::string_view upload_id) = 0;
  virtual Status put_part(const Part& part) = 0;
  // Parts with bodies, ordered by number (for completion).
  virtual Result<std::vector<Part>> get_parts(std::string_view upload_id) = 0;
  virtual Result<ListPartsPage> list_parts(std::string_view upload_id, uint32_t part_number_marker,
                                           uint32_t max_parts) = 0;
  virtual Result<ListUploadsPage> list_uploads(const ListUploadsQuery& query) = 0;
  // With a non-empty `condition` (checked as put_object does), an upload that is gone by the
  // time the transaction runs fails with kConditionalRequestConflict, as S3 answers a
  // conditional completion that raced an abort.
  virtual Status complete_upload(std::string_view upload_id, const ObjectVersion& object,
                                 const std::optional<Event>& event,
                                 const WriteCondition& condition) = 0;
  Status complete_upload(std::string_view upload_id, const ObjectVersion& object,
                         const std::optional<Event>& event) {
    return complete_upload(upload_id, object, event, WriteCondition{});
  }
  Status complete_upload(std::string_view upload_id, const ObjectVersion& object) {
    return complete_upload(upload_id, object, std::nullopt);
  }
  virtual Status abort_upload(std::string_view bucket, std::string_view upload_id) = 0;

  // Lifecycle and restore: the work of background jobs.
  // Versions whose lifecycle_due_ns is set and <= now_ns, earliest first, at most `max`: an
  // index range scan, never a scan of every object.
  virtual Result<std::vector<DueVersion>> due_versions(int64_t now_ns, size_t max) = 0;
  // Every version of one key (delete markers included), newest first, with every field but
  // inline_data. Empty when the key has none.
  virtual Result<std::vector<ObjectVersion>> key_versions(std::string_view bucket,
                                                          std::string_view key) = 0;
  // Applies `change` and appends its event atomically (see VersionChange). Blobs the version
  // stops referencing (an old body, a dropped restored copy) become garbage.
  virtual Status apply_change(const VersionChange& change) = 0;
  // Makes every version of the bucket due at `due_ns` (0: none due), e.g. when its
  // lifecycle rules change. NoSuchBucket.
  virtual Status reschedule_bucket(std::string_view bucket, int64_t due_ns) = 0;
  // Outbox events with seq > after_seq in seq order, at most `max`.
  virtual Result<std::vector<Event>> list_events(int64_t after_seq, size_t max) = 0;
  // --- The outbox -------------------------------------------------------------------------
  // Every reaction to a change (notification, replication, audit) is a consumer of the
  // events written in the change's own transaction. Contract:
  // - seq increases and is never reused, also across restarts; events become visible in seq
  //   order (once an event is listed, no event with a smaller seq appears later).
  // - A consumer's position is the seq of the last event it has taken. register_consumer
  //   creates it at the newest seq (a new consumer reacts to changes from then on) and
  //   returns it; an existing one keeps its position.
  // - advance_consumer atomically moves the position from `from_seq` to `to_seq` and adds
  //   the tasks those events caused (ids assigned, failed false, attempts 0): the position
  //   never passes work that is neither done nor recorded. kPreconditionFailed when the
  //   position is no longer `from_seq`; kInvalidArgument when to_seq < from_seq.
  // - A task stays until finish_tasks removes it (done); update_tasks records a failed try
  //   (attempts, next_try_ns, last_error, failed replace the stored ones; missing ids are
  //   ignored). due_tasks returns a target's pending tasks with next_try_ns <= now_ns by
  //   (next_try_ns, id), each with its event; pending_targets the targets that have any.
  // - tasks_with_payload returns a target's pending tasks (due or not) whose payload is
  //   exactly `payload`, by id, at most `max`, each with its event: the tasks a consumer
  //   does as one piece of work (a digest of many events in one message).
  // - retry_tasks turns failed tasks back into pending ones due at now_ns: the one with
  //   `task_id`, or every failed task of the consumer when task_id is 0; returns how many.
  // - prune_events removes up to `max` events older than before_ns that every registered
  //   consumer has passed and no task refers to; returns how many.
  virtual Result<int64_t> register_consumer(std::string_view consumer) = 0;
  virtual Result<int64_t> consumer_position(std::string_view consumer) = 0;  // 0 when absent
  virtual Status advance_consumer(std::string_view consumer, int64_t from_seq, int64_t to_seq,
                                  const std::vector<OutboxTask>& tasks) = 0;
  virtual Result<std::vector<OutboxTask>> due_tasks(std::string_view consumer,
                                                    std::string_view target, int64_t now_ns,
                                                    size_t max) = 0;
  virtual Result<std::vector<std::string>> pending_targets(std::string_view consumer) = 0;
  virtual Result<std::vector<OutboxTask>> tasks_with_payload(std::string_view consumer,
                                                             std::string_view target,
                                                             std::string_view payload,
                                                             size_t max) = 0;
  virtual Status finish_tasks(const std::vector<int64_t>& task_ids) = 0;
  virtual Status update_tasks(const std::vector<OutboxTask>& tasks) = 0;
  // Replaces a task's payload (an executor's progress, e.g. the multipart upload it is
  // resuming); update_tasks leaves payloads alone. A missing id is not an error.
  virtual Status set_task_payload(int64_t task_id, std::string_view payload) = 0;
  // Tasks of `consumer` (every consumer's when empty) with id > after_id in id order, only
  // failed ones when `failed_only`, at most `max`, each with its event.
  virtual Result<std::vector<OutboxTask>> list_tasks(std::string_view consumer, bool failed_only,
                                                     int64_t after_id, size_t max) = 0;
  virtual Result<uint64_t> retry_tasks(std::string_view consumer, int64_t task_id,
                                       int64_t now_ns) = 0;
  virtual Result<uint64_t> prune_events(int64_t before_ns, size_t max) = 0;

  // --- Replication --------------------------------------------------------------------
  // Stores a replica made by replication: `object` keeps the source's version_id and
  // mtime_ns. Nothing is written (kAlreadyThere) when the key already has a version with
  // that id, so a replayed copy never makes a second version. Otherwise the replica becomes
  // the current version only when the key has none or its current version is not newer
  // (mtime_ns <= object.mtime_ns); else it joins the history as noncurrent, after the
  // versions older than it, so an older version arriving late never becomes current.
  // NoSuchBucket. With `event`, appended in the same transaction when written. With
  // `settle`, the task's end is recorded in the same transaction too (as settle_replication),
  // its kind made kReplicated when the replica was written and kSkipped (its event dropped)
  // when it was there already: a copy and its bookkeeping commit together.
  virtual Result<ReplicaWrite> put_replica(const ObjectVersion& object,
                                           const std::optional<Event>& event,
                                           const std::optional<ReplicationOutcome>& settle) = 0;
  Result<ReplicaWrite> put_replica(const ObjectVersion& object, const std::optional<Event>& event) {
    return put_replica(object, event, std::nullopt);
  }
  // Records the end of one replication task in one transaction: kReplicated / kSkipped
  // remove the task, and when no other task of the consumer for the same event remains the
  // version's replication status becomes COMPLETED (FAILED when one of them is parked);
  // kFailed makes it FAILED (the task stays, for the runner to park). The (bucket, rule_id)
  // stats count it; `event` is appended. A version that is gone meanwhile is not an error.
  virtual Status settle_replication(const ReplicationOutcome& outcome) = 0;
  // Sets a version's replication status ("" clears it); a missing version is not an error.
  virtual Status set_replication_status(std::string_view bucket, std::string_view key,
                                        std::string_view version_id, std::string_view status) = 0;
  // Appends `events` in one transaction, each naming a version that replication must
  // (re)consider, and marks those versions PENDING (replicas excepted): the backfill of
  // versions written before a rule existed.
  virtual Status queue_replication(const std::vector<Event>& events) = 0;
  // Stats of every rule of `bucket` (every bucket's when empty), by bucket and rule id.
  virtual Result<std::vector<ReplicationStats>> replication_stats(std::string_view bucket) = 0;

  // What each storage class of the bucket holds, ordered by class name. NoSuchBucket.
  virtual Result<std::vector<ClassUsage>> usage_by_class(std::string_view bucket) = 0;

  // --- Operations (metrics, issue 15): cheap reads of counters the store keeps ------------
  // Every bucket's usage per storage class (see StorageUsage), ordered by bucket then class;
  // a (bucket, class) holding nothing is absent. Reads the maintained counters, never the
  // objects: exact in every transaction that changes a version.
  virtual Result<std::vector<StorageUsage>> storage_usage() = 0;
  // Multipart uploads created and neither completed nor aborted.
  virtual Result<uint64_t> uploads_in_progress() = 0;
  // Each registered consumer's backlog, ordered by consumer.
  virtual Result<std::vector<OutboxBacklog>> outbox_backlog() = 0;
  // `consumer`'s tasks, pending and parked, by the bucket of their events, ordered by bucket.
  virtual Result<std::vector<BucketBacklog>> task_backlog_by_bucket(std::string_view consumer) = 0;

  // --- Notification targets added at run time (`cloudvault admin notify add`) ------------
  // add_notify_target inserts a target; kInvalidArgument when one with the name exists (the
  // stored one is left as it was). list_notify_targets returns them all, ordered by name.
  // remove_notify_target returns whether a target of that name was there to remove.
  virtual Status add_notify_target(const NotifyTarget& target) = 0;
  virtual Result<std::vector<NotifyTarget>> list_notify_targets() = 0;
  virtual Result<bool> remove_notify_target(std::string_view name) = 0;

  // --- Alarms and the dashboard's time series (issue 15) ---------------------------------
  // put_alarm_rule inserts or replaces a rule by name; delete_alarm_rule removes the rule and
  // its state (its history stays) and returns whether a rule was there. Rules are listed by
  // name. record_alarm_updates writes every update in one transaction: each state replaces
  // the alarm's stored one, each transition is added to the history (id assigned) and each
  // event appended to the outbox, so a state change and its notification commit together.
  // list_alarm_history: newest first, one alarm's (every alarm's when `name` is empty), at
  // most `max`. prune_alarm_history removes entries older than before_ns; returns how many.
  virtual Status put_alarm_rule(const AlarmRuleDocument& rule) = 0;
  virtual Result<std::vector<AlarmRuleDocument>> list_alarm_rules() = 0;
  virtual Result<bool> delete_alarm_rule(std::string_view name) = 0;
  virtual Result<std::vector<AlarmState>> list_alarm_states() = 0;  // ordered by name
  virtual Status record_alarm_updates(const std::vector<AlarmUpdate>& updates) = 0;
  virtual Result<std::vector<AlarmHistoryEntry>> list_alarm_history(std::string_view name,
                                                                    size_t max) = 0;
  virtual Result<uint64_t> prune_alarm_history(int64_t before_ns) = 0;
  // Metric points: append replaces a point with the same (series, resolution, time);
  // list returns the points of one resolution whose series starts with `series_prefix`, at or
  // after since_ns, ordered by series then time; prune removes a resolution's points older
  // than before_ns and returns how many.
  virtual Status append_metric_points(const std::vector<MetricPoint>& points) = 0;
  virtual Result<std::vector<MetricPoint>> list_metric_points(std::string_view series_prefix,
                                                              int64_t resolution_seconds,
                                                              int64_t since_ns) = 0;
  virtual Result<uint64_t> prune_metric_points(int64_t resolution_seconds,
                                               int64_t before_ns) = 0;

  // --- Activity (src/activity: CloudTrail ingest and daily scores) -----------------------
  // put_activity_events stores each event whose event_id is new, with its actor, and adds
  // it to the day aggregates in the same transaction: the event counts once on its day
  // (UTC) and service, and its burst (actor, source, name, window_start) counts once with
  // the highest points of its events. An event id already stored is left as it was and
  // counted as a duplicate, so ingesting twice changes nothing (an event id is one event:
  // the same id is expected with the same time). All or nothing per call.
  virtual Result<ActivityWriteCount> put_activity_events(
      const std::vector<ActivityEvent>& events) = 0;
  // Scores every stored event again with `score` and rebuilds every aggregate from them, in
  // one transaction (readers see the old aggregates or the new ones). Returns the number of
  // events scored. An error from `score` leaves everything as it was.
  virtual Result<uint64_t> rescore_activity(const ActivityRescoreFunction& score) = 0;
  // Per day in [from_day, to_day] and service, the sums over every actor any of
  // `principals` names (an account id, ARN, session issuer ARN, access key id or user name),
  // ordered by day then service; days without events are absent. Reads aggregates only.
  virtual Result<std::vector<ActivityDayService>> activity_days(
      const std::vector<std::string>& principals, int64_t from_day, int64_t to_day) = 0;
  // The stored events in [from_day, to_day] of every actor any of `principals` names, ordered
  // by time then event id, with their scoring (for attestations). Reads the events of the
  // range (a scan by time, filtered by actor): an export, not a request-path query.
  virtual Result<std::vector<ActivityEvent>> activity_events(
      const std::vector<std::string>& principals, int64_t from_day, int64_t to_day) = 0;
  // Checkpoints of files read to their end, by (source, path).
  virtual Result<std::optional<ActivityFileCheckpoint>> get_activity_file(
      std::string_view source, std::string_view path) = 0;
  virtual Status put_activity_file(const ActivityFileCheckpoint& checkpoint) = 0;
  // Profiles. add_activity_principals creates the profile when absent and adds the
  // principals it lacks. get_activity_profile: nullopt when absent. list: by name.
  // remove returns whether the profile was there.
  virtual Status add_activity_principals(std::string_view profile,
                                         const std::vector<std::string>& principals,
                                         int64_t now_ns) = 0;
  virtual Result<std::optional<ActivityProfile>> get_activity_profile(std::string_view name) = 0;
  virtual Result<std::vector<ActivityProfile>> list_activity_profiles() = 0;
  virtual Result<bool> remove_activity_profile(std::string_view name) = 0;
  // A profile's public page: set_activity_public_token turns it on with `token` (unique among
  // profiles; a fresh one replaces the old, whose link stops working) or off (empty token);
  // false when there is no such profile. find_activity_profile_by_token: the profile whose
  // page is on with that token, else nullopt (also for an empty token).
  // Counts for the activity health report (a count of events: not for the request path of
  // every page, but cheap enough for a health check).
  virtual Result<ActivityTotals> activity_totals() = 0;
  virtual Result<bool> set_activity_public_token(std::string_view name,
                                                 std::string_view token) = 0;
  virtual Result<std::optional<ActivityProfile>> find_activity_profile_by_token(
      std::string_view token) = 0;

  // --- The audit trail (src/audit) ------------------------------------------------------
  // Records are appended (seq assigned, increasing, never reused) and stay as the lookup
  // index. A log file is claimed in one transaction: the oldest records no file holds yet, up
  // to max_records, become a new file row with `key` holding their contiguous seq range, so
  // two processes rolling at once never put a record in two files; nullopt (and no file)
  // when there is none. A claimed
  // file is written outside the store, then marked written with the SHA-256 of its
  // uncompressed bytes and its oldest and newest event times; until then it is listed by
  // unwritten_trail_files (written again after a crash: same key, same records).
  // put_trail_digest records a digest and lists `file_ids` in it (each must be written and
  // listed by no digest yet, else kPreconditionFailed and nothing is recorded); a digest that
  // is not a backfill becomes the chain's head, when the head is still
  // `expected_previous_key` (empty: no digest yet), else kPreconditionFailed.
  // lookup_trail pages through the records that match, newest first, examining at most
  // TrailQuery::max_examined records per call (a short or empty page can carry a
  // continuation); records are not indexed by the fields filtered on, so appends stay cheap.
  struct TrailBacklog {
    uint64_t records = 0;         // records no log file holds (counted up to the cap given)
    int64_t oldest_event_ns = 0;  // event time of the oldest of them; 0 when none
  };
  virtual Status append_trail_records(const std::vector<TrailRecord>& records) = 0;
  virtual Result<TrailBacklog> trail_backlog(size_t cap) = 0;
  virtual Result<std::optional<TrailLogFile>> claim_trail_file(std::string_view key,
                                                               int64_t created_ns,
                                                               size_t max_records) = 0;
  virtual Result<std::vector<TrailLogFile>> unwritten_trail_files() = 0;  // by created_ns
  // The records of a claimed file with seq > after_seq, in seq order, at most `limit` of them:
  // a page (the last seq of one page is the after_seq of the next; 0 starts at the first).
  virtual Result<std::vector<TrailRecord>> trail_file_records(int64_t file_id, int64_t after_seq,
                                                              size_t limit) = 0;
  virtual Status mark_trail_file_written(int64_t file_id, std::string_view sha256_hex,
                                         int64_t oldest_event_ns, int64_t newest_event_ns) = 0;
  // Written files no digest lists yet, by created_ns.
  virtual Result<std::vector<TrailLogFile>> undigested_trail_files() = 0;
  virtual Status put_trail_digest(const TrailDigest& digest, const std::vector<int64_t>& file_ids,
                                  std::string_view expected_previous_key) = 0;
  virtual Result<std::optional<TrailDigest>> trail_chain_head() = 0;
  virtual Result<std::vector<TrailDigest>> list_trail_digests() = 0;  // by end_ns, then key
  virtual Result<TrailPage> lookup_trail(const TrailQuery& query) = 0;

  // --- Master key rotation (encryption at rest) ------------------------------------------
  // Every secret sealed under the master key, handed to `reseal` in turn:
  // access-key secrets (AccessKey::sealed_secret, sealed with the access key id as context),
  // the secrets of stored notification targets (NotifyTarget::sealed_secrets),
  // and the wrapped data keys of SSE-S3 object versions and SSE-S3 multipart uploads
  // (Encryption::wrapped_key where mode is kS3). SSE-C keys are sealed under their
  // customer's key and are not visited. `reseal` returns the bytes to store instead (the same
  // bytes to leave a secret as it is); an error stops the walk and is returned. Changes are
  // committed in atomic batches of at most `batch_size` secrets, so a crash leaves every
  // secret either as it was or as `reseal` made it. `reseal` runs on the store's writer
  // (inside a transaction): it must be quick and must not call the store. Returns how many
  // secrets were visited. Meant to run while nothing else writes secrets (the rotation holds
  // the data folder's lock).
  struct SealedSecret {
    enum class Kind { kAccessKeySecret, kObjectDataKey, kUploadDataKey, kNotifyTargetSecrets };
    Kind kind = Kind::kAccessKeySecret;
    // The access key id; or "bucket/key?versionId=..." for an object version; or the upload
    // id; or the notification target's name. For messages, and for the seal's context of
    // access keys and notification targets.
    std::string owner;
    std::string sealed;
  };
  using ResealFunction = std::function<Result<std::string>(const SealedSecret& secret)>;
  virtual Result<uint64_t> reseal_master_secrets(const ResealFunction& reseal,
                                                 size_t batch_size) = 0;

  // Blob reclamation. take_garbage returns up to `max` blob ids no longer referenced;
  // after deleting them the collector calls forget_garbage. blob_in_use tells whether any
  // object version or part references the blob (for sweeping orphans left by a crash).
  virtual Result<std::vector<std::string>> take_garbage(size_t max) = 0;
  virtual Status forget_garbage(const std::vector<std::string>& blob_ids) = 0;
  virtual Result<bool> blob_in_use(std::string_view blob_id) = 0;
};

}  // namespace cv::meta
