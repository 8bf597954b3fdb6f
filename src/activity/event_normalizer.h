// A CloudTrail record (any eventVersion; unknown fields ignored) as an activity event: the
// facts scoring and proofs need, and a hash of the record. Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "core/error.h"
#include "meta/activity_types.h"

namespace cv::activity {

// The record with every object's keys sorted, compact: the bytes its hash is taken over, so
// the same record hashes alike however a producer ordered or spaced it.
std::string canonical_json(const boost::json::value& value);

// The event of `record`, its scoring left empty. eventID, or "sha256:<hex of the canonical
// record>" without one; record_hash is SHA-256 of the canonical record. readOnly as a bool
// or "true"/"false", else guessed from the event name (Get/List/Describe/Head/Lookup...).
// kInvalidArgument naming the problem when eventTime, eventSource or eventName is missing
// or unusable.
Result<meta::ActivityEvent> normalize_record(const boost::json::object& record);

// eventTime as Unix nanoseconds: "2024-10-04T12:34:56Z" (also with fractional seconds) or
// CloudTrail Lake's "2024-10-04 12:34:56.000".
Result<int64_t> parse_event_time(std::string_view text);

}  // namespace cv::activity
