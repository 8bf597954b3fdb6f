// A bucket's event notification configuration (S3's NotificationConfiguration as plain
// values), its validation with S3's rules, the matching of an event against its rules, and a
// JSON codec for storing it as a bucket config document (kind "notification").
//
// A rule names its destination by an ARN whose service is sns (topic), sqs (queue) or lambda
// (function) and whose last ':' field is the name of a target defined in the server's
// configuration ([notify.targets.NAME]), e.g. "arn:aws:sns:us-east-1:000000000000:hook".
//
// Everything here is pure: no I/O, no clock, no locks; thread-safe on distinct or const data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::vault {

// Which kind of S3 destination a rule was written as (the XML element it came in).
enum class NotificationKind {
  kTopic,     // <TopicConfiguration>, an sns ARN
  kQueue,     // <QueueConfiguration>, an sqs ARN
  kFunction,  // <CloudFunctionConfiguration>, a lambda ARN
};

struct NotificationRule {
  std::string id;  // <Id>; S3 makes one up when absent
  NotificationKind kind = NotificationKind::kQueue;
  std::string arn;
  // The target the ARN names: its last ':' field ("hook"). Filled by the parser from `arn`
  // (notification_target_name); stored so readers need not parse ARNs.
  std::string target;
  // S3 event names as written: "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", ...
  std::vector<std::string> events;
  // <Filter><S3Key><FilterRule> prefix and suffix; empty matches every key.
  std::string prefix;
  std::string suffix;
};

struct NotificationConfiguration {
  std::vector<NotificationRule> rules;
  // <EventBridgeConfiguration/> was present. S3 accepts it; this server keeps and echoes it
  // but delivers nothing to EventBridge (docs/S3_COMPATIBILITY.md).
  bool event_bridge = false;

  bool empty() const { return rules.empty() && !event_bridge; }
};

// Which targets exist: implemented over the server's configuration (app/), or by tests.
// Thread-safety: has_target may be called from many threads at once.
class NotificationTargetCatalog {
 public:
  virtual ~NotificationTargetCatalog() = default;
  virtual bool has_target(std::string_view name) const = 0;
};

// Whether `name` is one of the event names S3 accepts in a configuration (wildcards such as
// "s3:ObjectCreated:*" included), e.g. "s3:ObjectCreated:Put", "s3:LifecycleTransition".
bool is_notification_event_name(std::string_view name);

// Whether a configured event name (exact, or "<prefix>:*") covers the event `event_name`
// ("s3:ObjectCreated:*" covers "s3:ObjectCreated:Put", not "s3:ObjectRemoved:Delete").
bool event_name_matches(std::string_view configured, std::string_view event_name);

// The target name an ARN names: the last ':' field of "arn:<partition>:<service>:<region>:
// <account>:...:<name>" when the service is the one `kind` requires (sns, sqs, lambda) and the
// name is not empty; "" otherwise.
std::string notification_target_name(NotificationKind kind, std::string_view arn);

// S3's constraints, with S3's codes (InvalidArgument for each):
//  - an unknown event name: "The event is not supported for notifications";
//  - a rule with no event: "A specified event is not supported for notifications.";
//  - two rules whose event types overlap (one name covers the other) and whose key filters
//    overlap (one prefix starts the other and one suffix ends the other): "Configurations
//    overlap. Configurations on the same bucket cannot share a common event type.";
//  - duplicate rule ids: "Configuration ids must be unique.";
//  - an ARN that names no target (wrong service, bad form): "Unable to validate the following
//    destination configurations", the ARN in the error's ArgumentName1 detail.
// Does not look the targets up: check_notification_destinations does.
Status validate(const NotificationConfiguration& config);

// Every rule's target must exist in `targets`: InvalidArgument "Unable to validate the
// following destination configurations" otherwise, with ArgumentName1/ArgumentValue1 (the
// first ARN that failed and why), as S3 answers.
Status check_notification_destinations(const NotificationConfiguration& config,
                                       const NotificationTargetCatalog& targets);

// The rules an event about `key` triggers: those with an event name covering `event_name`
// whose prefix and suffix match the key, in configuration order. The pointers point into
// `config`.
std::vector<const NotificationRule*> matching_rules(const NotificationConfiguration& config,
                                                    std::string_view event_name,
                                                    std::string_view key);

// An Id for a rule that came without one (S3 makes up a random one).
std::string new_notification_rule_id();

// The event name of the test message, which no configuration can ask for.
inline constexpr std::string_view kTestEventName = "s3:TestEvent";

// The s3:TestEvent written when a non-empty configuration is saved carries, as its detail,
// the configuration's distinct target names in order (the notify worker sends the test message
// to each): {"targets":["hook","mail"]}. test_event_targets answers none for any other text.
std::string test_event_detail(const NotificationConfiguration& config);
std::vector<std::string> test_event_targets(std::string_view detail);

// Stored form (bucket config kind "notification"). notification_from_json fails with
// InternalError on a document it cannot read (to_json wrote it).
std::string to_json(const NotificationConfiguration& config);
Result<NotificationConfiguration> notification_from_json(std::string_view json);

}  // namespace cv::vault
