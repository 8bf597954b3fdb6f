// A notification target: somewhere a message about a change is delivered (a webhook, an
// e-mail address, a Slack or Discord channel). The notify worker hands each target the
// messages of the events routed to it; how a target formats and sends them is its own affair.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace cv::workers::notify {

// One backed-up version in a digest of receipts.
struct DigestEntry {
  std::string key;
  uint64_t size = 0;
  std::string version_id;  // "null" for unversioned objects
};

// Backup receipts sent as one message: the versions one rule copied within one window.
struct ReceiptDigest {
  TimePoint window_start{};
  TimePoint window_end{};
  uint64_t bytes = 0;                // the sizes of all entries together
  std::vector<DigestEntry> entries;  // every version, in the order they were copied
};

// An alarm's change of state (workers/alarms), in words people read.
struct AlarmNotice {
  std::string name;         // "disk-free-low"
  std::string description;  // "Free space in a data folder is below 10%"
  std::string old_state;    // "OK", "ALARM", "INSUFFICIENT_DATA"
  std::string new_state;
  std::string reason;      // "1 of the last 1 datapoints was less than the threshold (10%): 4%"
  std::string value;       // "4%" or "no data"
  std::string threshold;   // "10%"
  std::string comparison;  // "less than"
  std::string metric;      // "Minimum of cloudvault_disk_free_ratio over 1 minute"
  TimePoint since{};       // ALARM: when the breach began; OK: when the alarm had begun
  std::string dashboard_url;
};

// One event as targets deliver it: the machine-readable document and a human summary.
struct NotificationMessage {
  // The AWS event message ({"Records": [...]}, or the s3:TestEvent document), built by the
  // notify worker; targets send it as it is (webhook) and never parse it.
  std::string event_document;
  // The summary people read (e-mail, Slack, Discord).
  std::string event_name;  // "s3:ObjectCreated:Put" (the "s3:" prefix is optional)
  std::string bucket;
  std::string key;         // decoded, as stored
  std::string version_id;  // empty or "null" for unversioned objects
  uint64_t size = 0;
  std::string etag;         // without quotes
  std::string principal;    // who caused it (user name or principal id); may be empty
  TimePoint time{};         // when the change happened
  std::string console_url;  // a link to the object in the web console; may be empty
  std::string destination;  // replication events: the bucket the version was copied to
  // A digest of backup receipts: many versions in one message (event_document is then
  // CloudVault's digest document); key, version_id and etag are empty, size is the total.
  std::optional<ReceiptDigest> digest;
  // An alarm's change of state (event_document is then the alarm message: CloudWatch's
  // fields, AlarmName, NewStateValue, NewStateReason, Trigger..., with CloudVault's
  // additions); bucket and key are empty.
  std::optional<AlarmNotice> alarm;
};

// Why a delivery failed, and whether trying again later can help.
struct DeliveryFailure {
  enum class Kind {
    kRetryable,  // network errors, timeouts, 5xx, 408, 429, SMTP 4xx: retry with backoff
    kPermanent,  // 4xx, SMTP 5xx, a bad URL: retrying cannot help; park the event
  };
  Kind kind = Kind::kRetryable;
  std::string message;  // names the target and says why: "HTTP 404 from ...", curl's text
  bool retryable() const { return kind == Kind::kRetryable; }
};

using DeliveryResult = std::expected<void, DeliveryFailure>;

// Contract: deliver() blocks until the receiver has accepted the message or the attempt has
// failed, and never longer than the target's timeout (plus connection teardown). It is
// thread-safe: the worker may deliver several messages through one target at once. One call
// is one attempt; retries and backoff are the caller's. Secrets (webhook keys, passwords) never
// appear in a failure message or a log line.
class NotificationTarget {
 public:
  virtual ~NotificationTarget() = default;
  virtual DeliveryResult deliver(const NotificationMessage& message) = 0;
  // The name the configuration gives the target ([notify.targets.NAME]).
  virtual std::string_view name() const = 0;
};

}  // namespace cv::workers::notify
