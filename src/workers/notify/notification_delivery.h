// Event notification delivery: the "notify" consumer of the outbox (workers/outbox/). For each
// event it plans one task per rule of the bucket's notification configuration that the event
// matches (vault::matching_rules), addressed to the rule's target; delivering a task builds
// S3's event message (event_message.h) and hands it to that target (targets/).
//
// s3:TestEvent (written when a configuration is saved) is planned to every target its detail
// names (vault::test_event_targets) and delivered as S3's test message; so are backup receipts
// and failures (cloudvault:Replication:OperationCompleted, s3:Replication:OperationFailed-
// Replication) to the targets of their rule, a receipt whose rule asks for a digest as a task
// due at its window's end that is delivered as one message for the whole window
// (receipt_digest.h).
//
// Contract: planning is a function of the event, the bucket's configuration and its owner at
// planning time (what the task records), so re-planning after a crash plans the same tasks. A
// bucket that no longer exists plans nothing. A rule whose target the catalog does not know
// (configured with x-amz-skip-destination-validation, or removed from the configuration file
// or with `admin notify remove` since) is planned all the same and parked at its first try,
// so it shows in `cloudvault admin events list --failed` instead of vanishing. Each try looks
// its target up in the catalog's current snapshot, so targets added or changed while the
// server runs are used from then on.
//
// Thread-safe: plan() runs on the consumer's fan-out thread, deliver() on each target's.
#pragma once

#include <string>

#include "core/error.h"
#include "meta/types.h"
#include "vault/vault.h"
#include "workers/notify/receipt_digest.h"
#include "workers/notify/targets/live_target_catalog.h"
#include "workers/outbox/outbox_consumer.h"

namespace cv::workers::notify {

inline constexpr std::string_view kNotifyConsumer = "notify";

struct NotificationDeliveryOptions {
  std::string region = "us-east-1";  // awsRegion
  // Where people reach the server ("https://vault.example.com", no trailing slash): messages
  // link to the object's folder in the web console under it. Empty: no link.
  std::string public_url;
};

class NotificationDelivery {
 public:
  // `vault` and `targets` must outlive this.
  NotificationDelivery(vault::Vault& vault, LiveTargetCatalog& targets,
                       NotificationDeliveryOptions options);

  // The tasks `event` causes: target = the rule's target name, payload = the rule's Id and
  // the bucket owner (JSON). Fails only when the store cannot be read.
  Result<std::vector<meta::OutboxTask>> plan(const meta::Event& event);
  // One try of one task: done, a retryable failure, or a permanent one (unknown target, a
  // refusal the receiver will repeat). A digest's task sends its window's message and covers
  // the window's other pending tasks (TaskOutcome::covers).
  TaskOutcome deliver(const meta::OutboxTask& task);

  // plan() and deliver() in the shapes OutboxConsumer takes.
  OutboxPlanner planner();
  OutboxConsumer::ExecutorFactory executors();

  // The web console's address of the folder holding `key` ("<public_url>/_console/#/b/...").
  static std::string console_link(std::string_view public_url, std::string_view bucket,
                                   std::string_view key);

 private:
  TaskOutcome deliver_digest(NotificationTarget& target, const meta::OutboxTask& task,
                             const DigestWindow& window);

  vault::Vault& vault_;
  LiveTargetCatalog& targets_;
  NotificationDeliveryOptions options_;
};

}  // namespace cv::workers::notify
