#include "workers/replicate/replication_worker.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "vault/backup_receipts.h"
#include "workers/replicate/remote_copy.h"

namespace cv::workers::replicate {
namespace {

namespace json = boost::json;

constexpr std::string_view kBackfillTargetPrefix = "backfill:";

// What a task carries: the rule it serves and, for a remote copy, the multipart upload an
// earlier try started; for a backfill, the rules and where the walk stands.
struct TaskPayload {
  std::string rule_id;
  bool tags_only = false;  // a tag change of a version already copied (or on its way)
  std::string upload_id;
  std::vector<std::string> backfill_rules;
  std::string after_key;
  std::string after_version;
};

std::string payload_json(const TaskPayload& payload) {
  json::object object;
  if (!payload.rule_id.empty()) object["rule"] = payload.rule_id;
  if (payload.tags_only) object["tags"] = true;
  if (!payload.upload_id.empty()) object["upload_id"] = payload.upload_id;
  if (!payload.backfill_rules.empty()) {
    json::array rules;
    for (const std::string& id : payload.backfill_rules) rules.emplace_back(id);
    object["backfill_rules"] = std::move(rules);
    object["after_key"] = payload.after_key;
    object["after_version"] = payload.after_version;
  }
  return json::serialize(object);
}

std::string string_field(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// The strings of an array field (others skipped; none when the field is absent).
std::vector<std::string> strings_field(const json::object& object, std::string_view name) {
  std::vector<std::string> out;
  if (const json::value* array = object.if_contains(name); array && array->is_array()) {
    for (const json::value& item : array->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

TaskPayload read_payload(std::string_view text) {
  TaskPayload payload;
  json::error_code error;
  const json::value document = json::parse(text, error);
  if (error || !document.is_object()) return payload;
  const json::object& root = document.get_object();
  payload.rule_id = string_field(root, "rule");
  if (const json::value* tags = root.if_contains("tags"); tags && tags->is_bool()) {
    payload.tags_only = tags->get_bool();
  }
  payload.upload_id = string_field(root, "upload_id");
  payload.after_key = string_field(root, "after_key");
  payload.after_version = string_field(root, "after_version");
  payload.backfill_rules = strings_field(root, "backfill_rules");
  return payload;
}

std::vector<std::string> rules_of_backfill(std::string_view detail) {
  json::error_code error;
  const json::value document = json::parse(detail, error);
  if (error || !document.is_object()) return {};
  return strings_field(document.get_object(), "rules");
}

bool is_tag_change(std::string_view event_name) {
  return event_name == "s3:ObjectTagging:Put" || event_name == "s3:ObjectTagging:Delete";
}

bool replicates(std::string_view event_name) {
  return event_name.starts_with("s3:ObjectCreated:") || is_tag_change(event_name) ||
         event_name == "s3:ObjectRemoved:DeleteMarkerCreated" ||
         event_name == vault::kReplicationExistingEvent;
}

// Errors of the local side that a retry cannot fix.
bool is_permanent(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNoSuchBucket:
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kInvalidStorageClass:
    case ErrorCode::kInvalidObjectState:
    case ErrorCode::kAccessDenied:
      return true;
    default:
      return false;
  }
}

const vault::ReplicationRule* find_rule(const vault::ReplicationConfiguration& config,
                                        std::string_view id) {
  for (const vault::ReplicationRule& rule : config.rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string iso_time(int64_t unix_nanos) {
  return format_iso8601(from_unix_nanos(unix_nanos));
}

}  // namespace

// How one try ended, before it is settled.
struct ReplicationWorker::Copy {
  enum class Kind { kCopied, kSkipped, kGone, kRetry, kPermanent };
  Kind kind = Kind::kCopied;
  uint64_t bytes = 0;
  std::string error;
};

std::string destination_target(const vault::ReplicationDestination& destination) {
  if (destination.is_remote()) {
    return "remote:" + destination.account + ":" + destination.bucket_name();
  }
  return "local:" + destination.bucket_name();
}

std::string task_rule(std::string_view payload) { return read_payload(payload).rule_id; }

std::string backfill_bucket(const meta::OutboxTask& task) {
  if (!task.target.starts_with(kBackfillTargetPrefix)) return "";
  return task.target.substr(kBackfillTargetPrefix.size());
}

ReplicationWorker::ReplicationWorker(vault::Vault& vault, RemoteDirectory& remotes,
                                     const Clock& clock, ReplicationWorkerOptions options)
    : vault_(vault), remotes_(remotes), clock_(clock), options_(options) {}

Result<std::vector<meta::OutboxTask>> ReplicationWorker::plan(const meta::Event& event) {
  std::vector<meta::OutboxTask> tasks;
  if (event.name == vault::kReplicationBackfillEvent) {
    meta::OutboxTask task;
    task.target = std::string(kBackfillTargetPrefix) + event.bucket;
    TaskPayload payload;
    payload.backfill_rules = rules_of_backfill(event.detail);
    task.payload = payload_json(payload);
    if (!payload.backfill_rules.empty()) tasks.push_back(std::move(task));
    return tasks;
  }
  if (!replicates(event.name)) return tasks;
  // A bucket that never had a replication configuration has no PENDING version to copy or to
  // clear: its events cost no read of their version.
  auto state = vault_.bucket_state(event.bucket);
  if (!state) {
    if (state.error().code == ErrorCode::kNoSuchBucket) return tasks;
    return std::unexpected(state.error());
  }
  if (!(*state)->replication && !(*state)->document(vault::kReplicationHistoryConfig)) {
    return tasks;
  }
  auto version = vault_.get_version(event.bucket, event.key, event.version_id);
  if (!version) {
    const ErrorCode code = version.error().code;
    if (code == ErrorCode::kNoSuchBucket || code == ErrorCode::kNoSuchKey ||
        code == ErrorCode::kNoSuchVersion) {
      return tasks;  // gone before it was planned: nothing to copy
    }
    return std::unexpected(version.error());
  }
  if (is_tag_change(event.name)) {
    // New tags follow a version that replication copies (or is copying); replicas and
    // versions no rule applies to have nothing to follow.
    if (version->replication_status.empty() || version->replication_status == "REPLICA") {
      return tasks;
    }
  } else if (version->replication_status != "PENDING") {
    return tasks;  // replicas, rule-less versions
  }
  return plan_version(event, *version, false);
}

Result<std::vector<meta::OutboxTask>> ReplicationWorker::plan_version(
    const meta::Event& event, const meta::ObjectVersion& source, bool fresh) {
  std::vector<meta::OutboxTask> tasks;
  const meta::ObjectVersion* version = &source;
  auto config = fresh ? vault_.reload_replication(event.bucket) : vault_.replication(event.bucket);
  if (!config) {
    if (config.error().code == ErrorCode::kNoSuchBucket) return tasks;
    return std::unexpected(config.error());
  }
  if (*config) {
    // A backfill's version goes only where rules ask for existing objects; a replay
    // (`admin backup retry --key`) and a new version wherever the rules send it.
    vault::ReplicationConfiguration backfilling;
    const bool backfill = event.name == vault::kReplicationExistingEvent &&
                          event.detail.find("\"replay\"") == std::string::npos;
    if (backfill) {
      for (const vault::ReplicationRule& rule : (*config)->rules) {
        if (rule.existing_object_replication.value_or(false)) backfilling.rules.push_back(rule);
      }
    }
    const vault::ReplicationConfiguration& selecting = backfill ? backfilling : **config;
    for (const vault::ReplicationRule* rule :
         vault::replication_targets(selecting, version->key, version->tags, version->content_type,
                                    version->is_delete_marker)) {
      meta::OutboxTask task;
      task.target = destination_target(rule->destination);
      task.payload =
          payload_json(TaskPayload{.rule_id = rule->id, .tags_only = is_tag_change(event.name)});
      tasks.push_back(std::move(task));
    }
  }
  if (tasks.empty() && is_tag_change(event.name)) return tasks;
  if (tasks.empty()) {
    if (!fresh) return plan_version(event, *version, true);
    // The rules changed between the write and now: nothing will copy it.
    CV_TRY(vault_.set_replication_status(event.bucket, event.key, event.version_id, ""));
  }
  return tasks;
}

TaskOutcome ReplicationWorker::deliver(const meta::OutboxTask& task) {
  if (task.target.starts_with(kBackfillTargetPrefix)) return backfill(task);
  return replicate(task);
}

TaskOutcome ReplicationWorker::replicate(const meta::OutboxTask& task) {
  const meta::Event& event = task.event;
  TaskPayload payload = read_payload(task.payload);
  auto source = vault_.get_version(event.bucket, event.key, event.version_id);
  if (!source) {
    const ErrorCode code = source.error().code;
    if (code == ErrorCode::kNoSuchBucket || code == ErrorCode::kNoSuchKey ||
        code == ErrorCode::kNoSuchVersion) {
      return settle(task, payload.rule_id, nullptr, nullptr, Copy{Copy::Kind::kGone});
    }
    return settle(task, payload.rule_id, nullptr, nullptr,
                  Copy{Copy::Kind::kRetry, 0, source.error().message});
  }
  auto config = vault_.replication(event.bucket);
  if (!config) {
    return settle(task, payload.rule_id, nullptr, &*source,
                  Copy{Copy::Kind::kRetry, 0, config.error().message});
  }
  const vault::ReplicationRule* rule = *config ? find_rule(**config, payload.rule_id) : nullptr;
  if (rule == nullptr) {
    config = vault_.reload_replication(event.bucket);
    if (!config) {
      return settle(task, payload.rule_id, nullptr, &*source,
                    Copy{Copy::Kind::kRetry, 0, config.error().message});
    }
    rule = *config ? find_rule(**config, payload.rule_id) : nullptr;
  }
  if (rule == nullptr) {
    return settle(task, payload.rule_id, nullptr, &*source,
                  Copy{Copy::Kind::kPermanent, 0,
                       "the replication rule \"" + payload.rule_id + "\" no longer exists"});
  }
  const vault::ReplicationDestination& destination = rule->destination;
  if (payload.tags_only) return replicate_tags(task, *rule, *source);
  if (!destination.is_remote()) {
    // The copy and the task's end commit together (kSkipped when it was there already).
    const meta::ReplicationOutcome ended = outcome_of(
        task, rule->id, &destination, &*source, false, Copy{Copy::Kind::kCopied, source->size});
    int32_t lock_days = 0;  // a backup's --lock-days
    if (auto receipts = vault_.backup_receipts(event.bucket); receipts) {
      if (auto found = receipts->find(rule->id); found != receipts->end()) {
        lock_days = found->second.lock_days;
      }
    }
    auto copied = vault_.put_replica(destination.bucket_name(), *source, destination.storage_class,
                                     &ended, lock_days);
    if (!copied) {
      const Error& error = copied.error();
      const std::string why = std::string(error_code_name(error.code)) + ": " + error.message;
      return settle(task, rule->id, &destination, &*source,
                    Copy{is_permanent(error.code) ? Copy::Kind::kPermanent : Copy::Kind::kRetry, 0,
                         why});
    }
    if (copied->write == meta::ReplicaWrite::kAlreadyThere) ++skipped_;
    return TaskOutcome::done();
  }
  remote::RemoteS3Client* client = remotes_.client(destination.account);
  if (client == nullptr) {
    return settle(task, rule->id, &destination, &*source,
                  Copy{Copy::Kind::kPermanent, 0,
                       "no replication remote named \"" + destination.account +
                           "\" in the configuration ([replication.remotes." +
                           destination.account + "])"});
  }
  RemoteCopyRequest request;
  request.source = &*source;
  request.bucket = destination.bucket_name();
  request.storage_class = destination.storage_class;
  if (!payload.upload_id.empty()) request.upload_id = payload.upload_id;
  request.on_upload_created = [&](const std::string& upload_id) -> Status {
    TaskPayload progress = payload;
    progress.upload_id = upload_id;
    return vault_.set_task_payload(task.id, payload_json(progress));
  };
  remote::ResumableOptions resumable;
  resumable.multipart_threshold = options_.multipart_threshold;
  resumable.part_size = options_.part_size;
  auto copied = copy_to_remote(*client, vault_, request, resumable);
  if (!copied) {
    const remote::RemoteError& error = copied.error();
    std::string why = std::string(error_code_name(error.error.code)) + ": " + error.error.message;
    if (error.http_status != 0 && why.find(std::to_string(error.http_status)) == std::string::npos) {
      why += " (HTTP " + std::to_string(error.http_status) + ")";
    }
    return settle(task, rule->id, &destination, &*source,
                  Copy{error.retryable ? Copy::Kind::kRetry : Copy::Kind::kPermanent, 0, why});
  }
  if (copied->parts > 0) {
    spdlog::info("replicated {}/{} ({}) to {}: {} bytes in {} parts, {} reused from an earlier try",
                 event.bucket, event.key, event.version_id, destination_target(destination),
                 copied->bytes, copied->parts, copied->parts_reused);
  }
  return settle(task, rule->id, &destination, &*source,
                copied->kind == RemoteCopy::Kind::kCopied ? Copy{Copy::Kind::kCopied, copied->bytes}
                                                          : Copy{Copy::Kind::kSkipped});
}

meta::ReplicationOutcome ReplicationWorker::outcome_of(
    const meta::OutboxTask& task, const std::string& rule_id,
    const vault::ReplicationDestination* destination, const meta::ObjectVersion* source,
    bool failed, const Copy& copy) {
  const meta::Event& event = task.event;
  const int64_t now_ns = to_unix_nanos(clock_.now());
  meta::ReplicationOutcome outcome;
  outcome.consumer = std::string(kReplicateConsumer);
  outcome.task_id = task.id;
  outcome.event_seq = task.event_seq;
  outcome.bucket = event.bucket;
  outcome.key = event.key;
  outcome.version_id = event.version_id;
  outcome.rule_id = rule_id;
  outcome.now_ns = now_ns;
  const int64_t changed_ns = source ? source->mtime_ns : event.time_ns;
  outcome.latency_ns = now_ns > changed_ns ? now_ns - changed_ns : 0;
  vault::BackupReceipt receipt;
  if (auto receipts = vault_.backup_receipts(event.bucket); receipts) {
    if (auto found = receipts->find(rule_id); found != receipts->end()) receipt = found->second;
  }
  const std::string destination_bucket = destination ? destination->bucket_name() : "";
  json::object detail{{"replicationRuleId", rule_id},
                      {"destinationBucket", destination && destination->is_remote()
                                                ? destination->account + ":" + destination_bucket
                                                : destination_bucket},
                      {"s3Operation", source && source->is_delete_marker ? "OBJECT_DELETE"
                                                                          : "OBJECT_PUT"},
                      {"requestTime", iso_time(changed_ns)}};
  auto event_for = [&](std::string_view name, const std::vector<std::string>& targets) {
    meta::Event out;
    out.time_ns = now_ns;
    out.name = name;
    out.bucket = event.bucket;
    out.key = event.key;
    out.version_id = event.version_id;
    out.size = source ? source->size : event.size;
    out.etag = source ? source->etag : event.etag;
    out.storage_class = source ? source->storage_class : event.storage_class;
    json::object with_targets = detail;
    json::array names;
    for (const std::string& target : targets) names.emplace_back(target);
    with_targets["targets"] = std::move(names);
    out.detail = json::serialize(with_targets);
    return out;
  };
  if (failed) {
    outcome.kind = meta::ReplicationOutcome::Kind::kFailed;
    outcome.error = copy.error;
    detail["failureReason"] = copy.error;
    outcome.event = event_for(vault::kReplicationFailedEvent, receipt.failure_targets);
  } else if (copy.kind == Copy::Kind::kSkipped) {
    outcome.kind = meta::ReplicationOutcome::Kind::kSkipped;
  } else {
    outcome.kind = meta::ReplicationOutcome::Kind::kReplicated;
    outcome.bytes = copy.bytes;
    if (!receipt.receipt_targets.empty()) {
      if (receipt.digest_seconds > 0) detail["digest_seconds"] = receipt.digest_seconds;
      outcome.event = event_for(vault::kReplicationCompletedEvent, receipt.receipt_targets);
    }
  }
  return outcome;
}

TaskOutcome ReplicationWorker::replicate_tags(const meta::OutboxTask& task,
                                              const vault::ReplicationRule& rule,
                                              const meta::ObjectVersion& source) {
  const vault::ReplicationDestination& destination = rule.destination;
  const std::string bucket = destination.bucket_name();
  auto failure = [&](bool retryable, std::string why) {
    return settle(task, rule.id, &destination, &source,
                  Copy{retryable ? Copy::Kind::kRetry : Copy::Kind::kPermanent, 0,
                       "copying the tags: " + why});
  };
  if (!destination.is_remote()) {
    auto replica = vault_.get_version(bucket, source.key, source.version_id);
    if (!replica) {
      const ErrorCode code = replica.error().code;
      if (code == ErrorCode::kNoSuchKey || code == ErrorCode::kNoSuchVersion) {
        return TaskOutcome::done();  // not copied yet: the copy takes the tags of then
      }
      return failure(!is_permanent(code), replica.error().message);
    }
    if (replica->tags == source.tags) return TaskOutcome::done();
    if (auto tagged = vault_.put_object_tags(bucket, source.key, source.version_id, source.tags, {});
        !tagged) {
      return failure(!is_permanent(tagged.error().code), tagged.error().message);
    }
    return TaskOutcome::done();
  }
  remote::RemoteS3Client* client = remotes_.client(destination.account);
  if (client == nullptr) return failure(false, "no replication remote " + destination.account);
  auto current = client->head_object(bucket, source.key);
  if (!current) {
    if (current.error().error.code == ErrorCode::kNoSuchKey) return TaskOutcome::done();
    return failure(current.error().retryable, current.error().error.message);
  }
  // Only the remote's copy of this very version takes the tags.
  if (current->source_version_id != source.version_id) return TaskOutcome::done();
  std::optional<std::string_view> remote_version;
  if (current->version_id) remote_version = *current->version_id;
  if (auto tagged = client->put_object_tagging(bucket, source.key, source.tags, remote_version);
      !tagged) {
    return failure(tagged.error().retryable, tagged.error().error.message);
  }
  return TaskOutcome::done();
}

TaskOutcome ReplicationWorker::settle(const meta::OutboxTask& task, const std::string& rule_id,
                                      const vault::ReplicationDestination* destination,
                                      const meta::ObjectVersion* source, const Copy& copy) {
  const meta::Event& event = task.event;
  const std::string where =
      destination ? destination_target(*destination) : std::string(task.target);
  Copy::Kind kind = copy.kind;
  if (kind == Copy::Kind::kGone) return TaskOutcome::done();
  if (kind == Copy::Kind::kRetry && task.attempts + 1 >= options_.max_attempts) {
    kind = Copy::Kind::kPermanent;  // the runner parks it after this try: say so on the version
  }
  if (kind == Copy::Kind::kRetry) {
    spdlog::warn("replication of {}/{} ({}) to {} failed, will retry: {}", event.bucket, event.key,
                 event.version_id, where, copy.error);
    return TaskOutcome::retry(copy.error);
  }
  const bool failed = kind == Copy::Kind::kPermanent;
  const meta::ReplicationOutcome outcome =
      outcome_of(task, rule_id, destination, source, failed, copy);
  if (failed) {
    spdlog::error("replication of {}/{} ({}) to {} FAILED: {}", event.bucket, event.key,
                  event.version_id, where, copy.error);
  } else if (kind == Copy::Kind::kSkipped) {
    ++skipped_;
  }
  if (auto settled = vault_.settle_replication(outcome); !settled) {
    return TaskOutcome::retry("recording the outcome: " + settled.error().message);
  }
  return failed ? TaskOutcome::permanent(copy.error) : TaskOutcome::done();
}

TaskOutcome ReplicationWorker::backfill(const meta::OutboxTask& task) {
  const std::string bucket = task.event.bucket;
  TaskPayload payload = read_payload(task.payload);
  for (;;) {
    // The event was written with the configuration, maybe by another process: read it now.
    auto config = vault_.reload_replication(bucket);
    if (!config) {
      if (config.error().code == ErrorCode::kNoSuchBucket) return TaskOutcome::done();
      return TaskOutcome::retry(config.error().message);
    }
    if (!*config) return TaskOutcome::done();  // the configuration was removed
    // Only the rules the backfill was asked for select versions.
    vault::ReplicationConfiguration selecting;
    for (const vault::ReplicationRule& rule : (*config)->rules) {
      for (const std::string& id : payload.backfill_rules) {
        if (rule.id == id) selecting.rules.push_back(rule);
      }
    }
    if (selecting.rules.empty()) return TaskOutcome::done();
    meta::ListVersionsQuery query;
    query.bucket = bucket;
    query.key_marker = payload.after_key;
    query.version_id_marker = payload.after_version;
    query.max_keys = options_.backfill_page;
    auto page = vault_.list_object_versions(query);
    if (!page) {
      if (page.error().code == ErrorCode::kNoSuchBucket) return TaskOutcome::done();
      return TaskOutcome::retry(page.error().message);
    }
    std::vector<meta::Event> queued;
    for (const meta::ObjectVersion& listed : page->versions) {
      // Listings carry no tags nor status: read the version itself.
      auto read = vault_.get_version(bucket, listed.key, listed.version_id);
      if (!read) continue;  // gone since the page was read
      const meta::ObjectVersion& version = *read;
      if (version.replication_status == "REPLICA" || version.replication_status == "COMPLETED" ||
          version.replication_status == "PENDING") {
        continue;
      }
      if (vault::replication_targets(selecting, version.key, version.tags, version.content_type,
                                     version.is_delete_marker)
              .empty()) {
        continue;
      }
      meta::Event event =
          vault::Vault::event_of(version, std::string(vault::kReplicationExistingEvent),
                                 to_unix_nanos(clock_.now()), {});
      queued.push_back(std::move(event));
    }
    if (auto status = vault_.queue_replication(queued); !status) {
      return TaskOutcome::retry(status.error().message);
    }
    if (!page->truncated) return TaskOutcome::done();
    payload.after_key = page->next_key_marker;
    payload.after_version = page->next_version_id_marker;
    if (auto saved = vault_.set_task_payload(task.id, payload_json(payload)); !saved) {
      return TaskOutcome::retry(saved.error().message);
    }
  }
}

OutboxPlanner ReplicationWorker::planner() {
  return [this](const meta::Event& event) { return plan(event); };
}

OutboxConsumer::ExecutorFactory ReplicationWorker::executors() {
  return [this](const std::string&) -> TaskExecutor {
    return [this](const meta::OutboxTask& task) { return deliver(task); };
  };
}

}  // namespace cv::workers::replicate
