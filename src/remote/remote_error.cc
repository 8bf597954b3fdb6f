#include "remote/remote_error.h"

#include <array>

namespace cv::remote {
namespace {

constexpr std::array<std::string_view, 8> kRetryableCodes = {
    "SlowDown",           "RequestTimeout",   "RequestTimeTooSkewed", "InternalError",
    "ServiceUnavailable", "OperationAborted", "Throttling",           "RequestLimitExceeded"};

ErrorCode code_for_status(int http_status, ErrorCode not_found) {
  if (http_status == 404) return not_found;
  if (http_status == 403) return ErrorCode::kAccessDenied;
  if (http_status == 503) return ErrorCode::kSlowDown;
  if (http_status == 408) return ErrorCode::kRequestTimeout;
  if (http_status >= 500) return ErrorCode::kInternalError;
  return ErrorCode::kBadRequest;
}

}  // namespace

std::optional<ErrorCode> error_code_from_name(std::string_view name) {
  if (name.empty()) return std::nullopt;
  // ErrorCode is a dense enum; error_code_name answers "InternalError" past its end.
  for (int i = 0; i < 256; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (error_code_name(code) == name) return code;
  }
  return std::nullopt;
}

bool is_retryable_answer(int http_status, std::string_view s3_code) {
  if (http_status >= 500 || http_status == 408 || http_status == 429) return true;
  for (std::string_view code : kRetryableCodes) {
    if (code == s3_code) return true;
  }
  return false;
}

RemoteError answer_error(int http_status, std::string_view s3_code, std::string message,
                         std::string resource, std::string request_id, ErrorCode not_found) {
  RemoteError out;
  out.kind = FailureKind::kService;
  out.http_status = http_status;
  out.s3_code = std::string(s3_code);
  out.request_id = std::move(request_id);
  out.retryable = is_retryable_answer(http_status, s3_code);
  out.error.code = error_code_from_name(s3_code).value_or(code_for_status(http_status, not_found));
  if (message.empty()) {
    message = s3_code.empty()
                  ? "HTTP status " + std::to_string(http_status)
                  : std::string(s3_code) + " (HTTP " + std::to_string(http_status) + ")";
  }
  out.error.message = std::move(message);
  out.error.resource = std::move(resource);
  return out;
}

RemoteError argument_error(std::string message) {
  RemoteError out;
  out.kind = FailureKind::kArgument;
  out.error = Error{ErrorCode::kInvalidArgument, std::move(message)};
  return out;
}

RemoteError protocol_error(std::string message, bool retryable, ErrorCode code) {
  RemoteError out;
  out.kind = FailureKind::kProtocol;
  out.retryable = retryable;
  out.error = Error{code, std::move(message)};
  return out;
}

RemoteError source_error(Error error) {
  RemoteError out;
  out.kind = FailureKind::kSource;
  out.error = std::move(error);
  return out;
}

RemoteError network_error(ErrorCode code, std::string message, bool retryable) {
  RemoteError out;
  out.kind = FailureKind::kNetwork;
  out.retryable = retryable;
  out.error = Error{code, std::move(message)};
  return out;
}

std::string describe(const RemoteError& error) {
  std::string out(error.s3_code.empty() ? error_code_name(error.error.code) : error.s3_code);
  out += " (";
  if (error.http_status != 0) out += std::to_string(error.http_status) + ", ";
  out += error.retryable ? "retryable" : "permanent";
  out += "): " + error.error.message;
  if (!error.error.resource.empty()) out += " [" + error.error.resource + "]";
  if (!error.request_id.empty()) out += " request " + error.request_id;
  return out;
}

}  // namespace cv::remote
