// SqliteMetaStore: MetaStore over one writer thread (group commit) and a reader pool. Each
// method forwards to the SQL in *_ops.cc on the right connection.
#include "meta/sqlite/sqlite_meta_store.h"

#include <algorithm>
#include <cstring>

#include "meta/sqlite/activity_ops.h"
#include "meta/sqlite/blob_ref_ops.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/group_commit_writer.h"
#include "meta/sqlite/iam_ops.h"
#include "meta/sqlite/lifecycle_ops.h"
#include "meta/sqlite/migrations.h"
#include "meta/sqlite/multipart_ops.h"
#include "meta/sqlite/notify_target_ops.h"
#include "meta/sqlite/object_cache.h"
#include "meta/sqlite/alarm_ops.h"
#include "meta/sqlite/object_lock_ops.h"
#include "meta/sqlite/object_ops.h"
#include "meta/sqlite/operations_ops.h"
#include "meta/sqlite/outbox_ops.h"
#include "meta/sqlite/reader_pool.h"
#include "meta/sqlite/replication_ops.h"
#include "meta/sqlite/reseal_ops.h"
#include "meta/sqlite/trail_ops.h"
#include "meta/sqlite/user_ops.h"

namespace cv::meta {
namespace {

using sqlite::Connection;

// What keeps the object cache exact (sqlite/object_cache.h): the rows of `objects` the
// writer connection changed in a batch, collected by SQLite's update hook, and the
// connection's data_version last seen. Writer thread only.
struct ObjectCacheFeed {
  ObjectCacheFeed(size_t max_bytes, std::atomic<uint64_t>* changes)
      : cache(max_bytes), changes(changes) {}
  sqlite::ObjectCache cache;
  std::atomic<uint64_t>* const changes;  // SqliteOptions::object_changes
  std::vector<int64_t> changed_rows;
  int64_t data_version = -1;

  static void note_change(void* feed, int, const char*, const char* table, sqlite3_int64 row) {
    if (std::strcmp(table, "objects") == 0) {
      static_cast<ObjectCacheFeed*>(feed)->changed_rows.push_back(row);
    }
  }
  void after_batch() {
    if (changed_rows.empty()) return;
    if (changes != nullptr) changes->fetch_add(1);
    cache.forget_rows(changed_rows);
    changed_rows.clear();
  }
  // Another process committed since the last look: its changes are unknown, drop everything.
  void look_for_other_writers(Connection& db) {
    auto stmt = db.prepare("PRAGMA data_version");
    if (!stmt) return cache.forget_all();
    auto row = stmt->step();
    if (!row || !*row) return cache.forget_all();
    const int64_t version = stmt->column_int(0);
    if (data_version != -1 && version != data_version) cache.forget_all();
    data_version = version;
  }
};

class SqliteMetaStore final : public MetaStore {
 public:
  SqliteMetaStore(std::unique_ptr<ObjectCacheFeed> objects,
                  std::unique_ptr<sqlite::GroupCommitWriter> writer,
                  std::unique_ptr<sqlite::ReaderPool> readers)
      : objects_(std::move(objects)), writer_(std::move(writer)), readers_(std::move(readers)) {}

 private:
  template <class Change>
  Status write(Change&& change) {
    return writer_->execute(change);
  }
  // A change that frees space (deletes): on a full disk it may use the room kept back.
  template <class Change>
  Status write_freeing(Change&& change) {
    return writer_->execute(change, sqlite::SpaceUse::kFrees);
  }

  template <class Query>
  auto read(Query&& query) -> decltype(query(std::declval<Connection&>())) {
    auto lease = readers_->checkout();
    return query(*lease);
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
    sqlite::ObjectCache& cache = objects_->cache;
    if (auto cached = cache.find(bucket, key)) return std::optional<ObjectVersion>(*cached);
    const uint64_t ticket = cache.ticket();
    auto row = CV_TRY(
        read([&](Connection& db) { return sqlite::read_current_object_row(db, bucket, key); }));
    if (!row) return std::optional<ObjectVersion>();
    auto version = std::make_shared<const ObjectVersion>(std::move(row->version));
    cache.fill(ticket, row->row_id, version);
    return std::optional<ObjectVersion>(*version);
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

 private:
  // Destroyed in reverse order: the readers, then the writer (draining its queue), then the
  // object cache the writer keeps exact.
  std::unique_ptr<ObjectCacheFeed> objects_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::unique_ptr<sqlite::ReaderPool> readers_;
};

}  // namespace

Result<std::unique_ptr<MetaStore>> open_sqlite_meta_store(const SqliteOptions& options) {
  auto connection = CV_TRY(sqlite::SqliteConnection::open(options.path, /*create=*/true,
                                                    /*read_only=*/false));
  sqlite::MigrationStepCallback after_step;
  if (options.on_migration) {
    after_step = [&options](int from_version, int to_version, size_t applied, size_t pending) {
      options.on_migration(MigrationProgress{from_version, to_version, applied, pending});
    };
  }
  CV_TRY(sqlite::migrate(*connection, after_step));
  // The writer's page cache: 4 MiB. Its hot pages are the b-trees' right edges and the
  // pages a batch touches; the operating system's page cache holds the rest. 16 MiB (the
  // connections' default) cost 11 MiB of the 4 KiB phases' peak RSS and no PUT speed.
  CV_TRY(connection->execute_script("PRAGMA cache_size=-4096;"));
  auto readers = CV_TRY(sqlite::ReaderPool::open(options.path, options.reader_connections));
  auto objects =
      std::make_unique<ObjectCacheFeed>(options.object_cache_bytes, options.object_changes);
  sqlite::WriterHooks hooks;
  if (options.object_cache_bytes > 0 || options.object_changes != nullptr) {
    sqlite3_update_hook(connection->handle(), &ObjectCacheFeed::note_change, objects.get());
    hooks.after_batch = [feed = objects.get()] { feed->after_batch(); };
  }
  if (options.object_cache_bytes > 0) {
    hooks.between_batches = [feed = objects.get()](Connection& db) {
      feed->look_for_other_writers(db);
    };
    hooks.between_batches_interval = sqlite::ObjectCache::kOtherWritersInterval;
  }
  auto writer = std::make_unique<sqlite::GroupCommitWriter>(
      std::move(connection), options.max_batch, options.full_disk, options.commits,
      std::move(hooks));
  return std::unique_ptr<MetaStore>(std::make_unique<SqliteMetaStore>(
      std::move(objects), std::move(writer), std::move(readers)));
}

}  // namespace cv::meta
