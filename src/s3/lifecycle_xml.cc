#include "s3/lifecycle_xml.h"

#include <charconv>
#include <limits>

#include "core/clock.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

using vault::LifecycleFilter;
using Shape = LifecycleFilter::Shape;

std::unexpected<Error> malformed() {
  return fail(ErrorCode::kMalformedXML,
              "The XML you provided was not well-formed or did not validate against our "
              "published schema");
}

// The text of a leaf element (MalformedXML when it has child elements).
Result<std::string> leaf_text(const pugi::xml_node& node) {
  for (const auto& child : node.children()) {
    if (child.type() == pugi::node_element) return malformed();
  }
  return std::string(node.text().get());
}

// A whole decimal number in [min, max]; MalformedXML otherwise (S3's schema types).
template <class T>
Result<T> leaf_number(const pugi::xml_node& node) {
  const std::string text = CV_TRY(leaf_text(node));
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return malformed();
  }
  return value;
}

Result<bool> leaf_bool(const pugi::xml_node& node) {
  const std::string text = CV_TRY(leaf_text(node));
  if (text == "true") return true;
  if (text == "false") return false;
  return malformed();
}

// ISO 8601 as S3 and its SDKs write it: "2025-01-01", "2025-01-01T00:00:00Z",
// "2025-01-01T00:00:00.000Z", or with a "+hh:mm"/"-hh:mm" offset.
Result<int64_t> leaf_date(const pugi::xml_node& node) {
  std::string text = CV_TRY(leaf_text(node));
  if (text.size() == 10) text += "T00:00:00Z";
  int64_t offset_ns = 0;
  if (text.size() > 6 && text.back() != 'Z') {
    const std::string_view zone = std::string_view(text).substr(text.size() - 6);
    int hours = 0;
    int minutes = 0;
    if ((zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        std::from_chars(zone.data() + 1, zone.data() + 3, hours).ptr != zone.data() + 3 ||
        std::from_chars(zone.data() + 4, zone.data() + 6, minutes).ptr != zone.data() + 6) {
      return malformed();
    }
    offset_ns = (hours * 60 + minutes) * 60'000'000'000LL * (zone[0] == '+' ? 1 : -1);
    text.resize(text.size() - 6);
    text += 'Z';
  }
  const auto time = parse_iso8601(text);
  if (!time) return malformed();
  return to_unix_nanos(*time) - offset_ns;
}

// Sets `slot` from the element, MalformedXML when the element was already seen.
template <class T, class Parse>
Status once(std::optional<T>& slot, const pugi::xml_node& node, Parse parse) {
  if (slot) return malformed();
  slot = CV_TRY(parse(node));
  return {};
}

// Calls `visit(name, node)` for each child element; MalformedXML for stray text.
template <class Visit>
Status each_child(const pugi::xml_node& parent, Visit visit) {
  for (const auto& node : parent.children()) {
    if (node.type() != pugi::node_element) return malformed();
    CV_TRY(visit(local_name(node), node));
  }
  return {};
}

Result<std::pair<std::string, std::string>> parse_tag(const pugi::xml_node& tag) {
  std::optional<std::string> key;
  std::optional<std::string> value;
  CV_TRY(each_child(tag, [&](std::string_view name, const pugi::xml_node& node) -> Status {
    if (name == "Key") return once(key, node, leaf_text);
    if (name == "Value") return once(value, node, leaf_text);
    return malformed();
  }));
  if (!key) return malformed();
  return std::pair{std::move(*key), value.value_or("")};
}

Status parse_and(const pugi::xml_node& node, LifecycleFilter& filter) {
  std::optional<std::string> prefix;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Prefix") return once(prefix, child, leaf_text);
    if (name == "Tag") {
      filter.tags.push_back(CV_TRY(parse_tag(child)));
      return {};
    }
    if (name == "ObjectSizeGreaterThan") {
      return once(filter.object_size_greater_than, child, leaf_number<uint64_t>);
    }
    if (name == "ObjectSizeLessThan") {
      return once(filter.object_size_less_than, child, leaf_number<uint64_t>);
    }
    return malformed();
  }));
  filter.prefix = prefix.value_or("");
  return {};
}

Result<LifecycleFilter> parse_filter(const pugi::xml_node& node) {
  LifecycleFilter filter;
  filter.shape = Shape::kEmpty;
  int conditions = 0;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (++conditions > 1) return malformed();  // two conditions need <And>
    if (name == "Prefix") {
      filter.shape = Shape::kPrefix;
      filter.prefix = CV_TRY(leaf_text(child));
    } else if (name == "Tag") {
      filter.shape = Shape::kTag;
      filter.tags.push_back(CV_TRY(parse_tag(child)));
    } else if (name == "ObjectSizeGreaterThan") {
      filter.shape = Shape::kSizeGreater;
      filter.object_size_greater_than = CV_TRY(leaf_number<uint64_t>(child));
    } else if (name == "ObjectSizeLessThan") {
      filter.shape = Shape::kSizeLess;
      filter.object_size_less_than = CV_TRY(leaf_number<uint64_t>(child));
    } else if (name == "And") {
      filter.shape = Shape::kAnd;
      CV_TRY(parse_and(child, filter));
    } else {
      return malformed();
    }
    return {};
  }));
  return filter;
}

Result<vault::LifecycleTransition> parse_transition(const pugi::xml_node& node) {
  vault::LifecycleTransition transition;
  std::optional<std::string> storage_class;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Days") return once(transition.days, child, leaf_number<int32_t>);
    if (name == "Date") return once(transition.date_ns, child, leaf_date);
    if (name == "StorageClass") return once(storage_class, child, leaf_text);
    return malformed();
  }));
  if (!storage_class) return malformed();
  transition.storage_class = std::move(*storage_class);
  return transition;
}

Result<vault::LifecycleExpiration> parse_expiration(const pugi::xml_node& node) {
  vault::LifecycleExpiration expiration;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Days") return once(expiration.days, child, leaf_number<int32_t>);
    if (name == "Date") return once(expiration.date_ns, child, leaf_date);
    if (name == "ExpiredObjectDeleteMarker") {
      return once(expiration.expired_object_delete_marker, child, leaf_bool);
    }
    return malformed();
  }));
  return expiration;
}

Result<vault::NoncurrentTransition> parse_noncurrent_transition(const pugi::xml_node& node) {
  std::optional<int32_t> days;
  std::optional<std::string> storage_class;
  vault::NoncurrentTransition transition;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "NoncurrentDays") return once(days, child, leaf_number<int32_t>);
    if (name == "StorageClass") return once(storage_class, child, leaf_text);
    if (name == "NewerNoncurrentVersions") {
      return once(transition.newer_noncurrent_versions, child, leaf_number<int32_t>);
    }
    return malformed();
  }));
  if (!days || !storage_class) return malformed();
  transition.noncurrent_days = *days;
  transition.storage_class = std::move(*storage_class);
  return transition;
}

Result<vault::NoncurrentExpiration> parse_noncurrent_expiration(const pugi::xml_node& node) {
  std::optional<int32_t> days;
  vault::NoncurrentExpiration expiration;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "NoncurrentDays") return once(days, child, leaf_number<int32_t>);
    if (name == "NewerNoncurrentVersions") {
      return once(expiration.newer_noncurrent_versions, child, leaf_number<int32_t>);
    }
    return malformed();
  }));
  if (!days) return malformed();
  expiration.noncurrent_days = *days;
  return expiration;
}

Result<int32_t> parse_abort(const pugi::xml_node& node) {
  std::optional<int32_t> days;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "DaysAfterInitiation") return once(days, child, leaf_number<int32_t>);
    return malformed();
  }));
  if (!days) return malformed();
  return *days;
}

Result<vault::LifecycleRule> parse_rule(const pugi::xml_node& node) {
  vault::LifecycleRule rule;
  std::optional<std::string> id;
  std::optional<std::string> status;
  std::optional<std::string> rule_prefix;
  std::optional<LifecycleFilter> filter;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "ID") return once(id, child, leaf_text);
    if (name == "Status") return once(status, child, leaf_text);
    if (name == "Prefix") return once(rule_prefix, child, leaf_text);
    if (name == "Filter") return once(filter, child, parse_filter);
    if (name == "Transition") {
      rule.transitions.push_back(CV_TRY(parse_transition(child)));
      return {};
    }
    if (name == "Expiration") return once(rule.expiration, child, parse_expiration);
    if (name == "NoncurrentVersionTransition") {
      rule.noncurrent_transitions.push_back(CV_TRY(parse_noncurrent_transition(child)));
      return {};
    }
    if (name == "NoncurrentVersionExpiration") {
      return once(rule.noncurrent_expiration, child, parse_noncurrent_expiration);
    }
    if (name == "AbortIncompleteMultipartUpload") {
      return once(rule.abort_incomplete_multipart_days, child, parse_abort);
    }
    return malformed();
  }));
  if (!status || (*status != "Enabled" && *status != "Disabled")) return malformed();
  if (rule_prefix.has_value() == filter.has_value()) return malformed();
  rule.enabled = *status == "Enabled";
  rule.id = id && !id->empty() ? std::move(*id) : vault::new_lifecycle_rule_id();
  if (filter) {
    rule.filter = std::move(*filter);
  } else {
    rule.filter.shape = Shape::kRulePrefix;
    rule.filter.prefix = std::move(*rule_prefix);
  }
  return rule;
}

// ---- Writing ------------------------------------------------------------------------------

std::string date_text(int64_t date_ns) { return format_iso8601(from_unix_nanos(date_ns)); }

void add_tag(pugi::xml_node parent, const std::pair<std::string, std::string>& tag) {
  auto node = parent.append_child("Tag");
  add_text(node, "Key", tag.first);
  add_text(node, "Value", tag.second);
}

void add_filter(pugi::xml_node rule, const LifecycleFilter& filter) {
  if (filter.shape == Shape::kRulePrefix) {
    add_text(rule, "Prefix", filter.prefix);
    return;
  }
  auto node = rule.append_child("Filter");
  switch (filter.shape) {
    case Shape::kRulePrefix:
    case Shape::kEmpty:
      break;
    case Shape::kPrefix:
      add_text(node, "Prefix", filter.prefix);
      break;
    case Shape::kTag:
      if (!filter.tags.empty()) add_tag(node, filter.tags.front());
      break;
    case Shape::kSizeGreater:
      add_text(node, "ObjectSizeGreaterThan",
               std::to_string(filter.object_size_greater_than.value_or(0)));
      break;
    case Shape::kSizeLess:
      add_text(node, "ObjectSizeLessThan",
               std::to_string(filter.object_size_less_than.value_or(0)));
      break;
    case Shape::kAnd: {
      auto conditions = node.append_child("And");
      if (!filter.prefix.empty()) add_text(conditions, "Prefix", filter.prefix);
      for (const auto& tag : filter.tags) add_tag(conditions, tag);
      if (filter.object_size_greater_than) {
        add_text(conditions, "ObjectSizeGreaterThan",
                 std::to_string(*filter.object_size_greater_than));
      }
      if (filter.object_size_less_than) {
        add_text(conditions, "ObjectSizeLessThan", std::to_string(*filter.object_size_less_than));
      }
      break;
    }
  }
}

void add_rule(pugi::xml_node root, const vault::LifecycleRule& rule) {
  auto node = root.append_child("Rule");
  add_text(node, "ID", rule.id);
  add_filter(node, rule.filter);
  add_text(node, "Status", rule.enabled ? "Enabled" : "Disabled");
  for (const auto& transition : rule.transitions) {
    auto item = node.append_child("Transition");
    if (transition.days) add_text(item, "Days", std::to_string(*transition.days));
    if (transition.date_ns) add_text(item, "Date", date_text(*transition.date_ns));
    add_text(item, "StorageClass", transition.storage_class);
  }
  if (rule.expiration) {
    auto item = node.append_child("Expiration");
    if (rule.expiration->days) add_text(item, "Days", std::to_string(*rule.expiration->days));
    if (rule.expiration->date_ns) add_text(item, "Date", date_text(*rule.expiration->date_ns));
    if (rule.expiration->expired_object_delete_marker) {
      add_text(item, "ExpiredObjectDeleteMarker",
               *rule.expiration->expired_object_delete_marker ? "true" : "false");
    }
  }
  for (const auto& transition : rule.noncurrent_transitions) {
    auto item = node.append_child("NoncurrentVersionTransition");
    add_text(item, "NoncurrentDays", std::to_string(transition.noncurrent_days));
    add_text(item, "StorageClass", transition.storage_class);
    if (transition.newer_noncurrent_versions) {
      add_text(item, "NewerNoncurrentVersions",
               std::to_string(*transition.newer_noncurrent_versions));
    }
  }
  if (rule.noncurrent_expiration) {
    auto item = node.append_child("NoncurrentVersionExpiration");
    add_text(item, "NoncurrentDays", std::to_string(rule.noncurrent_expiration->noncurrent_days));
    if (rule.noncurrent_expiration->newer_noncurrent_versions) {
      add_text(item, "NewerNoncurrentVersions",
               std::to_string(*rule.noncurrent_expiration->newer_noncurrent_versions));
    }
  }
  if (rule.abort_incomplete_multipart_days) {
    auto item = node.append_child("AbortIncompleteMultipartUpload");
    add_text(item, "DaysAfterInitiation", std::to_string(*rule.abort_incomplete_multipart_days));
  }
}

}  // namespace

Result<vault::LifecycleConfiguration> parse_lifecycle_configuration(std::string_view xml) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, xml, "LifecycleConfiguration",
                                        XmlLimits{.max_elements = 30'000}));
  vault::LifecycleConfiguration config;
  CV_TRY(each_child(root, [&](std::string_view name, const pugi::xml_node& node) -> Status {
    if (name != "Rule") return malformed();
    config.rules.push_back(CV_TRY(parse_rule(node)));
    return {};
  }));
  return config;
}

std::string lifecycle_configuration_xml(const vault::LifecycleConfiguration& config) {
  XmlWriter xml("LifecycleConfiguration");
  for (const auto& rule : config.rules) add_rule(xml.root(), rule);
  return xml.str();
}

}  // namespace cv::s3
