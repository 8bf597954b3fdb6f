#include "s3/object_lock_headers.h"

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/access_checks.h"
#include "s3/authorizer.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kModeHeader = "x-amz-object-lock-mode";
constexpr std::string_view kUntilHeader = "x-amz-object-lock-retain-until-date";
constexpr std::string_view kLegalHoldHeader = "x-amz-object-lock-legal-hold";

bool has_integrity_header(const Headers& headers) {
  if (headers.contains("content-md5")) return true;
  for (const auto& [name, value] : headers.fields()) {
    if (name.starts_with("x-amz-checksum-") && name != "x-amz-checksum-algorithm" &&
        name != "x-amz-checksum-type") {
      return true;
    }
  }
  return to_lower(headers.get("x-amz-trailer")).starts_with("x-amz-checksum-");
}

}  // namespace

std::string format_retain_until(int64_t unix_ns) {
  return format_iso8601(from_unix_nanos(unix_ns));
}

std::optional<int64_t> parse_retain_until(std::string_view text) {
  std::string normalised(text);
  if (normalised.ends_with("+00:00")) {
    normalised.resize(normalised.size() - 6);
    normalised += 'Z';
  }
  const auto parsed = parse_iso8601(normalised);
  if (!parsed) return std::nullopt;
  return to_unix_nanos(*parsed);
}

Result<meta::ObjectLock> lock_from_headers(const Headers& headers) {
  meta::ObjectLock lock;
  const std::string* mode = headers.find(kModeHeader);
  const std::string* until = headers.find(kUntilHeader);
  if ((mode == nullptr) != (until == nullptr)) {
    return fail(ErrorCode::kInvalidArgument,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be "
                "supplied");
  }
  if (mode) {
    if (*mode != meta::kGovernanceMode && *mode != meta::kComplianceMode) {
      return fail(ErrorCode::kInvalidArgument, "Unknown wormMode directive.");
    }
    const auto until_ns = parse_retain_until(*until);
    if (!until_ns) {
      return fail(ErrorCode::kInvalidArgument,
                  "The retain until date must be provided in ISO 8601 format");
    }
    lock.mode = *mode;
    lock.retain_until_ns = *until_ns;
  }
  if (const std::string* hold = headers.find(kLegalHoldHeader)) {
    if (*hold != "ON" && *hold != "OFF") {
      return fail(ErrorCode::kInvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'");
    }
    lock.legal_hold = *hold == "ON";
  }
  return lock;
}

void write_lock_headers(const meta::ObjectLock& lock, Headers& headers) {
  if (!lock.mode.empty()) {
    headers.add(std::string(kModeHeader), lock.mode);
    headers.add(std::string(kUntilHeader), format_retain_until(lock.retain_until_ns));
  }
  if (lock.legal_hold) headers.add(std::string(kLegalHoldHeader), "ON");
}

Status require_lock_integrity(const Services& services, Call& call,
                              const meta::ObjectLock& requested) {
  if (has_integrity_header(call.request.headers)) return {};
  bool locked = !requested.mode.empty() || requested.legal_hold;
  if (!locked) {
    const auto state = route_bucket_state(services, call);
    locked = state && (*state)->object_lock && (*state)->object_lock->default_retention.has_value();
  }
  if (!locked) return {};
  return fail(ErrorCode::kInvalidRequest,
              "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests "
              "with Object Lock parameters");
}

bool may_bypass_governance(const Services& services, Call& call) {
  return services.authorizer
      .authorize(call, object_check("s3:BypassGovernanceRetention", call.route.bucket,
                                    call.route.key))
      .has_value();
}

bool bypass_governance_requested(const Services& services, Call& call) {
  const std::string value = to_lower(call.request.headers.get("x-amz-bypass-governance-retention"));
  return value == "true" && may_bypass_governance(services, call);
}

}  // namespace cv::s3
