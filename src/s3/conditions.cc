#include "s3/conditions.h"

#include <chrono>

#include "core/clock.h"
#include "core/encoding.h"

namespace cv::s3 {
namespace {

// True if the comma-separated entity-tag list matches the etag ("*" matches anything).
bool etag_matches(std::string_view list, std::string_view etag) {
  for (std::string_view item : split_list(list)) {
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (item == "*" || item == etag) return true;
  }
  return false;
}

}  // namespace

Status check_conditions(const Headers& headers, const meta::ObjectVersion& object,
                        std::string_view prefix) {
  const std::string p(prefix);
  const bool copy = !prefix.empty();
  // HTTP dates have one-second resolution.
  const auto modified =
      std::chrono::time_point_cast<std::chrono::seconds>(from_unix_nanos(object.mtime_ns));
  const std::string* if_match = headers.find(p + "if-match");
  const std::string* if_none_match = headers.find(p + "if-none-match");
  const std::string* if_modified_since = headers.find(p + "if-modified-since");
  const std::string* if_unmodified_since = headers.find(p + "if-unmodified-since");

  if (if_match) {
    if (!etag_matches(*if_match, object.etag)) return fail(ErrorCode::kPreconditionFailed);
  } else if (if_unmodified_since) {
    if (auto t = parse_http_date(*if_unmodified_since); t && modified > *t) {
      return fail(ErrorCode::kPreconditionFailed);
    }
  }
  if (if_none_match) {
    if (etag_matches(*if_none_match, object.etag)) {
      return fail(copy ? ErrorCode::kPreconditionFailed : ErrorCode::kNotModified);
    }
  } else if (if_modified_since) {
    if (auto t = parse_http_date(*if_modified_since); t && modified <= *t) {
      return fail(copy ? ErrorCode::kPreconditionFailed : ErrorCode::kNotModified);
    }
  }
  return {};
}

Result<meta::WriteCondition> write_condition(const Headers& headers) {
  meta::WriteCondition condition;
  if (const std::string* value = headers.find("if-none-match")) {
    if (trim(*value) != "*") {
      return fail(ErrorCode::kNotImplemented,
                  "A header you provided implies functionality that is not implemented",
                  "If-None-Match");
    }
    condition.if_none_match = true;
  }
  if (const std::string* value = headers.find("if-match")) {
    std::string_view etag = trim(*value);
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
      etag = etag.substr(1, etag.size() - 2);
    }
    if (etag.empty()) {
      return fail(ErrorCode::kInvalidArgument, "The If-Match header must not be empty", "If-Match");
    }
    condition.if_match = std::string(etag);
  }
  return condition;
}

}  // namespace cv::s3
