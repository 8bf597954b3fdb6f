// The stored form of a lifecycle configuration (bucket config kind "lifecycle"), Boost.JSON.
//
// {"transition_minimum_size": "all_storage_classes_128K",
//  "rules": [{"id": "...", "enabled": true,
//             "filter": {"shape": "and", "prefix": "logs/", "tags": [["k", "v"]],
//                        "size_greater_than": 0, "size_less_than": 10},
//             "transitions": [{"days": 30, "storage_class": "STANDARD_IA"}],
//             "expiration": {"days": 365} | {"date_ns": ...} | {"expired_object_delete_marker":
//             true}, "noncurrent_transitions": [{"noncurrent_days": 30, "storage_class": "GLACIER",
//                                         "newer_noncurrent_versions": 2}],
//             "noncurrent_expiration": {"noncurrent_days": 90, "newer_noncurrent_versions": 2},
//             "abort_incomplete_multipart_days": 7}]}
// Absent members are absent optionals.
#include <array>
#include <boost/json.hpp>
#include <utility>

#include "vault/lifecycle_rules.h"

namespace cv::vault {
namespace {

namespace json = boost::json;
using Shape = LifecycleFilter::Shape;

constexpr std::array<std::pair<Shape, std::string_view>, 7> kShapeNames = {{
    {Shape::kRulePrefix, "rule_prefix"},
    {Shape::kEmpty, "empty"},
    {Shape::kPrefix, "prefix"},
    {Shape::kTag, "tag"},
    {Shape::kSizeGreater, "size_greater_than"},
    {Shape::kSizeLess, "size_less_than"},
    {Shape::kAnd, "and"},
}};

std::string_view shape_name(Shape shape) {
  for (const auto& [value, name] : kShapeNames) {
    if (value == shape) return name;
  }
  return "empty";
}

// Thrown inside lifecycle_from_json only, for a document to_json did not write.
struct BadDocument {};

template <class T>
void put_optional(json::object& out, std::string_view name, const std::optional<T>& value) {
  if (value) out[name] = *value;
}

json::object filter_json(const LifecycleFilter& filter) {
  json::object out;
  out["shape"] = shape_name(filter.shape);
  out["prefix"] = filter.prefix;
  json::array tags;
  for (const auto& [key, value] : filter.tags) tags.push_back(json::array{key, value});
  out["tags"] = std::move(tags);
  put_optional(out, "size_greater_than", filter.object_size_greater_than);
  put_optional(out, "size_less_than", filter.object_size_less_than);
  return out;
}

json::object rule_json(const LifecycleRule& rule) {
  json::object out;
  out["id"] = rule.id;
  out["enabled"] = rule.enabled;
  out["filter"] = filter_json(rule.filter);
  json::array transitions;
  for (const LifecycleTransition& transition : rule.transitions) {
    json::object item;
    put_optional(item, "days", transition.days);
    put_optional(item, "date_ns", transition.date_ns);
    item["storage_class"] = transition.storage_class;
    transitions.push_back(std::move(item));
  }
  out["transitions"] = std::move(transitions);
  if (rule.expiration) {
    json::object item;
    put_optional(item, "days", rule.expiration->days);
    put_optional(item, "date_ns", rule.expiration->date_ns);
    put_optional(item, "expired_object_delete_marker",
                 rule.expiration->expired_object_delete_marker);
    out["expiration"] = std::move(item);
  }
  json::array noncurrent_transitions;
  for (const NoncurrentTransition& transition : rule.noncurrent_transitions) {
    json::object item;
    item["noncurrent_days"] = transition.noncurrent_days;
    item["storage_class"] = transition.storage_class;
    put_optional(item, "newer_noncurrent_versions", transition.newer_noncurrent_versions);
    noncurrent_transitions.push_back(std::move(item));
  }
  out["noncurrent_transitions"] = std::move(noncurrent_transitions);
  if (rule.noncurrent_expiration) {
    json::object item;
    item["noncurrent_days"] = rule.noncurrent_expiration->noncurrent_days;
    put_optional(item, "newer_noncurrent_versions",
                 rule.noncurrent_expiration->newer_noncurrent_versions);
    out["noncurrent_expiration"] = std::move(item);
  }
  put_optional(out, "abort_incomplete_multipart_days", rule.abort_incomplete_multipart_days);
  return out;
}

// ---- Reading ------------------------------------------------------------------------------

const json::object& as_object(const json::value* value) {
  if (value == nullptr || !value->is_object()) throw BadDocument{};
  return value->get_object();
}

const json::array& as_array(const json::value* value) {
  if (value == nullptr || !value->is_array()) throw BadDocument{};
  return value->get_array();
}

std::string as_string(const json::value* value) {
  if (value == nullptr || !value->is_string()) throw BadDocument{};
  return std::string(value->get_string());
}

template <class T>
T as_number(const json::value* value) {
  if (value == nullptr) throw BadDocument{};
  json::error_code error;
  const T number = value->to_number<T>(error);
  if (error) throw BadDocument{};
  return number;
}

template <class T>
std::optional<T> optional_number(const json::object& in, std::string_view name) {
  const json::value* value = in.if_contains(name);
  if (value == nullptr) return std::nullopt;
  return as_number<T>(value);
}

LifecycleFilter read_filter(const json::object& in) {
  LifecycleFilter filter;
  const std::string shape = as_string(in.if_contains("shape"));
  bool known = false;
  for (const auto& [value, name] : kShapeNames) {
    if (name == shape) {
      filter.shape = value;
      known = true;
    }
  }
  if (!known) throw BadDocument{};
  filter.prefix = as_string(in.if_contains("prefix"));
  for (const json::value& tag : as_array(in.if_contains("tags"))) {
    const json::array& pair = as_array(&tag);
    if (pair.size() != 2) throw BadDocument{};
    filter.tags.emplace_back(as_string(&pair[0]), as_string(&pair[1]));
  }
  filter.object_size_greater_than = optional_number<uint64_t>(in, "size_greater_than");
  filter.object_size_less_than = optional_number<uint64_t>(in, "size_less_than");
  return filter;
}

LifecycleRule read_rule(const json::object& in) {
  LifecycleRule rule;
  rule.id = as_string(in.if_contains("id"));
  const json::value* enabled = in.if_contains("enabled");
  if (enabled == nullptr || !enabled->is_bool()) throw BadDocument{};
  rule.enabled = enabled->get_bool();
  rule.filter = read_filter(as_object(in.if_contains("filter")));
  for (const json::value& value : as_array(in.if_contains("transitions"))) {
    const json::object& item = as_object(&value);
    LifecycleTransition transition;
    transition.days = optional_number<int32_t>(item, "days");
    transition.date_ns = optional_number<int64_t>(item, "date_ns");
    transition.storage_class = as_string(item.if_contains("storage_class"));
    rule.transitions.push_back(std::move(transition));
  }
  if (const json::value* value = in.if_contains("expiration")) {
    const json::object& item = as_object(value);
    LifecycleExpiration expiration;
    expiration.days = optional_number<int32_t>(item, "days");
    expiration.date_ns = optional_number<int64_t>(item, "date_ns");
    if (const json::value* marker = item.if_contains("expired_object_delete_marker")) {
      if (!marker->is_bool()) throw BadDocument{};
      expiration.expired_object_delete_marker = marker->get_bool();
    }
    rule.expiration = expiration;
  }
  for (const json::value& value : as_array(in.if_contains("noncurrent_transitions"))) {
    const json::object& item = as_object(&value);
    NoncurrentTransition transition;
    transition.noncurrent_days = as_number<int32_t>(item.if_contains("noncurrent_days"));
    transition.storage_class = as_string(item.if_contains("storage_class"));
    transition.newer_noncurrent_versions =
        optional_number<int32_t>(item, "newer_noncurrent_versions");
    rule.noncurrent_transitions.push_back(std::move(transition));
  }
  if (const json::value* value = in.if_contains("noncurrent_expiration")) {
    const json::object& item = as_object(value);
    NoncurrentExpiration expiration;
    expiration.noncurrent_days = as_number<int32_t>(item.if_contains("noncurrent_days"));
    expiration.newer_noncurrent_versions =
        optional_number<int32_t>(item, "newer_noncurrent_versions");
    rule.noncurrent_expiration = expiration;
  }
  rule.abort_incomplete_multipart_days =
      optional_number<int32_t>(in, "abort_incomplete_multipart_days");
  return rule;
}

}  // namespace

std::string to_json(const LifecycleConfiguration& config) {
  json::object out;
  out["transition_minimum_size"] = transition_minimum_size_name(config.transition_minimum_size);
  json::array rules;
  for (const LifecycleRule& rule : config.rules) rules.push_back(rule_json(rule));
  out["rules"] = std::move(rules);
  return json::serialize(out);
}

Result<LifecycleConfiguration> lifecycle_from_json(std::string_view text) {
  json::error_code error;
  const json::value document = json::parse(text, error);
  if (error) {
    return fail(ErrorCode::kInternalError,
                "Stored lifecycle configuration is not JSON: " + error.message());
  }
  try {
    const json::object& root = as_object(&document);
    LifecycleConfiguration config;
    const auto minimum =
        parse_transition_minimum_size(as_string(root.if_contains("transition_minimum_size")));
    if (!minimum) throw BadDocument{};
    config.transition_minimum_size = *minimum;
    for (const json::value& rule : as_array(root.if_contains("rules"))) {
      config.rules.push_back(read_rule(as_object(&rule)));
    }
    return config;
  } catch (const BadDocument&) {
    return fail(ErrorCode::kInternalError, "Stored lifecycle configuration is not readable");
  }
}

}  // namespace cv::vault
