// The audit trail's lookup: GET trail?user=&accessKey=&bucket=&prefix=&event=&error=&readOnly=
// &from=&to=&max=&next=. Answers {"records":[CloudTrail records], "next": token or null}, newest
// first. Root sees every record; another user only their own (Vault::lookup_trail). error=
// "true" keeps failed calls, another value that error code only; from/to are ISO-8601 UTC
// times or dates (to= a date includes that day); max 1-1000 (default 50); next is the previous page's token.
#include <boost/json.hpp>
#include <charconv>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/clock.h"

namespace cv::console {
namespace {

std::string param(const Request& request, std::string_view name) {
  const std::string* value = find_param(request.params, name);
  return value != nullptr ? *value : std::string();
}

// A positive integer parameter; nullopt when absent, InvalidArgument when malformed.
Result<std::optional<int64_t>> number_param(const Request& request, std::string_view name) {
  const std::string text = param(request, name);
  if (text.empty()) return std::optional<int64_t>{};
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return fail(ErrorCode::kInvalidArgument,
                std::string(name) + " must be a positive whole number");
  }
  return std::optional<int64_t>(value);
}

// An ISO-8601 UTC time, or a date (YYYY-MM-DD): its first instant, or with `whole_day` the
// first instant of the next day (so to=DATE includes that day).
Result<int64_t> time_param(const Request& request, std::string_view name, bool whole_day) {
  const std::string text = param(request, name);
  if (text.empty()) return int64_t{0};
  const bool date = text.size() == 10;
  auto parsed = parse_iso8601(date ? text + "T00:00:00Z" : text);
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument,
                std::string(name) + " must be a UTC time like 2026-12-06T10:00:00Z or a date");
  }
  if (date && whole_day) *parsed += std::chrono::hours(24);
  return to_unix_nanos(*parsed);
}

Result<meta::TrailQuery> trail_query(const Request& request) {
  meta::TrailQuery query;
  query.user_name = param(request, "user");
  query.access_key_id = param(request, "accessKey");
  query.bucket = param(request, "bucket");
  query.key_prefix = param(request, "prefix");
  query.event_name = param(request, "event");
  const std::string error = param(request, "error");
  if (error == "true") {
    query.errors_only = true;
  } else if (!error.empty() && error != "false") {
    query.error_code = error;
  }
  const std::string read_only = param(request, "readOnly");
  if (read_only == "true" || read_only == "false") {
    query.read_only = read_only == "true";
  } else if (!read_only.empty()) {
    return fail(ErrorCode::kInvalidArgument, "readOnly must be true or false");
  }
  query.from_ns = CV_TRY(time_param(request, "from", false));
  query.to_ns = CV_TRY(time_param(request, "to", true));
  if (auto max = CV_TRY(number_param(request, "max"))) {
    if (*max > 1000) return fail(ErrorCode::kInvalidArgument, "max must be at most 1000");
    query.max = static_cast<size_t>(*max);
  }
  query.before_seq = CV_TRY(number_param(request, "next")).value_or(0);
  return query;
}

}  // namespace

Response lookup_trail(RouteContext& context) {
  auto query = trail_query(context.request);
  if (!query) return json_error(400, "InvalidArgument", query.error().message);
  auto page = context.vault.lookup_trail(*query, context.session->user_id);
  if (!page) return json_error(page.error());
  boost::json::array records;
  for (const meta::TrailRecord& record : page->records) {
    records.push_back(boost::json::parse(record.record_json));
  }
  return json_reply(
      boost::json::object{{"records", std::move(records)},
                          {"next", page->next_before_seq != 0
                                       ? boost::json::value(std::to_string(page->next_before_seq))
                                       : boost::json::value(nullptr)}});
}

}  // namespace cv::console
