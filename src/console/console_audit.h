// The audit record of one console API call (audit/cloudtrail_record.h): eventSource
// "console.cloudvault", an eventName per route in AWS's style ("ConsoleSignIn",
// "ConsoleListFolder", ...), the session's user as identity, and the error code and message
// the page got. Internal to the console layer.
//
// Not recorded (they are not API calls): the console's web assets (/_console/...) and
// /_cloudvault/health; neither reaches ConsoleApi.
#pragma once

#include <string_view>

#include "audit/cloudtrail_record.h"
#include "core/http_message.h"

namespace cv::console {

// The eventName of a call: "Console" + what it does, e.g. POST session → "ConsoleSignIn",
// DELETE session → "ConsoleSignOut", GET objects → "ConsoleListFolder", POST delete →
// "ConsoleDeleteObjects"; "ConsoleUnknownRoute" for a path no route serves. `route` is the
// decoded path after kApiPrefix. POST presign is refined by its route to
// "ConsolePresignGet"/"ConsolePresignPut" once the body names the method.
std::string_view console_event_name(std::string_view method, std::string_view route);

// The record's start: eventTime (the arrival, else `now_ns`), eventSource, eventName, region,
// source address, user agent, Host, requestID, recipient account, the query parameters, and
// the bucket and key the call names (a "buckets/<name>" route, or the bucket= and key= query
// parameters), and the names an IAM route's path holds, as the IAM call's requestParameters
// (userName, roleName, policyName, groupName, accessKeyId; never a document or a secret). The
// caller is anonymous until the session (or a sign-in) names a user.
audit::AuditEvent begin_console_record(const Request& request, std::string_view region,
                                       std::string_view account_id, int64_t now_ns);

// The bucket and key a call names (a "buckets/<name>" route, or the bucket= and key= query
// parameters), as the record above has them: into response.bucket and response.key (the
// access log's).
void describe_console_subject(const Request& request, std::string_view route, Response& response);

// errorCode and errorMessage of a refused or failed call, from the console's error document
// ({"error":{"code","message"}}); nothing for a success.
void describe_console_outcome(audit::AuditEvent& record, const Response& response);

}  // namespace cv::console
