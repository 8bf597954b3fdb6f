// The stored form of a replication configuration (bucket config kind "replication"),
// Boost.JSON:
//
// {"role": "arn:aws:iam::...",
//  "rules": [{"id": "...", "priority": 1, "enabled": true,
//             "filter": {"shape": "and", "prefix": "photos/", "tags": [["k", "v"]]},
//             "destination": {"bucket": "arn:aws:s3:::backup", "account": "offsite",
//                             "storage_class": "STANDARD_IA", "replica_kms_key_id": "...",
//                             "owner_override": "Destination",
//                             "replication_time": {"enabled": true, "minutes": 15},
//                             "metrics": {"enabled": true, "minutes": 15}},
//             "delete_marker_replication": false, "existing_object_replication": true,
//             "sse_kms_encrypted_objects": false, "replica_modifications": false}]}
// Absent members are absent optionals.
#include <array>
#include <boost/json.hpp>
#include <utility>

#include "vault/replication_config.h"

namespace cv::vault {
namespace {

namespace json = boost::json;
using Shape = ReplicationFilter::Shape;

constexpr std::array<std::pair<Shape, std::string_view>, 5> kShapeNames = {{
    {Shape::kRulePrefix, "rule_prefix"},
    {Shape::kEmpty, "empty"},
    {Shape::kPrefix, "prefix"},
    {Shape::kTag, "tag"},
    {Shape::kAnd, "and"},
}};

// Thrown inside replication_from_json only, for a document to_json did not write.
struct BadDocument {};

template <class T>
void put_optional(json::object& out, std::string_view name, const std::optional<T>& value) {
  if (value) out[name] = *value;
}

json::object time_json(const ReplicationTimeSetting& setting) {
  json::object out;
  out["enabled"] = setting.enabled;
  put_optional(out, "minutes", setting.minutes);
  return out;
}

json::object rule_json(const ReplicationRule& rule) {
  json::object out;
  out["id"] = rule.id;
  put_optional(out, "priority", rule.priority);
  out["enabled"] = rule.enabled;
  json::object filter;
  for (const auto& [shape, name] : kShapeNames) {
    if (shape == rule.filter.shape) filter["shape"] = name;
  }
  filter["prefix"] = rule.filter.prefix;
  json::array tags;
  for (const auto& [key, value] : rule.filter.tags) tags.push_back(json::array{key, value});
  filter["tags"] = std::move(tags);
  out["filter"] = std::move(filter);
  const ReplicationDestination& d = rule.destination;
  json::object destination;
  destination["bucket"] = d.bucket_arn;
  if (!d.account.empty()) destination["account"] = d.account;
  if (!d.storage_class.empty()) destination["storage_class"] = d.storage_class;
  put_optional(destination, "replica_kms_key_id", d.replica_kms_key_id);
  put_optional(destination, "owner_override", d.owner_override);
  if (d.replication_time) destination["replication_time"] = time_json(*d.replication_time);
  if (d.metrics) destination["metrics"] = time_json(*d.metrics);
  out["destination"] = std::move(destination);
  put_optional(out, "delete_marker_replication", rule.delete_marker_replication);
  put_optional(out, "existing_object_replication", rule.existing_object_replication);
  put_optional(out, "sse_kms_encrypted_objects", rule.sse_kms_encrypted_objects);
  put_optional(out, "replica_modifications", rule.replica_modifications);
  return out;
}

const json::value& member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) throw BadDocument{};
  return *value;
}

std::string string_of(const json::value& value) {
  if (!value.is_string()) throw BadDocument{};
  return std::string(value.get_string());
}

const json::object& object_of(const json::value& value) {
  if (!value.is_object()) throw BadDocument{};
  return value.get_object();
}

std::optional<bool> optional_bool(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) throw BadDocument{};
  return value->get_bool();
}

std::optional<int32_t> optional_int(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_int64()) throw BadDocument{};
  return static_cast<int32_t>(value->get_int64());
}

std::optional<std::string> optional_string(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  return string_of(*value);
}

std::optional<ReplicationTimeSetting> optional_time(const json::object& object,
                                                    std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  const json::object& item = object_of(*value);
  ReplicationTimeSetting setting;
  setting.enabled = optional_bool(item, "enabled").value_or(false);
  setting.minutes = optional_int(item, "minutes");
  return setting;
}

ReplicationFilter filter_from(const json::object& object) {
  ReplicationFilter filter;
  const std::string shape = string_of(member(object, "shape"));
  bool known = false;
  for (const auto& [value, name] : kShapeNames) {
    if (name == shape) {
      filter.shape = value;
      known = true;
    }
  }
  if (!known) throw BadDocument{};
  filter.prefix = string_of(member(object, "prefix"));
  const json::value& tags = member(object, "tags");
  if (!tags.is_array()) throw BadDocument{};
  for (const json::value& tag : tags.get_array()) {
    if (!tag.is_array() || tag.get_array().size() != 2) throw BadDocument{};
    filter.tags.emplace_back(string_of(tag.get_array()[0]), string_of(tag.get_array()[1]));
  }
  return filter;
}

ReplicationRule rule_from(const json::object& object) {
  ReplicationRule rule;
  rule.id = string_of(member(object, "id"));
  rule.priority = optional_int(object, "priority");
  rule.enabled = optional_bool(object, "enabled").value_or(false);
  rule.filter = filter_from(object_of(member(object, "filter")));
  const json::object& d = object_of(member(object, "destination"));
  rule.destination.bucket_arn = string_of(member(d, "bucket"));
  rule.destination.account = optional_string(d, "account").value_or("");
  rule.destination.storage_class = optional_string(d, "storage_class").value_or("");
  rule.destination.replica_kms_key_id = optional_string(d, "replica_kms_key_id");
  rule.destination.owner_override = optional_string(d, "owner_override");
  rule.destination.replication_time = optional_time(d, "replication_time");
  rule.destination.metrics = optional_time(d, "metrics");
  rule.delete_marker_replication = optional_bool(object, "delete_marker_replication");
  rule.existing_object_replication = optional_bool(object, "existing_object_replication");
  rule.sse_kms_encrypted_objects = optional_bool(object, "sse_kms_encrypted_objects");
  rule.replica_modifications = optional_bool(object, "replica_modifications");
  return rule;
}

}  // namespace

std::string to_json(const ReplicationConfiguration& config) {
  json::object out;
  out["role"] = config.role;
  json::array rules;
  for (const ReplicationRule& rule : config.rules) rules.push_back(rule_json(rule));
  out["rules"] = std::move(rules);
  return json::serialize(out);
}

Result<ReplicationConfiguration> replication_from_json(std::string_view text) {
  const auto unreadable = [] {
    return fail(ErrorCode::kInternalError, "The stored replication configuration is unreadable");
  };
  boost::system::error_code error;
  const json::value document = json::parse(text, error);
  if (error || !document.is_object()) return unreadable();
  try {
    ReplicationConfiguration config;
    const json::object& object = document.get_object();
    config.role = string_of(member(object, "role"));
    const json::value& rules = member(object, "rules");
    if (!rules.is_array()) throw BadDocument{};
    for (const json::value& rule : rules.get_array()) {
      config.rules.push_back(rule_from(object_of(rule)));
    }
    return config;
  } catch (const BadDocument&) {
    return unreadable();
  }
}

}  // namespace cv::vault
