// The x-amz-object-lock-* headers of S3 Object Lock: parsed on PutObject, CopyObject,
// CreateMultipartUpload (and POST's form fields, which arrive as headers), written on
// GetObject / HeadObject; the integrity header S3 requires on a PutObject with object lock.
#pragma once

#include "core/http_message.h"
#include "meta/types.h"
#include "s3/call.h"

namespace cv::s3 {

// x-amz-object-lock-mode, x-amz-object-lock-retain-until-date (ISO 8601) and
// x-amz-object-lock-legal-hold (ON/OFF). InvalidArgument, with S3's messages, for an unknown
// mode, a malformed date, one of mode and date without the other, a bad legal hold status.
Result<meta::ObjectLock> lock_from_headers(const Headers& headers);
// The same headers for a version that has a retention and/or a legal hold.
void write_lock_headers(const meta::ObjectLock& lock, Headers& headers);
// S3's RetainUntilDate form: "2026-12-06T20:00:00.000Z"; and its parser (ISO 8601 with "Z" or
// "+00:00"), nullopt when malformed.
std::string format_retain_until(int64_t unix_ns);
std::optional<int64_t> parse_retain_until(std::string_view text);
// A PutObject that sets a retention or legal hold, or goes to a bucket with a default
// retention, must carry Content-MD5 or an x-amz-checksum-* value (header or trailer):
// InvalidRequest otherwise.
Status require_lock_integrity(const Services& services, Call& call,
                              const meta::ObjectLock& requested);
// Whether the caller may bypass GOVERNANCE retention (x-amz-bypass-governance-retention):
// whether the authorizer allows it s3:BypassGovernanceRetention on the call's object (the
// bucket's owner without policies may; a refusal is logged as any denial).
bool may_bypass_governance(const Services& services, Call& call);
// x-amz-bypass-governance-retention: true, from a caller may_bypass_governance allows.
bool bypass_governance_requested(const Services& services, Call& call);

}  // namespace cv::s3
