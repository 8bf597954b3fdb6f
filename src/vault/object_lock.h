// S3 Object Lock: a bucket's lock configuration (ObjectLockEnabled and an optional default
// retention), its stored form (bucket config kind "object-lock", JSON), and the retention a
// new version gets from it. The rules of changing a version's retention are the store's
// (meta::RetentionChange), judged in the transaction that applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

inline constexpr std::string_view kObjectLockConfigKind = "object-lock";

// A bucket's default retention: every new version without an explicit retention gets `mode`
// until `days` days or `years` years (exactly one of them is set) after it was written.
struct DefaultRetention {
  std::string mode;  // "GOVERNANCE" or "COMPLIANCE"
  int32_t days = 0;
  int32_t years = 0;
  bool operator==(const DefaultRetention&) const = default;
};

// A bucket's object lock configuration. Object lock, once enabled, stays enabled; only the
// default retention can be changed (or removed).
struct ObjectLockConfiguration {
  std::optional<DefaultRetention> default_retention;
  bool operator==(const ObjectLockConfiguration&) const = default;
};

// Whether `mode` is one of S3's retention modes.
bool is_retention_mode(std::string_view mode);
// S3's checks of a configuration document's rule: a valid mode, exactly one of Days and Years,
// positive, at most 36500 days / 100 years (AWS's bound). MalformedXML / InvalidArgument.
Status validate(const ObjectLockConfiguration& config);
// The stored form, and back (InternalError for a document object_lock_json did not write).
std::string object_lock_json(const ObjectLockConfiguration& config);
Result<ObjectLockConfiguration> parse_object_lock_json(std::string_view document);
// The retain-until time of a version written at `written_ns` under `rule`: `days` days later,
// or `years` calendar years later (February 29 becomes February 28).
int64_t default_retain_until(const DefaultRetention& rule, int64_t written_ns);
// The lock a new version gets: `requested` (from the request's headers) with, when it names
// no retention, the bucket's default retention applied (none without one).
meta::ObjectLock new_version_lock(const meta::ObjectLock& requested,
                                  const std::optional<ObjectLockConfiguration>& bucket_config,
                                  int64_t written_ns);

}  // namespace cv::vault
