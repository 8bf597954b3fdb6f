// Validation of lifecycle configurations with S3's rules and messages.
#include "vault/lifecycle_rules.h"

#include <algorithm>
#include <set>

#include "core/encoding.h"
#include "core/ids.h"

namespace cv::vault {
namespace {

constexpr size_t kMaxRules = 1000;
constexpr size_t kMaxRuleIdLength = 255;
constexpr int32_t kStandardIaMinimumDays = 30;
constexpr int32_t kGlacierAfterStandardIaDays = 30;
constexpr int32_t kMaxNewerNoncurrentVersions = 100;
constexpr int64_t kNanosPerDay = 86'400'000'000'000;
constexpr std::string_view kMalformedXml =
    "The XML you provided was not well-formed or did not validate against our published schema";

std::unexpected<Error> malformed() {
  return fail(ErrorCode::kMalformedXML, std::string(kMalformedXml));
}
std::unexpected<Error> invalid_argument(std::string message) {
  return fail(ErrorCode::kInvalidArgument, std::move(message));
}
std::unexpected<Error> invalid_request(std::string message) {
  return fail(ErrorCode::kInvalidRequest, std::move(message));
}

// S3 names a rule's filter in its messages: "(prefix=logs/)".
std::string describe(const LifecycleFilter& filter) {
  std::string out = "(prefix=" + filter.prefix;
  for (const auto& [key, value] : filter.tags) out += ", tag=" + key + ":" + value;
  if (filter.object_size_greater_than) {
    out += ", objectSizeGreaterThan=" + std::to_string(*filter.object_size_greater_than);
  }
  if (filter.object_size_less_than) {
    out += ", objectSizeLessThan=" + std::to_string(*filter.object_size_less_than);
  }
  return out + ")";
}

// A transition target: the classes this server keeps as tiers, InvalidStorageClass for S3
// classes it does not have, MalformedXML for anything S3's schema does not allow.
Status check_transition_class(std::string_view storage_class) {
  if (storage_class == "STANDARD_IA" || storage_class == "GLACIER") return {};
  static constexpr std::string_view kOtherS3Classes[] = {"ONEZONE_IA", "INTELLIGENT_TIERING",
                                                         "GLACIER_IR", "DEEP_ARCHIVE"};
  for (std::string_view other : kOtherS3Classes) {
    if (storage_class == other) {
      return fail(ErrorCode::kInvalidStorageClass,
                  "The storage class you specified is not valid: this server transitions to "
                  "STANDARD_IA and GLACIER only");
    }
  }
  return malformed();
}

bool at_midnight(int64_t date_ns) { return date_ns % kNanosPerDay == 0; }

Status check_filter(const LifecycleFilter& filter) {
  using Shape = LifecycleFilter::Shape;
  const bool has_tags = !filter.tags.empty();
  const bool has_greater = filter.object_size_greater_than.has_value();
  const bool has_less = filter.object_size_less_than.has_value();
  // Each shape carries only its own condition (S3: two conditions need <And>).
  switch (filter.shape) {
    case Shape::kRulePrefix:
    case Shape::kEmpty:
    case Shape::kPrefix:
      if (has_tags || has_greater || has_less) return malformed();
      if (filter.shape == Shape::kEmpty && !filter.prefix.empty()) return malformed();
      break;
    case Shape::kTag:
      if (filter.tags.size() != 1 || !filter.prefix.empty() || has_greater || has_less) {
        return malformed();
      }
      break;
    case Shape::kSizeGreater:
      if (!has_greater || has_less || has_tags || !filter.prefix.empty()) return malformed();
      break;
    case Shape::kSizeLess:
      if (!has_less || has_greater || has_tags || !filter.prefix.empty()) return malformed();
      break;
    case Shape::kAnd:
      // An And combines a prefix with tags or sizes, or several of those.
      if (!has_tags && !has_greater && !has_less) return malformed();
      break;
  }
  std::set<std::string_view> keys;
  for (const auto& [key, value] : filter.tags) {
    if (key.empty() || key.size() > 128 || value.size() > 256 || !is_valid_utf8(key) ||
        !is_valid_utf8(value)) {
      return fail(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (!keys.insert(key).second) return invalid_request("Duplicate Tag Keys are not allowed.");
  }
  if (has_less && *filter.object_size_less_than == 0) {
    return invalid_request("'ObjectSizeLessThan' should be greater than 0");
  }
  if (has_greater && has_less &&
      *filter.object_size_greater_than >= *filter.object_size_less_than) {
    return invalid_argument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'");
  }
  return {};
}

Status check_expiration(const LifecycleRule& rule) {
  if (!rule.expiration) return {};
  const LifecycleExpiration& expiration = *rule.expiration;
  const int forms = int(expiration.days.has_value()) + int(expiration.date_ns.has_value()) +
                    int(expiration.expired_object_delete_marker.has_value());
  if (forms != 1) return malformed();
  if (expiration.days && *expiration.days <= 0) {
    return invalid_argument("'Days' for Expiration action must be a positive integer");
  }
  if (expiration.date_ns && !at_midnight(*expiration.date_ns)) {
    return invalid_argument("'Date' must be at midnight GMT");
  }
  if (expiration.expired_object_delete_marker.value_or(false) && !rule.filter.tags.empty()) {
    return invalid_request("ExpiredObjectDeleteMarker cannot be specified with tags.");
  }
  return {};
}

Status check_transitions(const LifecycleRule& rule) {
  const LifecycleTransition* standard_ia = nullptr;
  const LifecycleTransition* glacier = nullptr;
  bool by_days = false;
  bool by_date = false;
  int32_t latest_days = -1;
  int64_t latest_date = INT64_MIN;
  for (const LifecycleTransition& transition : rule.transitions) {
    CV_TRY(check_transition_class(transition.storage_class));
    if (transition.days.has_value() == transition.date_ns.has_value()) return malformed();
    const LifecycleTransition*& slot =
        transition.storage_class == "GLACIER" ? glacier : standard_ia;
    if (slot != nullptr) {
      return invalid_request(
          "'StorageClass' must be different for 'Transition' actions in same "
          "'Rule'");
    }
    slot = &transition;
    if (transition.days) {
      if (*transition.days < 0) {
        return invalid_argument("'Days' in Transition action must be nonnegative");
      }
      if (transition.storage_class == "STANDARD_IA" && *transition.days < kStandardIaMinimumDays) {
        return invalid_argument(
            "'Days' in Transition action must be greater than or equal to 30 for storageClass "
            "'STANDARD_IA'");
      }
      by_days = true;
      latest_days = std::max(latest_days, *transition.days);
    } else {
      if (!at_midnight(*transition.date_ns)) {
        return invalid_argument("'Date' must be at midnight GMT");
      }
      by_date = true;
      latest_date = std::max(latest_date, *transition.date_ns);
    }
  }
  if (by_days && by_date) {
    return invalid_request(
        "Found mixed 'Date' and 'Days' based Transition actions in lifecycle "
        "rule for filter '" +
        describe(rule.filter) + "'");
  }
  if (standard_ia && glacier) {
    const bool spaced = by_days ? *glacier->days - *standard_ia->days >= kGlacierAfterStandardIaDays
                                : *glacier->date_ns - *standard_ia->date_ns >=
                                      kGlacierAfterStandardIaDays * kNanosPerDay;
    if (!spaced) {
      const std::string what = by_days ? "'Days'" : "'Date'";
      return invalid_argument(what +
                              " in the Transition action for StorageClass 'GLACIER' for "
                              "filter '" +
                              describe(rule.filter) + "' must be 30 days more than " + what +
                              " in the Transition action for StorageClass 'STANDARD_IA' "
                              "for filter '" +
                              describe(rule.filter) + "'");
    }
  }
  if (rule.expiration && !rule.transitions.empty()) {
    const LifecycleExpiration& expiration = *rule.expiration;
    if ((expiration.days && by_date) || (expiration.date_ns && by_days)) {
      return invalid_request(
          "Found mixed 'Date' and 'Days' based Expiration and Transition "
          "actions in lifecycle rule for filter '" +
          describe(rule.filter) + "'");
    }
    if (expiration.days && *expiration.days <= latest_days) {
      return invalid_argument("'Days' in the Expiration action for filter '" +
                              describe(rule.filter) +
                              "' must be greater than 'Days' in the Transition action");
    }
    if (expiration.date_ns && *expiration.date_ns <= latest_date) {
      return invalid_argument("'Date' in the Expiration action for filter '" +
                              describe(rule.filter) +
                              "' must be later than 'Date' in the Transition action");
    }
  }
  return {};
}

Status check_newer_versions(const std::optional<int32_t>& newer, std::string_view action) {
  if (newer && (*newer < 1 || *newer > kMaxNewerNoncurrentVersions)) {
    return invalid_argument("'NewerNoncurrentVersions' for " + std::string(action) +
                            " action must be between 1 and 100");
  }
  return {};
}

Status check_noncurrent(const LifecycleRule& rule) {
  const NoncurrentTransition* standard_ia = nullptr;
  const NoncurrentTransition* glacier = nullptr;
  int32_t latest_days = -1;
  for (const NoncurrentTransition& transition : rule.noncurrent_transitions) {
    CV_TRY(check_transition_class(transition.storage_class));
    const NoncurrentTransition*& slot =
        transition.storage_class == "GLACIER" ? glacier : standard_ia;
    if (slot != nullptr) {
      return invalid_request(
          "'StorageClass' must be different for 'NoncurrentVersionTransition' "
          "actions in same 'Rule'");
    }
    slot = &transition;
    if (transition.noncurrent_days < 0) {
      return invalid_argument(
          "'NoncurrentDays' for NoncurrentVersionTransition action must be nonnegative");
    }
    if (transition.storage_class == "STANDARD_IA" &&
        transition.noncurrent_days < kStandardIaMinimumDays) {
      return invalid_argument(
          "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal "
          "to 30 for storageClass 'STANDARD_IA'");
    }
    CV_TRY(
        check_newer_versions(transition.newer_noncurrent_versions, "NoncurrentVersionTransition"));
    latest_days = std::max(latest_days, transition.noncurrent_days);
  }
  if (standard_ia && glacier &&
      glacier->noncurrent_days - standard_ia->noncurrent_days < kGlacierAfterStandardIaDays) {
    return invalid_argument(
        "'NoncurrentDays' in the NoncurrentVersionTransition action for StorageClass 'GLACIER' "
        "for filter '" +
        describe(rule.filter) +
        "' must be 30 days more than 'NoncurrentDays' "
        "in the NoncurrentVersionTransition action for StorageClass 'STANDARD_IA' for filter '" +
        describe(rule.filter) + "'");
  }
  if (rule.noncurrent_expiration) {
    const NoncurrentExpiration& expiration = *rule.noncurrent_expiration;
    if (expiration.noncurrent_days <= 0) {
      return invalid_argument(
          "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    }
    CV_TRY(
        check_newer_versions(expiration.newer_noncurrent_versions, "NoncurrentVersionExpiration"));
    if (expiration.noncurrent_days <= latest_days) {
      return invalid_argument(
          "'NoncurrentDays' in the NoncurrentVersionExpiration action for "
          "filter '" +
          describe(rule.filter) +
          "' must be greater than "
          "'NoncurrentDays' in the NoncurrentVersionTransition action");
    }
  }
  return {};
}

Status check_abort(const LifecycleRule& rule) {
  if (!rule.abort_incomplete_multipart_days) return {};
  if (*rule.abort_incomplete_multipart_days <= 0) {
    return invalid_argument(
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive "
        "integer");
  }
  if (!rule.filter.tags.empty()) {
    return invalid_request("AbortIncompleteMultipartUpload cannot be specified with Tags.");
  }
  if (rule.filter.has_size_bound()) {
    return invalid_request("AbortIncompleteMultipartUpload cannot be specified with Object Size.");
  }
  return {};
}

Status check_rule(const LifecycleRule& rule) {
  if (rule.id.empty()) return invalid_argument("A rule ID must not be empty");
  if (rule.id.size() > kMaxRuleIdLength) {
    return invalid_argument("ID length should not exceed allowed limit of 255");
  }
  CV_TRY(check_filter(rule.filter));
  if (rule.transitions.empty() && !rule.expiration && rule.noncurrent_transitions.empty() &&
      !rule.noncurrent_expiration && !rule.abort_incomplete_multipart_days) {
    return invalid_request("At least one action needs to be specified in a rule");
  }
  CV_TRY(check_expiration(rule));
  CV_TRY(check_transitions(rule));
  CV_TRY(check_noncurrent(rule));
  return check_abort(rule);
}

}  // namespace

std::string_view transition_minimum_size_name(TransitionMinimumSize value) {
  return value == TransitionMinimumSize::kVariesByStorageClass ? "varies_by_storage_class"
                                                               : "all_storage_classes_128K";
}

std::optional<TransitionMinimumSize> parse_transition_minimum_size(std::string_view name) {
  if (name == "all_storage_classes_128K") return TransitionMinimumSize::kAllStorageClasses128K;
  if (name == "varies_by_storage_class") return TransitionMinimumSize::kVariesByStorageClass;
  return std::nullopt;
}

Status validate(const LifecycleConfiguration& config) {
  if (config.rules.empty() || config.rules.size() > kMaxRules) return malformed();
  std::set<std::string_view> ids;
  for (const LifecycleRule& rule : config.rules) {
    CV_TRY(check_rule(rule));
    if (!ids.insert(rule.id).second) {
      return invalid_argument("Rule ID must be unique. Found same ID for more than one rule");
    }
  }
  return {};
}

std::string new_lifecycle_rule_id() {
  // S3 makes up the base64 of a random UUID; so do we (48 characters).
  std::string uuid = random_hex(16);
  for (size_t at : {8, 13, 18, 23}) uuid.insert(at, "-");
  return base64_encode(uuid);
}

}  // namespace cv::vault
