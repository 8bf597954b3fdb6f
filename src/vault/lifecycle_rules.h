// A bucket's lifecycle configuration (S3's LifecycleConfiguration as plain values), its
// validation with S3's rules, a JSON codec for storing it as a bucket config document, and
// the evaluation the lifecycle worker runs per key.
//
// Times are unix nanoseconds. A lifecycle "day" is `day_ns` long (VaultOptions::
// lifecycle_day_ns: 86'400 s unless a test or a demonstration shortens it), and a rule's
// Days count from the exact moment the version was created (or became noncurrent): unlike
// S3, due times are NOT rounded up to the next midnight UTC, so a day-30 transition of an
// object created at 10:17 is due 30 days later at 10:17.
//
// Everything here is pure: no I/O, no clock, no locks; thread-safe on distinct or const data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

// Which objects a rule applies to. An empty filter matches every object.
struct LifecycleFilter {
  // How the filter was written, so that GetBucketLifecycleConfiguration answers what was
  // put. Matching ignores it.
  enum class Shape {
    kRulePrefix,   // the legacy <Rule><Prefix> (no <Filter>)
    kEmpty,        // <Filter/> (or <Filter><Prefix/></Filter> written as kPrefix)
    kPrefix,       // <Filter><Prefix>
    kTag,          // <Filter><Tag>
    kSizeGreater,  // <Filter><ObjectSizeGreaterThan>
    kSizeLess,     // <Filter><ObjectSizeLessThan>
    kAnd,          // <Filter><And>...</And>
  };
  Shape shape = Shape::kEmpty;
  std::string prefix;
  meta::StringPairs tags;  // every one must be on the object with the same value
  // Exclusive bounds in bytes: size > greater_than, size < less_than.
  std::optional<uint64_t> object_size_greater_than;
  std::optional<uint64_t> object_size_less_than;

  bool matches(std::string_view key, uint64_t size, const meta::StringPairs& object_tags) const;
  // Whether the filter names a size bound (which turns off the 128 KiB transition minimum).
  bool has_size_bound() const {
    return object_size_greater_than.has_value() || object_size_less_than.has_value();
  }
};

// <Transition>: Days (since creation) or Date, to a storage class.
struct LifecycleTransition {
  std::optional<int32_t> days;
  std::optional<int64_t> date_ns;  // midnight UTC
  std::string storage_class;       // "STANDARD_IA" or "GLACIER"
};

// <Expiration>: exactly one of Days, Date, ExpiredObjectDeleteMarker.
struct LifecycleExpiration {
  std::optional<int32_t> days;
  std::optional<int64_t> date_ns;  // midnight UTC
  std::optional<bool> expired_object_delete_marker;
};

// <NoncurrentVersionTransition>.
struct NoncurrentTransition {
  int32_t noncurrent_days = 0;
  std::string storage_class;
  std::optional<int32_t> newer_noncurrent_versions;
};

// <NoncurrentVersionExpiration>.
struct NoncurrentExpiration {
  int32_t noncurrent_days = 0;
  std::optional<int32_t> newer_noncurrent_versions;
};

struct LifecycleRule {
  std::string id;  // 1..255 characters, unique in the configuration
  bool enabled = true;
  LifecycleFilter filter;
  std::vector<LifecycleTransition> transitions;
  std::optional<LifecycleExpiration> expiration;
  std::vector<NoncurrentTransition> noncurrent_transitions;
  std::optional<NoncurrentExpiration> noncurrent_expiration;
  std::optional<int32_t> abort_incomplete_multipart_days;  // DaysAfterInitiation
};

// x-amz-transition-default-minimum-object-size: which objects too small to be worth a
// transition are kept where they are when the rule's filter names no size bound.
enum class TransitionMinimumSize {
  kAllStorageClasses128K,  // "all_storage_classes_128K": < 128 KiB never transitions (default)
  kVariesByStorageClass,   // "varies_by_storage_class": < 128 KiB may still go to GLACIER
};
inline constexpr uint64_t kTransitionMinimumObjectSize = 128 * 1024;
std::string_view transition_minimum_size_name(TransitionMinimumSize value);
std::optional<TransitionMinimumSize> parse_transition_minimum_size(std::string_view name);

struct LifecycleConfiguration {
  std::vector<LifecycleRule> rules;
  TransitionMinimumSize transition_minimum_size = TransitionMinimumSize::kAllStorageClasses128K;
};

// S3's constraints on a configuration: 1..1000 rules, unique IDs of 1..255 characters, at
// least one action per rule, Days/Date forms, minimum days per storage class, ordering
// between transitions and expiration, filter bounds. Fails with the code and message S3
// answers with: MalformedXML (structure: no rules, too many, Days with Date, an unknown
// transition class, ...), InvalidArgument (values: Days, IDs, dates not at midnight,
// STANDARD_IA before 30 days, ...), InvalidRequest (combinations S3 refuses: no action,
// mixed Days/Date transitions, duplicate classes or tag keys, abort with tags or sizes),
// InvalidStorageClass (an S3 class this server does not keep, e.g. DEEP_ARCHIVE).
Status validate(const LifecycleConfiguration& config);

// A rule id for a rule that came without one (S3 makes up a random one): 48 characters.
std::string new_lifecycle_rule_id();

// Stored form (bucket config kind "lifecycle"). lifecycle_from_json fails with
// InternalError on a document it cannot read (it was written by to_json).
std::string to_json(const LifecycleConfiguration& config);
Result<LifecycleConfiguration> lifecycle_from_json(std::string_view json);

// ---- Evaluation ---------------------------------------------------------------------------

// One version of a key as the lifecycle worker sees it.
struct VersionFacts {
  // The object's key, the same in every version of one plan_key call: prefix filters need it.
  // (Addition to the agreed interface: fill it from ObjectVersion::key.)
  std::string key;
  std::string version_id;
  bool is_latest = false;
  bool is_delete_marker = false;
  uint64_t size = 0;
  meta::StringPairs tags;
  int64_t created_ns = 0;           // mtime
  int64_t noncurrent_since_ns = 0;  // 0 while current
  std::string storage_class;        // "STANDARD", "STANDARD_IA", "GLACIER"
};

enum class LifecycleAction {
  kNone,
  kTransition,           // move the version to `storage_class`
  kExpireCurrent,        // expire the current version (delete, or a delete marker over it)
  kDeleteNoncurrent,     // permanently delete a noncurrent version (or noncurrent marker)
  kDeleteExpiredMarker,  // permanently delete a current delete marker that hides nothing
};

struct VersionPlan {
  LifecycleAction action = LifecycleAction::kNone;  // due now (at now_ns)
  std::string storage_class;                        // the target tier, for kTransition
  std::string rule_id;  // the rule that decided the action (empty for kNone)
  // When to look at this version again after `action` is applied (0: never). After
  // kExpireCurrent / kDeleteNoncurrent / kDeleteExpiredMarker it is 0: the version is gone
  // or no longer current, and the key must be planned again.
  int64_t next_due_ns = 0;
};

// Plans every version of ONE key. `versions`: all of the key's versions, newest first (the
// current one first when the key has one). Returns one plan per version, in the same order.
//
// Only Enabled rules whose filter matches the version (its key, size and tags) apply.
//  - Current version: Expiration Days is due at created + Days * day_ns, Date at the date;
//    Transition likewise, only to a colder class than the version's (STANDARD <
//    STANDARD_IA < GLACIER), the coldest when several are due. Expiration wins when both
//    are due (S3: deletion takes precedence).
//  - Current delete marker: never expired again. It is removed (kDeleteExpiredMarker) when
//    it is the key's only version and a rule says ExpiredObjectDeleteMarker, or a rule's
//    Expiration Days has passed since it was created (S3 cleans expired markers up under
//    Expiration Days too).
//  - Noncurrent version: NoncurrentVersionExpiration / NoncurrentVersionTransition are due
//    at noncurrent_since + NoncurrentDays * day_ns (created_ns if noncurrent_since is 0);
//    with NewerNoncurrentVersions = N, only once at least N noncurrent versions of the key
//    are newer than it. A noncurrent delete marker is deleted by NoncurrentVersionExpiration
//    alone.
//  - Transitions skip objects under 128 KiB unless the rule's filter names a size bound
//    (TransitionMinimumSize above). Delete markers never transition.
// The result for a version depends on the key's other versions (counts, markers), so plan
// the whole key again whenever a version is added or removed.
std::vector<VersionPlan> plan_key(const LifecycleConfiguration& config,
                                  std::span<const VersionFacts> versions, int64_t now_ns,
                                  int64_t day_ns);

// Uploads: whether an upload of `key` initiated at `initiated_ns` is due for abort
// (AbortIncompleteMultipartUpload of an Enabled rule whose prefix matches), and when it is
// or will be (due_ns 0: no rule applies).
struct UploadPlan {
  bool abort_now = false;
  std::string rule_id;
  int64_t due_ns = 0;
};
UploadPlan plan_upload(const LifecycleConfiguration& config, std::string_view key,
                       int64_t initiated_ns, int64_t now_ns, int64_t day_ns);

}  // namespace cv::vault
