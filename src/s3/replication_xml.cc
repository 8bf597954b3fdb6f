#include "s3/replication_xml.h"

#include <charconv>

#include "s3/xml.h"

namespace cv::s3 {
namespace {

using vault::ReplicationDestination;
using vault::ReplicationFilter;
using vault::ReplicationRule;
using vault::ReplicationTimeSetting;
using Shape = ReplicationFilter::Shape;

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

// A whole decimal int (S3's schema type); MalformedXML otherwise.
Result<int32_t> leaf_int(const pugi::xml_node& node) {
  const std::string text = CV_TRY(leaf_text(node));
  int32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return malformed();
  }
  return value;
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
    if (node.type() == pugi::node_comment) continue;
    if (node.type() != pugi::node_element) return malformed();
    CV_TRY(visit(local_name(node), node));
  }
  return {};
}

// <X><Status>Enabled|Disabled</Status></X> -> true / false.
Result<bool> status_element(const pugi::xml_node& node) {
  std::optional<std::string> status;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Status") return once(status, child, leaf_text);
    return malformed();
  }));
  if (status == "Enabled") return true;
  if (status == "Disabled") return false;
  return malformed();
}

Result<std::pair<std::string, std::string>> parse_tag(const pugi::xml_node& tag) {
  std::optional<std::string> key;
  std::optional<std::string> value;
  CV_TRY(each_child(tag, [&](std::string_view name, const pugi::xml_node& node) -> Status {
    if (name == "Key") return once(key, node, leaf_text);
    if (name == "Value") return once(value, node, leaf_text);
    return malformed();
  }));
  if (!key || !value) return malformed();
  return std::pair{std::move(*key), std::move(*value)};
}

Result<ReplicationFilter> parse_filter(const pugi::xml_node& node) {
  ReplicationFilter filter;
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
    } else if (name == "And") {
      filter.shape = Shape::kAnd;
      std::optional<std::string> prefix;
      CV_TRY(each_child(child, [&](std::string_view inner, const pugi::xml_node& item) -> Status {
        if (inner == "Prefix") return once(prefix, item, leaf_text);
        if (inner == "Tag") {
          filter.tags.push_back(CV_TRY(parse_tag(item)));
          return {};
        }
        return malformed();
      }));
      filter.prefix = prefix.value_or("");
    } else {
      return malformed();
    }
    return {};
  }));
  return filter;
}

// <ReplicationTime><Status/><Time><Minutes/></Time></ReplicationTime> and
// <Metrics><Status/><EventThreshold><Minutes/></EventThreshold></Metrics>.
Result<ReplicationTimeSetting> parse_time_setting(const pugi::xml_node& node,
                                                  std::string_view inner_name) {
  std::optional<std::string> status;
  ReplicationTimeSetting setting;
  bool seen_inner = false;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Status") return once(status, child, leaf_text);
    if (name == inner_name && !seen_inner) {
      seen_inner = true;
      return each_child(child, [&](std::string_view leaf, const pugi::xml_node& item) -> Status {
        if (leaf == "Minutes") return once(setting.minutes, item, leaf_int);
        return malformed();
      });
    }
    return malformed();
  }));
  if (status != "Enabled" && status != "Disabled") return malformed();
  setting.enabled = status == "Enabled";
  return setting;
}

Result<ReplicationDestination> parse_destination(const pugi::xml_node& node) {
  ReplicationDestination destination;
  std::optional<std::string> bucket;
  std::optional<std::string> account;
  std::optional<std::string> storage_class;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "Bucket") return once(bucket, child, leaf_text);
    if (name == "Account") return once(account, child, leaf_text);
    if (name == "StorageClass") return once(storage_class, child, leaf_text);
    if (name == "AccessControlTranslation") {
      return once(
          destination.owner_override, child, [](const pugi::xml_node& item) -> Result<std::string> {
            std::optional<std::string> owner;
            CV_TRY(
                each_child(item, [&](std::string_view leaf, const pugi::xml_node& value) -> Status {
                  if (leaf == "Owner") return once(owner, value, leaf_text);
                  return malformed();
                }));
            if (!owner) return malformed();
            return std::move(*owner);
          });
    }
    if (name == "EncryptionConfiguration") {
      if (destination.replica_kms_key_id) return malformed();
      std::optional<std::string> key_id;
      CV_TRY(each_child(child, [&](std::string_view leaf, const pugi::xml_node& value) -> Status {
        if (leaf == "ReplicaKmsKeyID") return once(key_id, value, leaf_text);
        return malformed();
      }));
      destination.replica_kms_key_id = key_id.value_or("");
      return {};
    }
    if (name == "ReplicationTime") {
      return once(destination.replication_time, child,
                  [](const pugi::xml_node& item) { return parse_time_setting(item, "Time"); });
    }
    if (name == "Metrics") {
      return once(destination.metrics, child, [](const pugi::xml_node& item) {
        return parse_time_setting(item, "EventThreshold");
      });
    }
    return malformed();
  }));
  if (!bucket) return malformed();
  destination.bucket_arn = std::move(*bucket);
  destination.account = account.value_or("");
  destination.storage_class = storage_class.value_or("");
  return destination;
}

Status parse_source_selection(const pugi::xml_node& node, ReplicationRule& rule) {
  return each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "SseKmsEncryptedObjects") {
      return once(rule.sse_kms_encrypted_objects, child, status_element);
    }
    if (name == "ReplicaModifications") {
      return once(rule.replica_modifications, child, status_element);
    }
    return malformed();
  });
}

Result<ReplicationRule> parse_rule(const pugi::xml_node& node) {
  ReplicationRule rule;
  std::optional<std::string> id;
  std::optional<std::string> status;
  std::optional<std::string> rule_prefix;
  std::optional<ReplicationFilter> filter;
  std::optional<ReplicationDestination> destination;
  bool seen_selection = false;
  CV_TRY(each_child(node, [&](std::string_view name, const pugi::xml_node& child) -> Status {
    if (name == "ID") return once(id, child, leaf_text);
    if (name == "Priority") return once(rule.priority, child, leaf_int);
    if (name == "Status") return once(status, child, leaf_text);
    if (name == "Prefix") return once(rule_prefix, child, leaf_text);
    if (name == "Filter") return once(filter, child, parse_filter);
    if (name == "Destination") return once(destination, child, parse_destination);
    if (name == "DeleteMarkerReplication") {
      return once(rule.delete_marker_replication, child, status_element);
    }
    if (name == "ExistingObjectReplication") {
      return once(rule.existing_object_replication, child, status_element);
    }
    if (name == "SourceSelectionCriteria" && !seen_selection) {
      seen_selection = true;
      return parse_source_selection(child, rule);
    }
    return malformed();
  }));
  if (status != "Enabled" && status != "Disabled") return malformed();
  if (rule_prefix && filter) return malformed();
  if (!destination) return malformed();
  rule.enabled = *status == "Enabled";
  rule.id = id && !id->empty() ? std::move(*id) : vault::new_replication_rule_id();
  rule.destination = std::move(*destination);
  if (filter) {
    rule.filter = std::move(*filter);
  } else {
    rule.filter.shape = Shape::kRulePrefix;
    rule.filter.prefix = rule_prefix.value_or("");
  }
  return rule;
}

// ---- Writing ------------------------------------------------------------------------------

void add_status(pugi::xml_node parent, std::string_view name, bool enabled) {
  add_text(parent.append_child(std::string(name).c_str()), "Status",
           enabled ? "Enabled" : "Disabled");
}

void add_tag(pugi::xml_node parent, const std::pair<std::string, std::string>& tag) {
  auto node = parent.append_child("Tag");
  add_text(node, "Key", tag.first);
  add_text(node, "Value", tag.second);
}

void add_filter(pugi::xml_node rule, const ReplicationFilter& filter) {
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
    case Shape::kAnd: {
      auto conditions = node.append_child("And");
      if (!filter.prefix.empty()) add_text(conditions, "Prefix", filter.prefix);
      for (const auto& tag : filter.tags) add_tag(conditions, tag);
      break;
    }
  }
}

void add_time_setting(pugi::xml_node parent, const char* name, const char* inner,
                      const ReplicationTimeSetting& setting) {
  auto node = parent.append_child(name);
  add_text(node, "Status", setting.enabled ? "Enabled" : "Disabled");
  if (setting.minutes) {
    add_text(node.append_child(inner), "Minutes", std::to_string(*setting.minutes));
  }
}

void add_destination(pugi::xml_node rule, const ReplicationDestination& destination) {
  auto node = rule.append_child("Destination");
  add_text(node, "Bucket", destination.bucket_arn);
  if (!destination.account.empty()) add_text(node, "Account", destination.account);
  if (!destination.storage_class.empty()) {
    add_text(node, "StorageClass", destination.storage_class);
  }
  if (destination.owner_override) {
    add_text(node.append_child("AccessControlTranslation"), "Owner", *destination.owner_override);
  }
  if (destination.replica_kms_key_id) {
    add_text(node.append_child("EncryptionConfiguration"), "ReplicaKmsKeyID",
             *destination.replica_kms_key_id);
  }
  if (destination.replication_time) {
    add_time_setting(node, "ReplicationTime", "Time", *destination.replication_time);
  }
  if (destination.metrics)
    add_time_setting(node, "Metrics", "EventThreshold", *destination.metrics);
}

void add_rule(pugi::xml_node root, const ReplicationRule& rule) {
  auto node = root.append_child("Rule");
  add_text(node, "ID", rule.id);
  if (rule.priority) add_text(node, "Priority", std::to_string(*rule.priority));
  add_filter(node, rule.filter);
  add_text(node, "Status", rule.enabled ? "Enabled" : "Disabled");
  if (rule.sse_kms_encrypted_objects || rule.replica_modifications) {
    auto selection = node.append_child("SourceSelectionCriteria");
    if (rule.sse_kms_encrypted_objects) {
      add_status(selection, "SseKmsEncryptedObjects", *rule.sse_kms_encrypted_objects);
    }
    if (rule.replica_modifications) {
      add_status(selection, "ReplicaModifications", *rule.replica_modifications);
    }
  }
  if (rule.existing_object_replication) {
    add_status(node, "ExistingObjectReplication", *rule.existing_object_replication);
  }
  add_destination(node, rule.destination);
  if (rule.delete_marker_replication) {
    add_status(node, "DeleteMarkerReplication", *rule.delete_marker_replication);
  }
}

}  // namespace

Result<vault::ReplicationConfiguration> parse_replication_configuration(std::string_view xml) {
  pugi::xml_document doc;
  // 1000 rules of a few dozen elements each.
  const auto root =
      CV_TRY(parse_xml(doc, xml, "ReplicationConfiguration", XmlLimits{.max_elements = 40'000}));
  vault::ReplicationConfiguration config;
  std::optional<std::string> role;
  CV_TRY(each_child(root, [&](std::string_view name, const pugi::xml_node& node) -> Status {
    if (name == "Role") return once(role, node, leaf_text);
    if (name != "Rule") return malformed();
    if (config.rules.size() > vault::kMaxReplicationRules) return {};  // validate refuses
    config.rules.push_back(CV_TRY(parse_rule(node)));
    return {};
  }));
  if (!role) return malformed();
  config.role = std::move(*role);
  return config;
}

std::string replication_configuration_xml(const vault::ReplicationConfiguration& config) {
  XmlWriter xml("ReplicationConfiguration");
  add_text(xml.root(), "Role", config.role);
  for (const auto& rule : config.rules) add_rule(xml.root(), rule);
  return xml.str();
}

}  // namespace cv::s3
