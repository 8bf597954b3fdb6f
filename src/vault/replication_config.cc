// S3's checks on a replication configuration and the per-version matching.
#include "vault/replication_config.h"

#include <array>
#include <map>
#include <set>

#include "core/encoding.h"
#include "core/ids.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

constexpr size_t kMaxRuleIdLength = 255;
constexpr std::string_view kV2Guide = " Please refer to S3 Developer Guide for more information.";

std::unexpected<Error> invalid_request(std::string message) {
  return fail(ErrorCode::kInvalidRequest, std::move(message));
}
std::unexpected<Error> invalid_argument(std::string message) {
  return fail(ErrorCode::kInvalidArgument, std::move(message));
}
std::unexpected<Error> malformed() {
  return fail(ErrorCode::kMalformedXML,
              "The XML you provided was not well-formed or did not validate against our "
              "published schema");
}

bool is_reserved(std::string_view tag_key) {
  return tag_key == kReplicationSuffixTag || tag_key == kReplicationContentTypeTag;
}

// The destination's StorageClass: every class S3's schema names is accepted for a remote
// destination (the remote decides); a local one must be a tier this server keeps.
Status check_storage_class(const ReplicationDestination& destination) {
  if (destination.storage_class.empty()) return {};
  static constexpr std::array<std::string_view, 11> kS3Classes = {
      "STANDARD",       "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
      "GLACIER",        "DEEP_ARCHIVE",       "OUTPOSTS",    "GLACIER_IR", "SNOW",
      "EXPRESS_ONEZONE"};
  bool known = false;
  for (std::string_view name : kS3Classes) known = known || name == destination.storage_class;
  if (!known) return malformed();
  if (!destination.is_remote() && !parse_storage_class(destination.storage_class)) {
    return fail(ErrorCode::kInvalidStorageClass,
                "The storage class you specified is not valid: a destination on this server "
                "keeps STANDARD, STANDARD_IA and GLACIER only");
  }
  return {};
}

Status check_destination(const ReplicationDestination& destination) {
  if (!destination.bucket_arn.starts_with(kS3BucketArnPrefix) ||
      !is_valid_bucket_name(destination.bucket_name())) {
    return invalid_argument("Invalid bucket ARN.");
  }
  CV_TRY(check_storage_class(destination));
  if (destination.owner_override) {
    if (*destination.owner_override != "Destination") return malformed();
    if (destination.account.empty()) {
      return invalid_request(
          "Account must be specified when AccessControlTranslation is specified.");
    }
  }
  return {};
}

Status check_filter(const ReplicationFilter& filter) {
  std::set<std::string_view> keys;
  for (const auto& [key, value] : filter.tags) {
    if (!keys.insert(key).second) return invalid_request("Duplicate Tag Keys are not allowed.");
    if (is_reserved(key) && value.empty()) {
      return invalid_argument("The value of the filter tag " + key + " must not be empty.");
    }
  }
  return {};
}

Status check_rule(const ReplicationRule& rule) {
  if (rule.id.size() > kMaxRuleIdLength) {
    return invalid_argument("ID length should not exceed allowed limit of 255");
  }
  CV_TRY(check_filter(rule.filter));
  if (rule.filter.is_v2()) {
    if (!rule.priority) {
      return invalid_request(
          "Priority must be specified for this version of Cross Region Replication "
          "configuration schema." +
          std::string(kV2Guide));
    }
    if (*rule.priority < 0) return invalid_request("Priority must not be negative.");
    if (!rule.delete_marker_replication) {
      return invalid_request(
          "DeleteMarkerReplication must be specified for this version of Cross Region "
          "Replication configuration schema." +
          std::string(kV2Guide));
    }
    if (*rule.delete_marker_replication &&
        (rule.filter.has_object_tags() || rule.filter.has_content_type())) {
      return invalid_request(
          "Delete marker replication is not supported if any Tag filter is "
          "specified." +
          std::string(kV2Guide));
    }
  } else {
    if (rule.priority) {
      return invalid_request(
          "Priority cannot be used for this version of Cross Region Replication "
          "configuration schema." +
          std::string(kV2Guide));
    }
    if (rule.delete_marker_replication) {
      return invalid_request(
          "DeleteMarkerReplication cannot be used for this version of Cross Region "
          "Replication configuration schema." +
          std::string(kV2Guide));
    }
  }
  return check_destination(rule.destination);
}

// "text/HTML; charset=utf-8" -> "text/html".
std::string media_type(std::string_view content_type) {
  return to_lower(trim(content_type.substr(0, content_type.find(';'))));
}

bool content_type_matches(std::string_view pattern, std::string_view content_type) {
  const std::string type = media_type(content_type);
  const std::string wanted = media_type(pattern);
  if (type.empty()) return false;
  if (wanted.ends_with("/*")) return type.starts_with(wanted.substr(0, wanted.size() - 1));
  return type == wanted;
}

bool suffix_matches(std::string_view suffix, std::string_view key) {
  return key.size() >= suffix.size() &&
         ascii_iequals(key.substr(key.size() - suffix.size()), suffix);
}

bool tag_holds(const meta::StringPairs& object_tags, const std::string& key,
               const std::string& value) {
  for (const auto& [k, v] : object_tags) {
    if (k == key) return v == value;
  }
  return false;
}

}  // namespace

bool ReplicationFilter::has_object_tags() const {
  for (const auto& tag : tags) {
    if (!is_reserved(tag.first)) return true;
  }
  return false;
}

bool ReplicationFilter::has_content_type() const {
  for (const auto& tag : tags) {
    if (tag.first == kReplicationContentTypeTag) return true;
  }
  return false;
}

bool ReplicationFilter::matches(std::string_view key, const meta::StringPairs& object_tags,
                                std::string_view content_type) const {
  if (!key.starts_with(prefix)) return false;
  for (const auto& [name, value] : tags) {
    if (name == kReplicationSuffixTag) {
      if (!suffix_matches(value, key)) return false;
    } else if (name == kReplicationContentTypeTag) {
      if (!content_type_matches(value, content_type)) return false;
    } else if (!tag_holds(object_tags, name, value)) {
      return false;
    }
  }
  return true;
}

std::string ReplicationDestination::bucket_name() const {
  if (!bucket_arn.starts_with(kS3BucketArnPrefix)) return {};
  return bucket_arn.substr(kS3BucketArnPrefix.size());
}

Status validate(const ReplicationConfiguration& config) {
  if (config.rules.empty()) return malformed();
  if (config.rules.size() > kMaxReplicationRules) {
    return invalid_request(
        "The number of replication rules must not exceed the allowed limit of 1000 rules.");
  }
  std::set<std::string_view> ids;
  std::set<int32_t> priorities;
  const bool v2 = config.rules.front().filter.is_v2();
  for (const ReplicationRule& rule : config.rules) {
    if (rule.filter.is_v2() != v2) {
      return invalid_request(
          "Rules with a Filter and rules with a Prefix (the earlier schema) cannot be mixed in "
          "one replication configuration." +
          std::string(kV2Guide));
    }
    CV_TRY(check_rule(rule));
    if (!ids.insert(rule.id).second) {
      return invalid_argument("Rule ID must be unique. Found same ID for more than one rule");
    }
    if (rule.priority && !priorities.insert(*rule.priority).second) {
      return invalid_request("Found duplicate priority " + std::to_string(*rule.priority) +
                             " in replication configuration.");
    }
  }
  return {};
}

std::string new_replication_rule_id() {
  // S3 makes up the base64 of a random UUID (48 characters).
  std::string uuid = random_hex(16);
  for (size_t at : {8, 13, 18, 23}) uuid.insert(at, "-");
  return base64_encode(uuid);
}

std::vector<const ReplicationRule*> replication_targets(const ReplicationConfiguration& config,
                                                        std::string_view key,
                                                        const meta::StringPairs& tags,
                                                        std::string_view content_type,
                                                        bool is_delete_marker) {
  static const meta::StringPairs kNoTags;
  // The winning rule per destination, by index into config.rules.
  std::vector<size_t> winners;
  for (size_t i = 0; i < config.rules.size(); ++i) {
    const ReplicationRule& rule = config.rules[i];
    if (!rule.enabled) continue;
    const bool matched = is_delete_marker ? rule.filter.matches(key, kNoTags, {})
                                          : rule.filter.matches(key, tags, content_type);
    if (!matched) continue;
    bool placed = false;
    for (size_t& winner : winners) {
      const ReplicationRule& current = config.rules[winner];
      if (!current.destination.same_place(rule.destination)) continue;
      placed = true;
      if (rule.priority.value_or(0) > current.priority.value_or(0)) winner = i;
    }
    if (!placed) winners.push_back(i);
  }
  std::map<size_t, const ReplicationRule*> ordered;
  for (size_t winner : winners) {
    const ReplicationRule& rule = config.rules[winner];
    if (is_delete_marker && !rule.replicates_delete_markers()) continue;
    ordered.emplace(winner, &rule);
  }
  std::vector<const ReplicationRule*> out;
  for (const auto& [index, rule] : ordered) out.push_back(rule);
  return out;
}

}  // namespace cv::vault
