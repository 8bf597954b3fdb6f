// The activity pages' routes (docs/API.md): activity/health, activity/profiles,
// activity/profiles/NAME/{days,services,recent,public}, and public/activity/TOKEN, which
// needs no session. The answers come from options.activity (console/activity_reports.h).
#include <charconv>

#include "console/activity_reports.h"
#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

Response activity_error(const Error& error) {
  if (error.code == ErrorCode::kNoSuchKey) {
    return json_error(404, "NoSuchProfile",
                      error.message.empty() ? "There is no such activity profile." : error.message);
  }
  if (error.code == ErrorCode::kAccessDenied) {
    return json_error(403, "AccessDenied",
                      error.message.empty() ? "Only root may do that." : error.message);
  }
  return json_error(error);
}

Response answer(Result<boost::json::value> result) {
  if (!result) return activity_error(result.error());
  return json_reply(*result);
}

std::string_view param(const Request& request, std::string_view name) {
  const std::string* value = find_param(request.params, name);
  return value ? std::string_view(*value) : std::string_view();
}

Result<ActivityViewer> viewer_of(RouteContext& context) {
  const Session& session = *context.session;
  auto key = CV_TRY(context.credentials.find(session.access_key_id));
  if (!key) return fail(ErrorCode::kAccessDenied, "Access Denied");
  return ActivityViewer{key->user_id, key->user_name, session.access_key_id, key->is_root};
}

}  // namespace

Response public_activity(RouteContext& context, std::string_view token) {
  if (context.request.method != "GET") {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  if (!context.options.activity) {
    return json_error(404, "NoSuchProfile", "There is no such public page.");
  }
  return answer(context.options.activity->public_page(token));
}

Response activity_route(RouteContext& context) {
  ActivityReports* reports = context.options.activity;
  if (!reports) return json_error(404, "ActivityOff", "This server keeps no activity.");
  auto viewer = viewer_of(context);
  if (!viewer) return signed_out(viewer.error());
  const std::string_view method = context.request.method;
  std::string_view route =
      std::string_view(context.route).substr(std::string_view("activity/").size());
  if (route == "health") {
    if (method == "GET") return answer(reports->health());
  } else if (route == "profiles") {
    if (method == "GET") return answer(reports->profiles(*viewer));
  } else if (route.starts_with("profiles/")) {
    route.remove_prefix(std::string_view("profiles/").size());
    const size_t slash = route.rfind('/');
    if (slash == std::string_view::npos || slash == 0) {
      return json_error(404, "NotFound", "There is no such console API route.");
    }
    const std::string_view name = route.substr(0, slash);
    const std::string_view what = route.substr(slash + 1);
    const Request& request = context.request;
    if (what == "days" && method == "GET") {
      return answer(reports->days(*viewer, name, param(request, "from"), param(request, "to")));
    }
    if (what == "services" && method == "GET") {
      return answer(reports->services(*viewer, name, param(request, "from"), param(request, "to")));
    }
    if (what == "recent" && method == "GET") {
      size_t limit = 20;
      if (const std::string_view text = param(request, "limit"); !text.empty()) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
        if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
          return json_error(400, "InvalidArgument", "limit must be 1-1000.");
        }
      }
      return answer(reports->recent(*viewer, name, limit, param(request, "next")));
    }
    if (what == "public" && method == "PUT") {
      auto token = reports->publish(*viewer, name);
      if (!token) return activity_error(token.error());
      return json_reply(boost::json::object{{"token", *token}});
    }
    if (what == "public" && method == "DELETE") {
      if (auto off = reports->unpublish(*viewer, name); !off) return activity_error(off.error());
      return json_reply(boost::json::object{});
    }
    if (what != "days" && what != "services" && what != "recent" && what != "public") {
      return json_error(404, "NotFound", "There is no such console API route.");
    }
  } else {
    return json_error(404, "NotFound", "There is no such console API route.");
  }
  return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
}

}  // namespace cv::console
