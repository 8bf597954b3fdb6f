// Replication ("backup"): the "replicate" consumer of the outbox (workers/outbox/). For each
// new version of a bucket with replication rules (written PENDING by the vault) it plans one
// task per destination the rules select (vault::replication_targets), addressed to that
// destination, so a slow or unreachable destination holds back only its own copies; executing
// a task copies the version there — server-side into a bucket of this server
// (Vault::put_replica), or through the remote S3 client (remote_copy.h) — and settles it:
// the task's end, the source's x-amz-replication-status (COMPLETED once every destination has
// it, FAILED when one cannot get it), the rule's stats and the receipt or failure event are
// one transaction (MetaStore::settle_replication).
//
// Contract:
// - Idempotent: a replayed task whose version the destination holds already is skipped and
//   counted (skip_copy); an older version arriving after a newer one never becomes current.
// - A temporary failure (destination down, 5xx) leaves the version PENDING and is retried
//   with the outbox's backoff; a failure a retry cannot fix (missing bucket, refused
//   credentials, a rule that is gone, SSE-C source) — or the last allowed try — makes it
//   FAILED with its reason, a log line and a failure event, retried only by hand
//   (`cloudvault admin events retry`).
// - Delete markers are replicated only by rules that replicate them; permanent deletes of a
//   version are not replicated (as on S3). Replicas are never replicated again.
// - Tag changes (s3:ObjectTagging:*) of a version replication copies follow it to each
//   destination's copy of that version.
// - Backfill: kReplicationBackfillEvent plans one task that walks the bucket's versions page
//   by page (its progress in the task's payload, so a crash resumes the walk) and queues each
//   version its rules select with a kReplicationExistingEvent, planned like a new version.
//
// Thread-safe: plan() runs on the consumer's fan-out thread, deliver() on each target's.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "remote/remote_s3_client.h"
#include "vault/vault.h"
#include "workers/outbox/outbox_consumer.h"

namespace cv::workers::replicate {

inline constexpr std::string_view kReplicateConsumer = "replicate";

// The remote endpoints replication writes to ([replication.remotes.NAME]), as clients.
// Implemented in app/. Thread-safe.
class RemoteDirectory {
 public:
  virtual ~RemoteDirectory() = default;
  // The client of the remote named `name`, or nullptr when none is configured.
  virtual remote::RemoteS3Client* client(std::string_view name) = 0;
};

struct ReplicationWorkerOptions {
  // Tries before a temporary failure counts as permanent (FAILED); the outbox's max_attempts.
  int max_attempts = 12;
  uint64_t multipart_threshold = 64ull << 20;  // remote copies above this go multipart
  uint64_t part_size = 16ull << 20;
  size_t backfill_page = 500;  // versions queued per transaction by a backfill
};

// The task target of a destination: "local:BUCKET" or "remote:NAME:BUCKET".
std::string destination_target(const vault::ReplicationDestination& destination);
// The rule a replication task serves ("" for a backfill or a payload not ours).
std::string task_rule(std::string_view payload);
// The bucket a backfill task walks ("" when the task is not a backfill).
std::string backfill_bucket(const meta::OutboxTask& task);

class ReplicationWorker {
 public:
  // `vault` and `remotes` must outlive this.
  ReplicationWorker(vault::Vault& vault, RemoteDirectory& remotes, const Clock& clock,
                    ReplicationWorkerOptions options);

  Result<std::vector<meta::OutboxTask>> plan(const meta::Event& event);
  TaskOutcome deliver(const meta::OutboxTask& task);

  OutboxPlanner planner();
  OutboxConsumer::ExecutorFactory executors();

  // Replayed tasks whose version the destination already held, since start (also counted
  // durably per rule: MetaStore::replication_stats).
  uint64_t skipped_copies() const { return skipped_.load(); }

 private:
  struct Copy;
  // The tasks of a PENDING version; `fresh`: with the configuration read from the store.
  Result<std::vector<meta::OutboxTask>> plan_version(const meta::Event& event,
                                                     const meta::ObjectVersion& source, bool fresh);
  TaskOutcome replicate(const meta::OutboxTask& task);
  TaskOutcome backfill(const meta::OutboxTask& task);
  // A tag change of a copied version: the destination's copy of that version takes the
  // source's tags (nothing when it has none yet: the copy takes them then).
  TaskOutcome replicate_tags(const meta::OutboxTask& task, const vault::ReplicationRule& rule,
                             const meta::ObjectVersion& source);
  // The record of a task's end: stats fields and the receipt (or failure) event.
  meta::ReplicationOutcome outcome_of(const meta::OutboxTask& task, const std::string& rule_id,
                                      const vault::ReplicationDestination* destination,
                                      const meta::ObjectVersion* source, bool failed,
                                      const Copy& copy);
  // Records the end of a task (settle_replication) and turns it into the runner's outcome.
  TaskOutcome settle(const meta::OutboxTask& task, const std::string& rule_id,
                     const vault::ReplicationDestination* destination,
                     const meta::ObjectVersion* source, const Copy& copy);

  vault::Vault& vault_;
  RemoteDirectory& remotes_;
  const Clock& clock_;
  ReplicationWorkerOptions options_;
  std::atomic<uint64_t> skipped_{0};
};

}  // namespace cv::workers::replicate
