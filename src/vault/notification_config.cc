// Validation and matching of notification configurations (the JSON codec is in
// notification_json.cc).
#include "vault/notification_config.h"

#include <set>

#include "core/encoding.h"
#include "core/ids.h"

namespace cv::vault {
namespace {

// The event names S3 accepts in a configuration ("Supported event types" of S3's
// documentation on event notifications).
constexpr std::string_view kEventNames[] = {
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*",
    "s3:Replication:OperationFailedReplication",
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:Replication:OperationNotTracked",
    "s3:LifecycleTransition",
    "s3:IntelligentTiering",
    "s3:ObjectAcl:Put",
    "s3:LifecycleExpiration:*",
    "s3:LifecycleExpiration:Delete",
    "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:ObjectTagging:*",
    "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete",
};

constexpr std::string_view kUnvalidatedDestinations =
    "Unable to validate the following destination configurations";

std::string_view service_of(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kTopic:
      return "sns";
    case NotificationKind::kQueue:
      return "sqs";
    case NotificationKind::kFunction:
      return "lambda";
  }
  return "";
}

Error destination_error(const NotificationRule& rule, std::string_view reason) {
  Error error{ErrorCode::kInvalidArgument, std::string(kUnvalidatedDestinations), {}};
  error.details.emplace_back("ArgumentName1", rule.arn);
  error.details.emplace_back("ArgumentValue1", std::string(reason));
  return error;
}

// Two rules' key filters select at least one key in common.
bool filters_overlap(const NotificationRule& a, const NotificationRule& b) {
  const bool prefixes = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
  const bool suffixes = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
  return prefixes && suffixes;
}

bool events_overlap(const NotificationRule& a, const NotificationRule& b) {
  for (const std::string& left : a.events) {
    for (const std::string& right : b.events) {
      if (event_name_matches(left, right) || event_name_matches(right, left)) return true;
    }
  }
  return false;
}

}  // namespace

bool is_notification_event_name(std::string_view name) {
  for (std::string_view known : kEventNames) {
    if (known == name) return true;
  }
  return false;
}

bool event_name_matches(std::string_view configured, std::string_view event_name) {
  if (configured == event_name) return true;
  if (!configured.ends_with(":*")) return false;
  return event_name.starts_with(configured.substr(0, configured.size() - 1));
}

std::string notification_target_name(NotificationKind kind, std::string_view arn) {
  const std::vector<std::string_view> fields = [&] {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
      const size_t colon = arn.find(':', start);
      out.push_back(arn.substr(start, colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    return out;
  }();
  // arn:partition:service:region:account:resource[...]
  if (fields.size() < 6 || fields[0] != "arn" || fields[1].empty() ||
      fields[2] != service_of(kind) || fields.back().empty()) {
    return {};
  }
  return std::string(fields.back());
}

Status validate(const NotificationConfiguration& config) {
  std::set<std::string_view> ids;
  for (const NotificationRule& rule : config.rules) {
    if (rule.events.empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "A specified event is not supported for notifications.");
    }
    for (const std::string& event : rule.events) {
      if (!is_notification_event_name(event)) {
        Error error{
            ErrorCode::kInvalidArgument, "The event is not supported for notifications", {}};
        error.details.emplace_back("ArgumentName1", event);
        return fail(std::move(error));
      }
    }
    if (!ids.insert(rule.id).second) {
      return fail(ErrorCode::kInvalidArgument, "Configuration ids must be unique.");
    }
    if (notification_target_name(rule.kind, rule.arn).empty()) {
      return fail(destination_error(rule, "The ARN is not well formed"));
    }
  }
  for (size_t i = 0; i < config.rules.size(); ++i) {
    for (size_t j = i + 1; j < config.rules.size(); ++j) {
      if (events_overlap(config.rules[i], config.rules[j]) &&
          filters_overlap(config.rules[i], config.rules[j])) {
        return fail(ErrorCode::kInvalidArgument,
                    "Configurations overlap. Configurations on the same bucket cannot share a "
                    "common event type.");
      }
    }
  }
  return {};
}

Status check_notification_destinations(const NotificationConfiguration& config,
                                       const NotificationTargetCatalog& targets) {
  for (const NotificationRule& rule : config.rules) {
    if (!targets.has_target(rule.target)) {
      return fail(
          destination_error(rule,
                            "The destination is not a notification target defined in the server's "
                            "configuration"));
    }
  }
  return {};
}

std::vector<const NotificationRule*> matching_rules(const NotificationConfiguration& config,
                                                    std::string_view event_name,
                                                    std::string_view key) {
  std::vector<const NotificationRule*> matched;
  for (const NotificationRule& rule : config.rules) {
    if (!key.starts_with(rule.prefix) || !key.ends_with(rule.suffix)) continue;
    for (const std::string& configured : rule.events) {
      if (event_name_matches(configured, event_name)) {
        matched.push_back(&rule);
        break;
      }
    }
  }
  return matched;
}

std::string new_notification_rule_id() {
  // S3 makes up the base64 of a random UUID (48 characters), as for lifecycle rules.
  std::string uuid = random_hex(16);
  for (size_t at : {8, 13, 18, 23}) uuid.insert(at, "-");
  return base64_encode(uuid);
}

}  // namespace cv::vault
