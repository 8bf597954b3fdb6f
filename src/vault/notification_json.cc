// The stored form of a notification configuration (bucket config kind "notification"),
// Boost.JSON:
//
// {"event_bridge": false,
//  "rules": [{"id": "...", "kind": "topic" | "queue" | "function", "arn": "arn:aws:sns:...:hook",
//             "target": "hook", "events": ["s3:ObjectCreated:*"], "prefix": "", "suffix": ""}]}
#include <algorithm>
#include <boost/json.hpp>

#include "vault/notification_config.h"

namespace cv::vault {
namespace {

namespace json = boost::json;

// Thrown inside notification_from_json only, for a document to_json did not write.
struct BadDocument {};

std::string_view kind_name(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kTopic:
      return "topic";
    case NotificationKind::kQueue:
      return "queue";
    case NotificationKind::kFunction:
      return "function";
  }
  return "queue";
}

NotificationKind parse_kind(std::string_view name) {
  if (name == "topic") return NotificationKind::kTopic;
  if (name == "queue") return NotificationKind::kQueue;
  if (name == "function") return NotificationKind::kFunction;
  throw BadDocument{};
}

std::string as_string(const json::value* value) {
  if (value == nullptr || !value->is_string()) throw BadDocument{};
  return std::string(value->get_string());
}

const json::object& as_object(const json::value* value) {
  if (value == nullptr || !value->is_object()) throw BadDocument{};
  return value->get_object();
}

const json::array& as_array(const json::value* value) {
  if (value == nullptr || !value->is_array()) throw BadDocument{};
  return value->get_array();
}

NotificationRule read_rule(const json::object& in) {
  NotificationRule rule;
  rule.id = as_string(in.if_contains("id"));
  rule.kind = parse_kind(as_string(in.if_contains("kind")));
  rule.arn = as_string(in.if_contains("arn"));
  rule.target = as_string(in.if_contains("target"));
  for (const json::value& event : as_array(in.if_contains("events"))) {
    rule.events.push_back(as_string(&event));
  }
  rule.prefix = as_string(in.if_contains("prefix"));
  rule.suffix = as_string(in.if_contains("suffix"));
  return rule;
}

}  // namespace

std::string to_json(const NotificationConfiguration& config) {
  json::array rules;
  for (const NotificationRule& rule : config.rules) {
    json::array events;
    for (const std::string& event : rule.events) events.emplace_back(event);
    rules.emplace_back(json::object{{"id", rule.id},
                                    {"kind", kind_name(rule.kind)},
                                    {"arn", rule.arn},
                                    {"target", rule.target},
                                    {"events", std::move(events)},
                                    {"prefix", rule.prefix},
                                    {"suffix", rule.suffix}});
  }
  return json::serialize(
      json::object{{"event_bridge", config.event_bridge}, {"rules", std::move(rules)}});
}

Result<NotificationConfiguration> notification_from_json(std::string_view text) {
  json::error_code error;
  const json::value document = json::parse(text, error);
  if (error) {
    return fail(ErrorCode::kInternalError,
                "Stored notification configuration is not JSON: " + error.message());
  }
  try {
    const json::object& root = as_object(&document);
    NotificationConfiguration config;
    const json::value* event_bridge = root.if_contains("event_bridge");
    if (event_bridge == nullptr || !event_bridge->is_bool()) throw BadDocument{};
    config.event_bridge = event_bridge->get_bool();
    for (const json::value& rule : as_array(root.if_contains("rules"))) {
      config.rules.push_back(read_rule(as_object(&rule)));
    }
    return config;
  } catch (const BadDocument&) {
    return fail(ErrorCode::kInternalError, "Stored notification configuration is not readable");
  }
}

std::string test_event_detail(const NotificationConfiguration& config) {
  std::vector<std::string_view> names;
  json::array targets;
  for (const NotificationRule& rule : config.rules) {
    if (std::find(names.begin(), names.end(), rule.target) != names.end()) continue;
    names.push_back(rule.target);
    targets.emplace_back(rule.target);
  }
  return json::serialize(json::object{{"targets", std::move(targets)}});
}

std::vector<std::string> test_event_targets(std::string_view detail) {
  json::error_code error;
  const json::value document = json::parse(detail, error);
  std::vector<std::string> names;
  if (error || !document.is_object()) return names;
  const json::value* targets = document.get_object().if_contains("targets");
  if (targets == nullptr || !targets->is_array()) return names;
  for (const json::value& name : targets->get_array()) {
    if (name.is_string()) names.emplace_back(name.get_string());
  }
  return names;
}

}  // namespace cv::vault
