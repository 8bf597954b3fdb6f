#include "s3/notification_xml.h"

#include <optional>

#include "core/encoding.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

using vault::NotificationKind;
using vault::NotificationRule;

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

// Calls `visit(name, node)` for each child element; MalformedXML for stray text.
template <class Visit>
Status each_child(const pugi::xml_node& parent, Visit visit) {
  for (const auto& node : parent.children()) {
    if (node.type() != pugi::node_element) return malformed();
    CV_TRY(visit(local_name(node), node));
  }
  return {};
}

Status once(std::optional<std::string>& slot, const pugi::xml_node& node) {
  if (slot) return malformed();
  slot = CV_TRY(leaf_text(node));
  return {};
}

Status parse_filter_rule(const pugi::xml_node& node, std::optional<std::string>& prefix,
                         std::optional<std::string>& suffix) {
  std::optional<std::string> name;
  std::optional<std::string> value;
  CV_TRY(each_child(node, [&](std::string_view element, const pugi::xml_node& child) -> Status {
    if (element == "Name") return once(name, child);
    if (element == "Value") return once(value, child);
    return malformed();
  }));
  if (!name || !value) return malformed();
  const std::string lowered = to_lower(*name);
  if (lowered != "prefix" && lowered != "suffix") {
    return fail(ErrorCode::kInvalidArgument, "filter rule name must be either prefix or suffix");
  }
  std::optional<std::string>& slot = lowered == "prefix" ? prefix : suffix;
  if (slot) {
    return fail(ErrorCode::kInvalidArgument,
                "Cannot specify more than one " + lowered + " rule in a filter.");
  }
  slot = std::move(*value);
  return {};
}

Status parse_filter(const pugi::xml_node& node, NotificationRule& rule) {
  std::optional<std::string> prefix;
  std::optional<std::string> suffix;
  bool seen_key = false;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& key) -> Status {
    if (name != "S3Key" || seen_key) return malformed();
    seen_key = true;
    return each_child(key, [&](std::string_view element, const pugi::xml_node& child) -> Status {
      if (element != "FilterRule") return malformed();
      return parse_filter_rule(child, prefix, suffix);
    });
  }));
  rule.prefix = prefix.value_or("");
  rule.suffix = suffix.value_or("");
  return {};
}

Result<NotificationRule> parse_rule(const pugi::xml_node& node, NotificationKind kind,
                                    std::string_view arn_element) {
  NotificationRule rule;
  rule.kind = kind;
  std::optional<std::string> id;
  std::optional<std::string> arn;
  bool seen_filter = false;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Id") return once(id, child);
    if (name == arn_element) return once(arn, child);
    if (name == "Event") {
      rule.events.push_back(CV_TRY(leaf_text(child)));
      return {};
    }
    if (name == "Filter") {
      if (seen_filter) return malformed();
      seen_filter = true;
      return parse_filter(child, rule);
    }
    return malformed();
  }));
  if (!arn) return malformed();
  rule.id = id && !id->empty() ? std::move(*id) : vault::new_notification_rule_id();
  rule.arn = std::move(*arn);
  rule.target = vault::notification_target_name(kind, rule.arn);
  return rule;
}

std::string_view element_of(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kTopic:
      return "TopicConfiguration";
    case NotificationKind::kQueue:
      return "QueueConfiguration";
    case NotificationKind::kFunction:
      return "CloudFunctionConfiguration";
  }
  return "QueueConfiguration";
}

std::string_view arn_element_of(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kTopic:
      return "Topic";
    case NotificationKind::kQueue:
      return "Queue";
    case NotificationKind::kFunction:
      return "CloudFunction";
  }
  return "Queue";
}

void add_filter_rule(pugi::xml_node key, std::string_view name, std::string_view value) {
  auto rule = key.append_child("FilterRule");
  add_text(rule, "Name", name);
  add_text(rule, "Value", value);
}

void add_rule(pugi::xml_node root, const NotificationRule& rule) {
  auto node = root.append_child(std::string(element_of(rule.kind)).c_str());
  add_text(node, "Id", rule.id);
  add_text(node, arn_element_of(rule.kind), rule.arn);
  for (const std::string& event : rule.events) add_text(node, "Event", event);
  if (!rule.prefix.empty() || !rule.suffix.empty()) {
    auto key = node.append_child("Filter").append_child("S3Key");
    if (!rule.prefix.empty()) add_filter_rule(key, "Prefix", rule.prefix);
    if (!rule.suffix.empty()) add_filter_rule(key, "Suffix", rule.suffix);
  }
}

}  // namespace

Result<vault::NotificationConfiguration> parse_notification_configuration(std::string_view xml) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, xml, "NotificationConfiguration"));
  vault::NotificationConfiguration config;
  CV_TRY(each_child(root, [&](std::string_view name, const pugi::xml_node& node) -> Status {
    for (NotificationKind kind :
         {NotificationKind::kTopic, NotificationKind::kQueue, NotificationKind::kFunction}) {
      if (name == element_of(kind)) {
        config.rules.push_back(CV_TRY(parse_rule(node, kind, arn_element_of(kind))));
        return {};
      }
    }
    if (name == "EventBridgeConfiguration") {
      if (config.event_bridge || node.first_child()) return malformed();
      config.event_bridge = true;
      return {};
    }
    return malformed();
  }));
  return config;
}

std::string notification_configuration_xml(const vault::NotificationConfiguration& config) {
  XmlWriter xml("NotificationConfiguration");
  for (NotificationKind kind :
       {NotificationKind::kTopic, NotificationKind::kQueue, NotificationKind::kFunction}) {
    for (const NotificationRule& rule : config.rules) {
      if (rule.kind == kind) add_rule(xml.root(), rule);
    }
  }
  if (config.event_bridge) xml.root().append_child("EventBridgeConfiguration");
  return xml.str();
}

}  // namespace cv::s3
