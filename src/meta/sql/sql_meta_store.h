// SqlMetaStore: every MetaStore call as the SQL in meta/sqlite/*_ops.cc (written once for
// SQLite and PostgreSQL, meta/sql/connection.h), run on a connection an engine provides.
//
// An engine says how a change and a query run (run_write, run_read): the SQLite store on its
// group-commit writer and its reader pool, the PostgreSQL store in one transaction on a pooled
// connection. A change or query may be run more than once (an engine retries a transaction
// PostgreSQL aborted to keep it serializable); each run starts from what it captured, so the
// lambdas below assign their outputs rather than accumulate into them.
#pragma once

#include <algorithm>
#include <optional>
#include <utility>

#include "meta/meta_store.h"
#include "meta/sql/connection.h"
#include "meta/sqlite/activity_ops.h"
#include "meta/sqlite/alarm_ops.h"
#include "meta/sqlite/blob_ref_ops.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/iam_ops.h"
#include "meta/sqlite/lifecycle_ops.h"
#include "meta/sqlite/multipart_ops.h"
#include "meta/sqlite/notify_target_ops.h"
#include "meta/sqlite/object_lock_ops.h"
#include "meta/sqlite/object_ops.h"
#include "meta/sqlite/operations_ops.h"
#include "meta/sqlite/outbox_ops.h"
#include "meta/sqlite/replication_ops.h"
#include "meta/sqlite/reseal_ops.h"
#include "meta/sqlite/trail_ops.h"
#include "meta/sqlite/user_ops.h"

namespace cv::meta {

class SqlMetaStore : public MetaStore {
 protected:
  using Connection = sql::Connection;

  // A call's work on a connection, without owning it (valid during the call).
  class Work {
   public:
    template <class F>
    Work(F& work)  // NOLINT(google-explicit-constructor): a view of a lambda
        : object_(&work), call_([](void* object, Connection& db) -> Status {
            return (*static_cast<F*>(object))(db);
          }) {}
    Status operator()(Connection& db) const { return call_(object_, db); }

   private:
    void* object_;
    Status (*call_)(void*, Connection&);
  };

  // Runs `change` in a transaction that commits when it succeeds; `frees_space`: a change that
  // deletes (on a full disk it may use the room kept back).
  virtual Status run_write(Work change, bool frees_space) = 0;
  // Runs `query` on a connection that sees one snapshot.
  virtual Status run_read(Work query) = 0;
  // The key's current version; engines with a cache of current versions override it.
  virtual Result<std::optional<ObjectVersion>> current_object(std::string_view bucket,
                                                              std::string_view key) {
    auto row = CV_TRY(
        read([&](Connection& db) { return sqlite::read_current_object_row(db, bucket, key); }));
    if (!row) return std::optional<ObjectVersion>();
    return std::optional<ObjectVersion>(std::move(row->version));
  }

  template <class Change>
  Status write(Change&& change) {
    return run_write(Work(change), false);
  }
  template <class Change>
  Status write_freeing(Change&& change) {
    return run_write(Work(change), true);
  }
  template <class Query>
  auto read(Query&& query) -> decltype(query(std::declval<Connection&>())) {
    using Answer = decltype(query(std::declval<Connection&>()));
    std::optional<Answer> answer;
    auto run = [&](Connection& db) -> Status {
      answer.emplace(query(db));
      return {};
    };
    if (Status ran = run_read(Work(run)); !ran) return Answer(std::unexpected(ran.error()));
    return std::move(*answer);
  }

 public:
  Status put_user(const User& user) override {
    return write([&](Connection& db) { return sqlite::write_user(db, user); });
  }
  Result<std::optional<User>> get_user(std::string_view id) override {
    return read([&](Connection& db) { return sqlite::read_user(db, id); });
  }
  Result<std::optional<User>> find_user_by_name(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_user_by_name(db, name); });
  }
  Result<std::vector<User>> list_users() override {
    return read([&](Connection& db) { return sqlite::read_users(db); });
  }
  Status put_access_key(const AccessKey& key) override {
    return write([&](Connection& db) { return sqlite::write_access_key(db, key); });
  }
  Result<std::optional<AccessKey>> get_access_key(std::string_view access_key_id) override {
    return read([&](Connection& db) { return sqlite::read_access_key(db, access_key_id); });
  }
  Result<std::vector<AccessKey>> list_access_keys(std::string_view user_id) override {
    return read([&](Connection& db) { return sqlite::read_access_keys(db, user_id); });
  }
  Status delete_access_key(std::string_view access_key_id) override {
    return write([&](Connection& db) { return sqlite::remove_access_key(db, access_key_id); });
  }

  // IAM (sqlite/user_ops.cc, sqlite/iam_ops.cc).
  Status delete_user(std::string_view user_id) override {
    return write([&](Connection& db) { return sqlite::remove_user(db, user_id); });
  }
  Status add_access_key(const AccessKey& key, size_t max_keys_per_user) override {
    return write(
        [&](Connection& db) { return sqlite::insert_access_key(db, key, max_keys_per_user); });
  }
  Status set_access_key_active(std::string_view access_key_id, bool active) override {
    return write(
        [&](Connection& db) { return sqlite::write_key_status(db, access_key_id, active); });
  }
  Status record_key_usage(const std::vector<KeyUsage>& usage) override {
    return write([&](Connection& db) { return sqlite::write_key_usage(db, usage); });
  }
  Status create_group(const IamGroup& group) override {
    return write([&](Connection& db) { return sqlite::insert_group(db, group); });
  }
  Result<std::optional<IamGroup>> get_group(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_group(db, name); });
  }
  Result<std::vector<IamGroup>> list_groups() override {
    return read([&](Connection& db) { return sqlite::read_groups(db); });
  }
  Status delete_group(std::string_view name) override {
    return write([&](Connection& db) { return sqlite::remove_group(db, name); });
  }
  Status add_group_member(std::string_view group, std::string_view user_id) override {
    return write([&](Connection& db) { return sqlite::insert_group_member(db, group, user_id); });
  }
  Status remove_group_member(std::string_view group, std::string_view user_id) override {
    return write([&](Connection& db) { return sqlite::remove_group_member(db, group, user_id); });
  }
  Result<std::vector<std::string>> list_group_members(std::string_view group) override {
    return read([&](Connection& db) { return sqlite::read_group_members(db, group); });
  }
  Result<std::vector<IamGroup>> list_user_groups(std::string_view user_id) override {
    return read([&](Connection& db) { return sqlite::read_user_groups(db, user_id); });
  }
  Status create_role(const IamRole& role) override {
    return write([&](Connection& db) { return sqlite::insert_role(db, role); });
  }
  Status update_role(const IamRole& role) override {
    return write([&](Connection& db) { return sqlite::update_role(db, role); });
  }
  Result<std::optional<IamRole>> get_role(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_role(db, name); });
  }
  Result<std::vector<IamRole>> list_roles() override {
    return read([&](Connection& db) { return sqlite::read_roles(db); });
  }
  Status delete_role(std::string_view name) override {
    return write([&](Connection& db) { return sqlite::remove_role(db, name); });
  }
  Status create_managed_policy(const ManagedPolicy& policy) override {
    return write([&](Connection& db) { return sqlite::insert_managed_policy(db, policy); });
  }
  Result<std::optional<ManagedPolicy>> get_managed_policy(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_managed_policy(db, name); });
  }
  Result<std::vector<ManagedPolicy>> list_managed_policies() override {
    return read([&](Connection& db) { return sqlite::read_managed_policies(db); });
  }
  Status delete_managed_policy(std::string_view name) override {
    return write([&](Connection& db) { return sqlite::remove_managed_policy(db, name); });
  }
  Result<int64_t> policy_attachment_count(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::count_policy_attachments(db, name); });
  }
  Status put_inline_policy(const InlinePolicy& policy) override {
    return write([&](Connection& db) { return sqlite::write_inline_policy(db, policy); });
  }
  Result<std::optional<InlinePolicy>> get_inline_policy(IamPrincipalKind kind,
                                                        std::string_view principal,
                                                        std::string_view name) override {
    return read(
        [&](Connection& db) { return sqlite::read_inline_policy(db, kind, principal, name); });
  }
  Result<std::vector<InlinePolicy>> list_inline_policies(IamPrincipalKind kind,
                                                         std::string_view principal) override {
    return read([&](Connection& db) { return sqlite::read_inline_policies(db, kind, principal); });
  }
  Status delete_inline_policy(IamPrincipalKind kind, std::string_view principal,
                              std::string_view name) override {
    return write(
        [&](Connection& db) { return sqlite::remove_inline_policy(db, kind, principal, name); });
  }
  Status attach_policy(IamPrincipalKind kind, std::string_view principal,
                       std::string_view policy_name) override {
    return write([&](Connection& db) {
      return sqlite::insert_attachment(db, kind, principal, policy_name);
    });
  }
  Status detach_policy(IamPrincipalKind kind, std::string_view principal,
                       std::string_view policy_name) override {
    return write([&](Connection& db) {
      return sqlite::remove_attachment(db, kind, principal, policy_name);
    });
  }
  Result<std::vector<std::string>> list_attached_policies(IamPrincipalKind kind,
                                                          std::string_view principal) override {
    return read([&](Connection& db) { return sqlite::read_attachments(db, kind, principal); });
  }

  Status create_bucket(const Bucket& bucket) override {
    return write([&](Connection& db) { return sqlite::insert_bucket(db, bucket); });
  }
  Result<std::optional<Bucket>> get_bucket(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_bucket(db, name); });
  }
  Result<std::optional<Bucket>> get_bucket_with_configs(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_bucket_with_configs(db, name); });
  }
  Result<std::vector<Bucket>> list_buckets() override {
    return read([&](Connection& db) { return sqlite::read_buckets(db); });
  }
  Status delete_bucket(std::string_view name) override {
    return write_freeing([&](Connection& db) { return sqlite::remove_bucket(db, name); });
  }
  Result<BucketUsage> bucket_usage(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_bucket_usage(db, name); });
  }
  using MetaStore::put_bucket_config;
  Status put_bucket_config(std::string_view bucket, std::string_view kind,
                           std::string_view document, const std::optional<Event>& event) override {
    return write([&](Connection& db) -> Status {
      CV_TRY(sqlite::write_bucket_config(db, bucket, kind, document));
      if (event) CV_TRY(sqlite::append_event(db, *event));
      return {};
    });
  }
  Result<std::optional<std::string>> get_bucket_config(std::string_view bucket,
                                                       std::string_view kind) override {
    return read([&](Connection& db) { return sqlite::read_bucket_config(db, bucket, kind); });
  }
  Status delete_bucket_config(std::string_view bucket, std::string_view kind) override {
    return write([&](Connection& db) { return sqlite::remove_bucket_config(db, bucket, kind); });
  }
  Status put_account_config(std::string_view kind, std::string_view document) override {
    return write([&](Connection& db) { return sqlite::write_account_config(db, kind, document); });
  }
  Result<std::optional<std::string>> get_account_config(std::string_view kind) override {
    return read([&](Connection& db) { return sqlite::read_account_config(db, kind); });
  }
  Status delete_account_config(std::string_view kind) override {
    return write([&](Connection& db) { return sqlite::remove_account_config(db, kind); });
  }

  using MetaStore::complete_upload;
  using MetaStore::delete_object;
  using MetaStore::put_object;
  using MetaStore::put_object_tags;

  Status put_object(const ObjectVersion& object, const std::optional<Event>& event,
                    const WriteCondition& condition) override {
    return write([&](Connection& db) -> Status {
      CV_TRY(sqlite::check_write_condition(db, object.bucket, object.key, condition));
      CV_TRY(sqlite::write_object(db, object));
      if (event) CV_TRY(sqlite::append_event(db, *event));
      return {};
    });
  }
  Result<std::optional<ObjectVersion>> get_object(std::string_view bucket, std::string_view key,
                                                  std::string_view version_id) override {
    if (!version_id.empty()) {
      return read([&](Connection& db) { return sqlite::read_object(db, bucket, key, version_id); });
    }
    return current_object(bucket, key);
  }
  Result<DeleteOutcome> delete_object(std::string_view bucket, std::string_view key,
                                      std::string_view version_id,
                                      const std::optional<Event>& event,
                                      const LockGuard& guard) override {
    DeleteOutcome outcome;
    CV_TRY(write_freeing([&](Connection& db) -> Status {
      outcome = CV_TRY(sqlite::remove_object(db, bucket, key, version_id, guard));
      if (event && outcome.existed) {
        Event removed = *event;
        if (removed.version_id.empty()) removed.version_id = outcome.version_id;
        CV_TRY(sqlite::append_event(db, removed));
      }
      return {};
    }));
    return outcome;
  }
  Status put_object_retention(std::string_view bucket, std::string_view key,
                              std::string_view version_id, const RetentionChange& change) override {
    return write([&](Connection& db) {
      return sqlite::write_object_retention(db, bucket, key, version_id, change);
    });
  }
  Status put_object_legal_hold(std::string_view bucket, std::string_view key,
                               std::string_view version_id, bool on) override {
    return write([&](Connection& db) {
      return sqlite::write_object_legal_hold(db, bucket, key, version_id, on);
    });
  }
  Status put_object_tags(std::string_view bucket, std::string_view key, std::string_view version_id,
                         const StringPairs& tags, const std::optional<Event>& event) override {
    return write([&](Connection& db) -> Status {
      CV_TRY(sqlite::write_object_tags(db, bucket, key, version_id, tags));
      if (event) CV_TRY(sqlite::append_event(db, *event));
      return {};
    });
  }
  Status put_object_acl(std::string_view bucket, std::string_view key, std::string_view version_id,
                        std::string_view acl) override {
    return write([&](Connection& db) {
      return sqlite::write_object_acl(db, bucket, key, version_id, acl);
    });
  }
  Result<ListObjectsPage> list_objects(const ListObjectsQuery& query) override {
    return read([&](Connection& db) { return sqlite::read_object_page(db, query); });
  }
  Result<ListVersionsPage> list_object_versions(const ListVersionsQuery& query) override {
    return read([&](Connection& db) { return sqlite::read_version_page(db, query); });
  }

  Status create_upload(const MultipartUpload& upload) override {
    return write([&](Connection& db) { return sqlite::insert_upload(db, upload); });
  }
  Result<std::optional<MultipartUpload>> get_upload(std::string_view bucket,
                                                    std::string_view upload_id) override {
    return read([&](Connection& db) { return sqlite::read_upload(db, bucket, upload_id); });
  }
  Status put_part(const Part& part) override {
    return write([&](Connection& db) { return sqlite::write_part(db, part); });
  }
  Result<std::vector<Part>> get_parts(std::string_view upload_id) override {
    return read([&](Connection& db) { return sqlite::read_parts(db, upload_id); });
  }
  Result<ListPartsPage> list_parts(std::string_view upload_id, uint32_t part_number_marker,
                                   uint32_t max_parts) override {
    return read([&](Connection& db) {
      return sqlite::read_part_page(db, upload_id, part_number_marker, max_parts);
    });
  }
  Result<ListUploadsPage> list_uploads(const ListUploadsQuery& query) override {
    return read([&](Connection& db) { return sqlite::read_upload_page(db, query); });
  }
  Status complete_upload(std::string_view upload_id, const ObjectVersion& object,
                         const std::optional<Event>& event,
                         const WriteCondition& condition) override {
    return write([&](Connection& db) -> Status {
      if (!condition.empty()) {
        auto upload = CV_TRY(sqlite::read_upload(db, object.bucket, upload_id));
        if (!upload) {
          return fail(ErrorCode::kConditionalRequestConflict, {}, std::string(object.key));
        }
        CV_TRY(sqlite::check_write_condition(db, object.bucket, object.key, condition));
      }
      CV_TRY(sqlite::finish_upload(db, upload_id, object));
      if (event) CV_TRY(sqlite::append_event(db, *event));
      return {};
    });
  }
  Status abort_upload(std::string_view bucket, std::string_view upload_id) override {
    return write_freeing(
        [&](Connection& db) { return sqlite::remove_upload(db, bucket, upload_id); });
  }

  // Lifecycle and restore.
  Result<std::vector<DueVersion>> due_versions(int64_t now_ns, size_t max) override {
    return read([&](Connection& db) { return sqlite::read_due_versions(db, now_ns, max); });
  }
  Result<std::vector<ObjectVersion>> key_versions(std::string_view bucket,
                                                  std::string_view key) override {
    return read([&](Connection& db) { return sqlite::read_key_versions(db, bucket, key); });
  }
  Status apply_change(const VersionChange& change) override {
    return write_freeing([&](Connection& db) { return sqlite::write_change(db, change); });
  }
  Status reschedule_bucket(std::string_view bucket, int64_t due_ns) override {
    return write([&](Connection& db) { return sqlite::write_bucket_due(db, bucket, due_ns); });
  }
  Result<std::vector<Event>> list_events(int64_t after_seq, size_t max) override {
    return read([&](Connection& db) { return sqlite::read_events(db, after_seq, max); });
  }
  // The outbox.
  Result<int64_t> register_consumer(std::string_view consumer) override {
    // Registered already (every start but the first): only a read, so a server starting on a
    // full disk whose reserve is released needs no room for it.
    const auto registered = CV_TRY(
        read([&](Connection& db) { return sqlite::read_consumer_registration(db, consumer); }));
    if (registered) return *registered;
    int64_t position = 0;
    CV_TRY(write([&](Connection& db) -> Status {
      position = CV_TRY(sqlite::write_consumer_registration(db, consumer));
      return {};
    }));
    return position;
  }
  Result<int64_t> consumer_position(std::string_view consumer) override {
    return read([&](Connection& db) { return sqlite::read_consumer_position(db, consumer); });
  }
  Status advance_consumer(std::string_view consumer, int64_t from_seq, int64_t to_seq,
                          const std::vector<OutboxTask>& tasks) override {
    return write([&](Connection& db) {
      return sqlite::write_consumer_advance(db, consumer, from_seq, to_seq, tasks);
    });
  }
  Result<std::vector<OutboxTask>> due_tasks(std::string_view consumer, std::string_view target,
                                            int64_t now_ns, size_t max) override {
    return read(
        [&](Connection& db) { return sqlite::read_due_tasks(db, consumer, target, now_ns, max); });
  }
  Result<std::vector<std::string>> pending_targets(std::string_view consumer) override {
    return read([&](Connection& db) { return sqlite::read_pending_targets(db, consumer); });
  }
  Result<std::vector<OutboxTask>> tasks_with_payload(std::string_view consumer,
                                                     std::string_view target,
                                                     std::string_view payload,
                                                     size_t max) override {
    return read([&](Connection& db) {
      return sqlite::read_tasks_with_payload(db, consumer, target, payload, max);
    });
  }
  Status finish_tasks(const std::vector<int64_t>& task_ids) override {
    if (task_ids.empty()) return {};
    return write_freeing([&](Connection& db) { return sqlite::remove_tasks(db, task_ids); });
  }
  Status set_task_payload(int64_t task_id, std::string_view payload) override {
    return write([&](Connection& db) { return sqlite::write_task_payload(db, task_id, payload); });
  }
  using MetaStore::put_replica;
  Result<ReplicaWrite> put_replica(const ObjectVersion& object, const std::optional<Event>& event,
                                   const std::optional<ReplicationOutcome>& settle) override {
    ReplicaWrite outcome = ReplicaWrite::kAlreadyThere;
    CV_TRY(write([&](Connection& db) -> Status {
      outcome = CV_TRY(sqlite::write_replica(db, object));
      const bool written = outcome == ReplicaWrite::kWritten;
      if (event && written) CV_TRY(sqlite::append_event(db, *event));
      if (settle) {
        ReplicationOutcome ended = written ? *settle : settle->skipped();
        if (written) ended.kind = ReplicationOutcome::Kind::kReplicated;
        CV_TRY(sqlite::write_replication_outcome(db, ended));
        if (ended.event) CV_TRY(sqlite::append_event(db, *ended.event));
      }
      return {};
    }));
    return outcome;
  }
  Status settle_replication(const ReplicationOutcome& outcome) override {
    return write([&](Connection& db) -> Status {
      CV_TRY(sqlite::write_replication_outcome(db, outcome));
      if (outcome.event) CV_TRY(sqlite::append_event(db, *outcome.event));
      return {};
    });
  }
  Status set_replication_status(std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::string_view status) override {
    return write([&](Connection& db) {
      return sqlite::write_replication_status(db, bucket, key, version_id, status);
    });
  }
  Status queue_replication(const std::vector<Event>& events) override {
    if (events.empty()) return {};
    return write([&](Connection& db) -> Status {
      for (const Event& event : events) {
        CV_TRY(sqlite::write_replication_status(db, event.bucket, event.key, event.version_id,
                                                "PENDING"));
        CV_TRY(sqlite::append_event(db, event));
      }
      return {};
    });
  }
  Result<std::vector<ReplicationStats>> replication_stats(std::string_view bucket) override {
    return read([&](Connection& db) { return sqlite::read_replication_stats(db, bucket); });
  }
  Status update_tasks(const std::vector<OutboxTask>& tasks) override {
    if (tasks.empty()) return {};
    return write([&](Connection& db) { return sqlite::write_task_attempts(db, tasks); });
  }
  Result<std::vector<OutboxTask>> list_tasks(std::string_view consumer, bool failed_only,
                                             int64_t after_id, size_t max) override {
    return read([&](Connection& db) {
      return sqlite::read_tasks(db, consumer, failed_only, after_id, max);
    });
  }
  Result<uint64_t> retry_tasks(std::string_view consumer, int64_t task_id,
                               int64_t now_ns) override {
    uint64_t count = 0;
    CV_TRY(write([&](Connection& db) -> Status {
      count = CV_TRY(sqlite::write_task_retry(db, consumer, task_id, now_ns));
      return {};
    }));
    return count;
  }
  Result<uint64_t> prune_events(int64_t before_ns, size_t max) override {
    uint64_t count = 0;
    CV_TRY(write_freeing([&](Connection& db) -> Status {
      count = CV_TRY(sqlite::remove_old_events(db, before_ns, max));
      return {};
    }));
    return count;
  }

  Result<std::vector<ClassUsage>> usage_by_class(std::string_view bucket) override {
    return read([&](Connection& db) { return sqlite::read_usage_by_class(db, bucket); });
  }

  // Operations (sqlite/operations_ops.cc).
  Result<std::vector<StorageUsage>> storage_usage() override {
    return read([&](Connection& db) { return sqlite::read_storage_usage(db); });
  }
  Result<uint64_t> uploads_in_progress() override {
    return read([&](Connection& db) { return sqlite::read_uploads_in_progress(db); });
  }
  Result<std::vector<OutboxBacklog>> outbox_backlog() override {
    return read([&](Connection& db) { return sqlite::read_outbox_backlog(db); });
  }
  Result<std::vector<BucketBacklog>> task_backlog_by_bucket(std::string_view consumer) override {
    return read([&](Connection& db) { return sqlite::read_task_backlog_by_bucket(db, consumer); });
  }

  Status add_notify_target(const NotifyTarget& target) override {
    return write([&](Connection& db) { return sqlite::insert_notify_target(db, target); });
  }
  Result<std::vector<NotifyTarget>> list_notify_targets() override {
    return read([&](Connection& db) { return sqlite::read_notify_targets(db); });
  }
  Result<bool> remove_notify_target(std::string_view name) override {
    bool removed = false;
    CV_TRY(write([&](Connection& db) -> Status {
      removed = CV_TRY(sqlite::remove_notify_target(db, name));
      return {};
    }));
    return removed;
  }

  Status put_alarm_rule(const AlarmRuleDocument& rule) override {
    return write([&](Connection& db) { return sqlite::write_alarm_rule(db, rule); });
  }
  Result<std::vector<AlarmRuleDocument>> list_alarm_rules() override {
    return read([&](Connection& db) { return sqlite::read_alarm_rules(db); });
  }
  Result<bool> delete_alarm_rule(std::string_view name) override {
    bool removed = false;
    CV_TRY(write([&](Connection& db) -> Status {
      removed = CV_TRY(sqlite::remove_alarm_rule(db, name));
      return {};
    }));
    return removed;
  }
  Result<std::vector<AlarmState>> list_alarm_states() override {
    return read([&](Connection& db) { return sqlite::read_alarm_states(db); });
  }
  Status record_alarm_updates(const std::vector<AlarmUpdate>& updates) override {
    if (updates.empty()) return {};
    return write([&](Connection& db) { return sqlite::write_alarm_updates(db, updates); });
  }
  Result<std::vector<AlarmHistoryEntry>> list_alarm_history(std::string_view name,
                                                            size_t max) override {
    return read([&](Connection& db) { return sqlite::read_alarm_history(db, name, max); });
  }
  Result<uint64_t> prune_alarm_history(int64_t before_ns) override {
    uint64_t count = 0;
    CV_TRY(write([&](Connection& db) -> Status {
      count = CV_TRY(sqlite::remove_alarm_history(db, before_ns));
      return {};
    }));
    return count;
  }
  Status append_metric_points(const std::vector<MetricPoint>& points) override {
    if (points.empty()) return {};
    return write([&](Connection& db) { return sqlite::write_metric_points(db, points); });
  }
  Result<std::vector<MetricPoint>> list_metric_points(std::string_view series_prefix,
                                                      int64_t resolution_seconds,
                                                      int64_t since_ns) override {
    return read([&](Connection& db) {
      return sqlite::read_metric_points(db, series_prefix, resolution_seconds, since_ns);
    });
  }
  Result<uint64_t> prune_metric_points(int64_t resolution_seconds, int64_t before_ns) override {
    uint64_t count = 0;
    CV_TRY(write([&](Connection& db) -> Status {
      count = CV_TRY(sqlite::remove_metric_points(db, resolution_seconds, before_ns));
      return {};
    }));
    return count;
  }

  Result<ActivityWriteCount> put_activity_events(
      const std::vector<ActivityEvent>& events) override {
    ActivityWriteCount count;
    if (events.empty()) return count;
    CV_TRY(write([&](Connection& db) -> Status {
      count = CV_TRY(sqlite::insert_activity_events(db, events));
      return {};
    }));
    return count;
  }
  Result<uint64_t> rescore_activity(const ActivityRescoreFunction& score) override {
    uint64_t scored = 0;
    CV_TRY(write([&](Connection& db) -> Status {
      scored = CV_TRY(sqlite::rebuild_activity(db, score));
      return {};
    }));
    return scored;
  }
  Result<std::vector<ActivityDayService>> activity_days(const std::vector<std::string>& principals,
                                                        int64_t from_day, int64_t to_day) override {
    return read([&](Connection& db) {
      return sqlite::read_activity_days(db, principals, from_day, to_day);
    });
  }
  Result<std::vector<ActivityEvent>> activity_events(const std::vector<std::string>& principals,
                                                     int64_t from_day, int64_t to_day) override {
    return read([&](Connection& db) {
      return sqlite::read_activity_events(db, principals, from_day, to_day);
    });
  }
  Result<std::optional<ActivityFileCheckpoint>> get_activity_file(std::string_view source,
                                                                  std::string_view path) override {
    return read([&](Connection& db) { return sqlite::read_activity_file(db, source, path); });
  }
  Status put_activity_file(const ActivityFileCheckpoint& checkpoint) override {
    return write([&](Connection& db) { return sqlite::write_activity_file(db, checkpoint); });
  }
  Status add_activity_principals(std::string_view profile,
                                 const std::vector<std::string>& principals,
                                 int64_t now_ns) override {
    return write([&](Connection& db) {
      return sqlite::insert_activity_principals(db, profile, principals, now_ns);
    });
  }
  Result<std::optional<ActivityProfile>> get_activity_profile(std::string_view name) override {
    return read([&](Connection& db) { return sqlite::read_activity_profile(db, name); });
  }
  Result<std::vector<ActivityProfile>> list_activity_profiles() override {
    return read([&](Connection& db) { return sqlite::read_activity_profiles(db); });
  }
  Result<ActivityTotals> activity_totals() override {
    return read([&](Connection& db) { return sqlite::read_activity_totals(db); });
  }
  Result<std::optional<ActivityProfile>> find_activity_profile_by_token(
      std::string_view token) override {
    return read([&](Connection& db) { return sqlite::read_activity_profile_by_token(db, token); });
  }
  Result<bool> set_activity_public_token(std::string_view name, std::string_view token) override {
    bool set = false;
    CV_TRY(write([&](Connection& db) -> Status {
      set = CV_TRY(sqlite::set_activity_public_token(db, name, token));
      return {};
    }));
    return set;
  }
  Result<bool> remove_activity_profile(std::string_view name) override {
    bool removed = false;
    CV_TRY(write([&](Connection& db) -> Status {
      removed = CV_TRY(sqlite::remove_activity_profile(db, name));
      return {};
    }));
    return removed;
  }
  Status append_trail_records(const std::vector<TrailRecord>& records) override {
    if (records.empty()) return {};
    return write([&](Connection& db) { return sqlite::insert_trail_records(db, records); });
  }
  Result<TrailBacklog> trail_backlog(size_t cap) override {
    auto counted =
        CV_TRY(read([&](Connection& db) { return sqlite::read_trail_backlog(db, cap); }));
    return TrailBacklog{counted.first, counted.second};
  }
  Result<std::optional<TrailLogFile>> claim_trail_file(std::string_view key, int64_t created_ns,
                                                       size_t max_records) override {
    std::optional<TrailLogFile> file;
    CV_TRY(write([&](Connection& db) -> Status {
      file =
          CV_TRY(sqlite::claim_trail_file(db, key, created_ns, std::max<size_t>(max_records, 1)));
      return {};
    }));
    return file;
  }
  Result<std::vector<TrailLogFile>> unwritten_trail_files() override {
    return read([&](Connection& db) { return sqlite::read_unwritten_trail_files(db); });
  }
  Result<std::vector<TrailRecord>> trail_file_records(int64_t file_id, int64_t after_seq,
                                                      size_t limit) override {
    return read([&](Connection& db) {
      return sqlite::read_trail_file_records(db, file_id, after_seq, limit);
    });
  }
  Status mark_trail_file_written(int64_t file_id, std::string_view sha256_hex,
                                 int64_t oldest_event_ns, int64_t newest_event_ns) override {
    return write([&](Connection& db) {
      return sqlite::mark_trail_file_written(db, file_id, sha256_hex, oldest_event_ns,
                                             newest_event_ns);
    });
  }
  Result<std::vector<TrailLogFile>> undigested_trail_files() override {
    return read([&](Connection& db) { return sqlite::read_undigested_trail_files(db); });
  }
  Status put_trail_digest(const TrailDigest& digest, const std::vector<int64_t>& file_ids,
                          std::string_view expected_previous_key) override {
    return write([&](Connection& db) {
      return sqlite::insert_trail_digest(db, digest, file_ids, expected_previous_key);
    });
  }
  Result<std::optional<TrailDigest>> trail_chain_head() override {
    return read([&](Connection& db) { return sqlite::read_trail_chain_head(db); });
  }
  Result<std::vector<TrailDigest>> list_trail_digests() override {
    return read([&](Connection& db) { return sqlite::read_trail_digests(db); });
  }
  Result<TrailPage> lookup_trail(const TrailQuery& query) override {
    TrailQuery bounded = query;
    bounded.max = std::clamp<size_t>(query.max, 1, 1000);
    bounded.max_examined = std::clamp<size_t>(query.max_examined, 1, 100000);
    return read([&](Connection& db) { return sqlite::read_trail_page(db, bounded); });
  }

  // Master key rotation: one write (one atomic batch) per call of reseal_batch; the cursor
  // advances only once its batch has committed.
  Result<uint64_t> reseal_master_secrets(const ResealFunction& reseal, size_t batch_size) override {
    sqlite::ResealCursor cursor;
    while (cursor.table != sqlite::ResealCursor::Table::kDone) {
      sqlite::ResealCursor next = cursor;
      CV_TRY(write([&](Connection& db) {
        next = cursor;
        return sqlite::reseal_batch(db, reseal, batch_size, next);
      }));
      cursor = next;
    }
    return cursor.visited;
  }

  Result<std::vector<std::string>> take_garbage(size_t max) override {
    return read([&](Connection& db) { return sqlite::read_garbage(db, max); });
  }
  Status forget_garbage(const std::vector<std::string>& blob_ids) override {
    if (blob_ids.empty()) return {};
    return write_freeing([&](Connection& db) { return sqlite::remove_garbage(db, blob_ids); });
  }
  Result<bool> blob_in_use(std::string_view blob_id) override {
    return read([&](Connection& db) { return sqlite::read_blob_in_use(db, blob_id); });
  }

};

}  // namespace cv::meta
