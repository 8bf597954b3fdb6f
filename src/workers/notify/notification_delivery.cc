#include "workers/notify/notification_delivery.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/encoding.h"
#include "vault/backup_receipts.h"
#include "vault/notification_config.h"
#include "workers/notify/alarm_message.h"
#include "workers/notify/digest_message.h"
#include "workers/notify/event_message.h"
#include "workers/notify/targets/delivery_outcome.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

struct TaskPayload {
  std::string configuration_id;
  std::string bucket_owner;
};

std::string payload_json(const TaskPayload& payload) {
  return json::serialize(json::object{{"configuration_id", payload.configuration_id},
                                      {"bucket_owner", payload.bucket_owner}});
}

// A payload this consumer did not write reads as empty fields (the message still goes out).
TaskPayload read_payload(std::string_view text) {
  TaskPayload payload;
  json::error_code error;
  const json::value document = json::parse(text, error);
  if (error || !document.is_object()) return payload;
  const json::object& root = document.get_object();
  if (const auto* id = root.if_contains("configuration_id"); id && id->is_string()) {
    payload.configuration_id = std::string(id->get_string());
  }
  if (const auto* owner = root.if_contains("bucket_owner"); owner && owner->is_string()) {
    payload.bucket_owner = std::string(owner->get_string());
  }
  return payload;
}

// Where a replication event's version went ("" for other events).
std::string destination_of(const meta::Event& event) {
  if (!event.name.starts_with("s3:Replication:") &&
      !event.name.starts_with("cloudvault:Replication:")) {
    return {};
  }
  json::error_code error;
  const json::value document = json::parse(event.detail, error);
  if (error || !document.is_object()) return {};
  const json::value* bucket = document.get_object().if_contains("destinationBucket");
  return bucket != nullptr && bucket->is_string() ? std::string(bucket->get_string()) : "";
}

meta::OutboxTask task_for(std::string target, const TaskPayload& payload) {
  meta::OutboxTask task;
  task.target = std::move(target);
  task.payload = payload_json(payload);
  return task;
}

}  // namespace

NotificationDelivery::NotificationDelivery(vault::Vault& vault, LiveTargetCatalog& targets,
                                           NotificationDeliveryOptions options)
    : vault_(vault), targets_(targets), options_(std::move(options)) {}

Result<std::vector<meta::OutboxTask>> NotificationDelivery::plan(const meta::Event& event) {
  std::vector<meta::OutboxTask> tasks;
  if (is_alarm_event(event)) {  // no bucket: the targets the alarm names
    for (std::string& target : alarm_targets(event)) tasks.push_back(task_for(std::move(target), {}));
    return tasks;
  }
  auto bucket = vault_.get_bucket(event.bucket);
  if (!bucket) {
    if (bucket.error().code == ErrorCode::kNoSuchBucket) return tasks;
    return std::unexpected(bucket.error());
  }
  if (event.name == vault::kTestEventName || event.name == vault::kReplicationCompletedEvent) {
    const std::optional<DigestWindow> window = digest_window_of(event);
    for (std::string& target : vault::test_event_targets(event.detail)) {
      tasks.push_back(task_for(std::move(target), {"", bucket->owner_id}));
      if (window) {  // one message per window, when it ends (receipt_digest.h)
        tasks.back().payload = digest_payload(*window);
        tasks.back().next_try_ns = window->end_ns;
      }
    }
    return tasks;
  }
  if (event.name == vault::kReplicationFailedEvent) {
    // The backup's failure targets, then any rule on s3:Replication:* (below).
    for (std::string& target : vault::test_event_targets(event.detail)) {
      tasks.push_back(task_for(std::move(target), {"", bucket->owner_id}));
    }
  }
  auto config = vault_.get_notification_config(event.bucket);
  if (!config) {
    if (config.error().code == ErrorCode::kNoSuchBucket) return tasks;
    return std::unexpected(config.error());
  }
  for (const vault::NotificationRule* rule :
       vault::matching_rules(*config, event.name, event.key)) {
    tasks.push_back(task_for(rule->target, {rule->id, bucket->owner_id}));
  }
  return tasks;
}

TaskOutcome NotificationDelivery::deliver(const meta::OutboxTask& task) {
  // The snapshot keeps the target alive through the delivery, even if it is replaced.
  const std::shared_ptr<const TargetCatalog> targets = targets_.current();
  NotificationTarget* target = targets->find(task.target);
  if (target == nullptr) {
    return TaskOutcome::permanent("no notification target named \"" + task.target +
                                  "\" (neither [notify.targets." + task.target +
                                  "] in the configuration nor `admin notify add`)");
  }
  if (std::optional<DigestWindow> window = read_digest_payload(task.payload)) {
    return deliver_digest(*target, task, *window);
  }
  const meta::Event& event = task.event;
  if (is_alarm_event(event)) {
    std::optional<NotificationMessage> alarm = alarm_message(event);
    if (!alarm) return TaskOutcome::permanent("the alarm event's detail is not an alarm message");
    return to_task_outcome(target->deliver(*alarm));
  }
  const TaskPayload payload = read_payload(task.payload);
  NotificationMessage message;
  if (event.name == vault::kTestEventName) {
    message.event_document = test_event_message(event.bucket, event.time_ns, event.request_id, "");
  } else {
    EventMessageContext context;
    context.region = options_.region;
    context.bucket_owner_id = payload.bucket_owner;
    context.configuration_id = payload.configuration_id;
    message.event_document = event_message(event, context);
  }
  message.event_name = event.name;
  message.bucket = event.bucket;
  message.key = event.key;
  message.version_id = event.version_id;
  message.size = event.size;
  message.etag = event.etag;
  message.principal = event.principal_id;
  message.destination = destination_of(event);
  message.time = from_unix_nanos(event.time_ns);
  if (!options_.public_url.empty()) {
    message.console_url = console_link(options_.public_url, event.bucket, event.key);
  }
  return to_task_outcome(target->deliver(message));
}

TaskOutcome NotificationDelivery::deliver_digest(NotificationTarget& target,
                                                 const meta::OutboxTask& task,
                                                 const DigestWindow& window) {
  auto gathered = vault_.outbox_tasks_with_payload(kNotifyConsumer, task.target, task.payload,
                                                   kDigestMaxReceipts);
  if (!gathered) return TaskOutcome::retry("gathering the digest: " + gathered.error().message);
  std::vector<meta::OutboxTask> receipts = std::move(*gathered);
  if (std::none_of(receipts.begin(), receipts.end(),
                   [&](const meta::OutboxTask& receipt) { return receipt.id == task.id; })) {
    // Beyond the first kDigestMaxReceipts: this message starts with it.
    receipts.insert(receipts.begin(), task);
    if (receipts.size() > kDigestMaxReceipts) receipts.pop_back();
  }
  const std::string link =
      options_.public_url.empty() ? "" : console_link(options_.public_url, window.bucket, "");
  const NotificationMessage message =
      digest_message(window, receipts, destination_of(receipts.front().event), link);
  TaskOutcome outcome = to_task_outcome(target.deliver(message));
  for (const meta::OutboxTask& receipt : receipts) {
    if (receipt.id != task.id) outcome.covers.push_back(receipt.id);
  }
  return outcome;
}

OutboxPlanner NotificationDelivery::planner() {
  return [this](const meta::Event& event) { return plan(event); };
}

OutboxConsumer::ExecutorFactory NotificationDelivery::executors() {
  return [this](const std::string&) -> TaskExecutor {
    return [this](const meta::OutboxTask& task) { return deliver(task); };
  };
}

std::string NotificationDelivery::console_link(std::string_view public_url,
                                               std::string_view bucket, std::string_view key) {
  std::string link = std::string(public_url) + "/_console/#/b/" + uri_encode(bucket) + "/";
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return link;
  std::string_view folder = key.substr(0, slash);
  for (size_t start = 0;;) {
    const size_t end = folder.find('/', start);
    link += uri_encode(folder.substr(start, end - start));
    link += '/';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return link;
}

}  // namespace cv::workers::notify
