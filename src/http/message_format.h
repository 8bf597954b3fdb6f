// The pieces of HTTP/1.1 messages the http layer formats itself, kept free of Beast so they
// compile fast and test in isolation: splitting a request-target, the response status line
// and header block, HTTP dates, and the error responses the layer answers on its own.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/http_message.h"

namespace cv::http {

struct TargetParts {
  std::string_view path;   // everything before the first '?'
  std::string_view query;  // everything after it, without the '?'
};
TargetParts split_target(std::string_view target);

// The standard reason phrase ("Not Found"); "Unknown" for codes without one.
std::string_view reason_phrase(int status);

// 1xx, 204 and 304 responses never carry a body nor, here, a Content-Length.
bool status_forbids_body(int status);

// Appends a lowercase field name as it goes on the wire: title case ("content-type" ->
// "Content-Type") with S3's spellings ("etag" -> "ETag", "content-md5" -> "Content-MD5");
// x-amz-* names stay lowercase as S3 sends them.
void append_canonical_name(std::string& out, std::string_view lowercase_name);

// The HTTP Date for "now", reformatted at most once per second. Not thread-safe: one per
// connection.
class DateCache {
 public:
  std::string_view now();

 private:
  std::time_t second_ = -1;
  std::string text_;
};

enum class ConnectionField { kNone, kKeepAlive, kClose };

struct ResponseHeadOptions {
  std::string_view request_id;
  std::string_view date;
  // Content-Length to announce; nullopt sends none.
  std::optional<uint64_t> content_length;
  ConnectionField connection = ConnectionField::kNone;
};

// Appends "HTTP/1.1 <status> <reason>", the handler's fields, the fields the http layer owns
// (Server, Date, x-amz-request-id, Content-Length, Connection: any of these in `headers` are
// ignored, as are Transfer-Encoding and fields with names that are not HTTP tokens) and the
// blank line to `out`. CR, LF and NUL inside values become spaces, so a value can never
// start a new field.
void append_response_head(std::string& out, int status, const Headers& headers,
                          const ResponseHeadOptions& options);

// A response carrying S3's error document (core/error_document.h, the writer s3/ uses too)
// for `code` with S3's status for it; the message defaults to S3's message for the code.
Response make_error_response(ErrorCode code, std::string_view message, std::string_view resource,
                             std::string_view request_id);
// The same for codes outside cv::ErrorCode (e.g. "RequestHeaderSectionTooLarge").
Response make_error_response(int status, std::string_view code, std::string_view message,
                             std::string_view resource, std::string_view request_id);

}  // namespace cv::http
