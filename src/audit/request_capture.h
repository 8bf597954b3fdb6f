// What the layers that serve requests (s3, console) share to make the audit record of one
// request: where records go, the account they name, and the parts of a record every front-end
// fills the same way. The record itself is handed over as an AuditEvent; its JSON is built
// later, by the trail writer, off the request path.
#pragma once

#include <string>
#include <string_view>

#include "audit/audit_sink.h"
#include "audit/cloudtrail_record.h"
#include "core/http_message.h"

namespace cv::audit {

struct CaptureOptions {
  // Where records go; not owned. It must outlive the handlers and the http::Server: a record
  // is handed over after its response was sent (Response::on_complete). Null: the trail is
  // off and nothing is captured.
  AuditSink* sink = nullptr;
  // The 12-digit account of every ARN, userIdentity.accountId and recipientAccountId.
  std::string account_id;
  // The trail's own bucket, whose data events (object calls, object listings) are not
  // recorded: writing the trail into it must not make records of its own. Empty: none.
  std::string trail_bucket;
};

// A signed caller: type Root for the root user (principalId the account, arn
// arn:aws:iam::<account>:root), else IAMUser (principalId the user id, arn
// arn:aws:iam::<account>:user/<name>, userName).
Identity user_identity(std::string_view account_id, std::string_view user_id,
                       std::string_view user_name, bool is_root, std::string_view access_key_id);
// An STS role session: type AssumedRole, principalId "ROLEID:SESSION", arn
// arn:aws:sts::<account>:assumed-role/<role>/<session>, the role as sessionIssuer.
Identity assumed_role_identity(std::string_view account_id, std::string_view role_id,
                               std::string_view role_name, std::string_view session_name,
                               std::string_view access_key_id);
// An unsigned request, as CloudTrail shows one: type AWSAccount, principalId
// ANONYMOUS_PRINCIPAL (left to the record builder), accountId "anonymous".
Identity anonymous_identity();

// A record's eventID: a random (version 4) UUID, lowercase.
std::string new_event_id();

// `remote_address` without a port: "203.0.113.9:5000" and "[2001:db8::1]:443" give the bare
// address; a bare IPv4 or IPv6 address is returned as it is.
std::string source_ip_address(std::string_view remote_address);

// The request's arrival (Request::arrival_ns), or `fallback_ns` when it was not set.
int64_t arrival_time_ns(const Request& request, int64_t fallback_ns);

// The parts of a record every front-end fills from the request alike: eventTime (the
// arrival, else `now_ns`), eventSource, awsRegion, sourceIPAddress, userAgent, Host,
// requestID and recipientAccountId; the caller starts anonymous.
AuditEvent begin_record(const Request& request, std::string_view event_source,
                        std::string_view region, std::string_view account_id, int64_t now_ns);

// Arranges for `event` to reach `sink` once the response's exchange has ended: the byte
// counts (bytesTransferredIn/Out) and a fresh eventID are filled in then, on the worker
// thread that runs Response::on_complete. A hook already set on the response still runs,
// first.
void record_on_completion(Response& response, AuditEvent event, AuditSink& sink);

// The record of a request the http layer refused before any front-end saw it (not valid
// HTTP/1.1: http::ServerOptions::on_refusal): eventSource s3.amazonaws.com, eventName
// "UnknownOperation" (as for an unrouted S3 request), anonymous, with the error code and
// message of `response`'s S3 error document; handed to options.sink like any other record.
// Nothing without a sink.
void record_refusal(const Request& request, Response& response, const CaptureOptions& options,
                    std::string_view region);

}  // namespace cv::audit
