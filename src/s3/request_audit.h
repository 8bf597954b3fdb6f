// The audit record of one S3 request (audit/cloudtrail_record.h), filled in steps as S3Api
// serves it: what arrived, which call the router found, who the caller is (also when the
// signature was refused), and how the call ended. Internal to the s3 layer.
//
// Cheap by design: only strings are copied here; the JSON record is built later by the trail
// writer. Not thread-safe per record (one request's record is filled by one thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/cloudtrail_record.h"
#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/error.h"
#include "core/http_message.h"
#include "s3/operation.h"

namespace cv::s3 {

// The eventName CloudTrail gives the call a route serves. Mostly the route's name; CloudTrail
// names ListObjectsV2 "ListObjects" (the version is in requestParameters' list-type), and the
// notification and lifecycle configuration calls "PutBucketNotification",
// "GetBucketNotification", "PutBucketLifecycle", "GetBucketLifecycle".
std::string_view cloudtrail_event_name(Operation operation, std::string_view route_name);

// eventName of a request no route matched (NotImplemented, MethodNotAllowed, InvalidURI).
inline constexpr std::string_view kUnroutedEventName = "UnknownOperation";

// The record's start: eventTime (the arrival, else `now_ns`), requestID, region, source
// address, user agent, Host, recipient account, and the query parameters as CloudTrail
// writes them (decoded; X-Amz-Signature and X-Amz-Security-Token left out). eventName is
// kUnroutedEventName until describe_route() names the call.
audit::AuditEvent begin_s3_record(const Request& request, std::string_view region,
                                  std::string_view account_id, int64_t now_ns);

// eventName, bucketName and key of the routed call.
void describe_route(audit::AuditEvent& record, const Route& route);
// bucketName and key of a request no route matched, from a path-style URL.
void describe_unrouted(audit::AuditEvent& record, const Request& request);

// The access key a request claims (Authorization header's or X-Amz-Credential's), whether
// or not it was accepted; empty for an unsigned request.
std::string claimed_access_key(const Request& request);

// userIdentity and additionalEventData's SignatureVersion and AuthenticationMethod
// ("AuthHeader", "QueryString", or "PostForm" for a browser POST upload). `verified` is the
// caller the signature proved, if any; otherwise `claimed_owner` is the owner of the access
// key the request claims (known key, refused signature), if any; else the caller is
// anonymous (with the claimed key, when one was given).
void describe_caller(audit::AuditEvent& record, const Request& request, bool post_form,
                     const auth::Identity* verified,
                     const std::optional<auth::Credentials>& claimed_owner,
                     std::string_view account_id);

// errorCode and errorMessage (the S3 code and the message the client got).
void describe_error(audit::AuditEvent& record, const Error& error);

// responseElements of a successful mutating call: the answer's x-amz-version-id,
// x-amz-server-side-encryption (and its KMS key id / customer algorithm), x-amz-delete-marker
// and x-amz-expiration, when present; null otherwise and for read-only calls.
void describe_response(audit::AuditEvent& record, const Response& response);

}  // namespace cv::s3
