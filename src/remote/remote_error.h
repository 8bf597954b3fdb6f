// How a call to a remote S3 endpoint failed, classified so the caller (the replication
// worker) can decide between "retry later" (the object stays PENDING) and "give up" (FAILED).
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::remote {

// Where a failure came from.
enum class FailureKind {
  kNetwork,   // no usable HTTP response: DNS, connect, TLS, reset, stalled transfer
  kService,   // the endpoint answered with an S3 error (status, and code when it sent a body)
  kProtocol,  // an answer that cannot be understood or fails a check (bad XML, ETag mismatch)
  kSource,    // the caller's body source failed or ended before the announced size
  kArgument,  // the call or the endpoint configuration is invalid; nothing useful was sent
};

// A failed remote call. `error.code` is the S3 code mapped to cv::ErrorCode (NoSuchBucket,
// AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, SlowDown, ...); a code CloudVault
// does not know keeps its name in `s3_code` and maps by status (answer_error).
struct RemoteError {
  Error error;
  FailureKind kind = FailureKind::kNetwork;
  // True when the same call may succeed later unchanged: network failures, 5xx, SlowDown,
  // RequestTimeout, ... False for every other 4xx (permission, missing bucket, bad
  // signature), argument errors and source failures.
  bool retryable = false;
  int http_status = 0;     // 0 when no response arrived
  std::string s3_code;     // the code as the endpoint sent it ("NoSuchBucket"); may be empty
  std::string request_id;  // the response's x-amz-request-id, when there was one
};

template <class T>
using RemoteResult = std::expected<T, RemoteError>;
using RemoteStatus = std::expected<void, RemoteError>;

// The ErrorCode whose S3 name is `name`, if CloudVault has one.
std::optional<ErrorCode> error_code_from_name(std::string_view name);

// Whether an S3 error answer is worth retrying: every 5xx; 408 and 429; and the codes AWS's
// SDKs retry whatever their status: SlowDown, RequestTimeout, RequestTimeTooSkewed,
// InternalError, ServiceUnavailable, OperationAborted, Throttling, RequestLimitExceeded.
bool is_retryable_answer(int http_status, std::string_view s3_code);

// An error for an S3 error answer. `s3_code` empty (a HEAD answer has no body) maps by
// status: 404 -> `not_found` (NoSuchKey or NoSuchBucket, which the caller knows), 403 ->
// AccessDenied, 503 -> SlowDown, other 5xx -> InternalError, other 4xx -> BadRequest.
RemoteError answer_error(int http_status, std::string_view s3_code, std::string message,
                         std::string resource, std::string request_id,
                         ErrorCode not_found = ErrorCode::kNoSuchKey);

// Errors raised on this side.
RemoteError argument_error(std::string message);
RemoteError protocol_error(std::string message, bool retryable, ErrorCode code);
RemoteError source_error(Error error);
RemoteError network_error(ErrorCode code, std::string message, bool retryable);

// One line for logs: "NoSuchBucket (404, permanent): The specified bucket does not exist".
std::string describe(const RemoteError& error);

}  // namespace cv::remote
