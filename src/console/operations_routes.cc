// The Dashboard page's routes (root only): operations/dashboard?range=,
// operations/alarms and operations/alarms/history?name=&limit=. The answers come from
// options.operations (console/operations_reports.h).
#include <charconv>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "console/operations_reports.h"

namespace cv::console {
namespace {

Response answer(Result<boost::json::value> result) {
  if (!result) {
    if (result.error().code == ErrorCode::kInvalidArgument) {
      return json_error(400, "InvalidArgument", result.error().message);
    }
    return json_error(result.error());
  }
  return json_reply(*result);
}

std::string_view param(const Request& request, std::string_view name) {
  const std::string* value = find_param(request.params, name);
  return value ? std::string_view(*value) : std::string_view();
}

}  // namespace

Response operations_route(RouteContext& context) {
  OperationsReports* reports = context.options.operations;
  if (!reports) return json_error(404, "OperationsOff", "This server keeps no dashboard.");
  auto key = context.credentials.find(context.session->access_key_id);
  if (!key || !*key) return signed_out(Error{ErrorCode::kAccessDenied, "Access Denied", ""});
  if (!(*key)->is_root) {
    return json_error(403, "AccessDenied", "Only root may see the server's dashboard and alarms.");
  }
  if (context.request.method != "GET") {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  const std::string_view route = context.route;
  if (route == "operations/dashboard") {
    const std::string_view range = param(context.request, "range");
    return answer(reports->dashboard(range.empty() ? "6h" : range));
  }
  if (route == "operations/alarms") return answer(reports->alarms());
  if (route == "operations/alarms/history") {
    size_t limit = 100;
    if (const std::string_view text = param(context.request, "limit"); !text.empty()) {
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
      if (error != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
        return json_error(400, "InvalidArgument", "limit must be a number from 1 to 1000.");
      }
    }
    return answer(reports->alarm_history(param(context.request, "name"), limit));
  }
  return json_error(404, "NotFound", "There is no such console API route.");
}

}  // namespace cv::console
