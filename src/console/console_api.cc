#include "console/console_api.h"

#include <boost/json.hpp>

#include "console/console_audit.h"
#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::console {
namespace {

// The value of one cookie in the Cookie header, or empty.
std::string_view cookie_value(const Headers& headers, std::string_view name) {
  std::string_view rest = headers.get("cookie");
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return pair.substr(equals + 1);
    }
  }
  return {};
}

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// A browser's Origin must name the host the request was sent to (http or https).
bool origin_allowed(const Headers& headers) {
  const std::string* origin = headers.find("origin");
  if (!origin) return true;
  const std::string_view host = headers.get("host");
  return !host.empty() &&
         (*origin == "http://" + std::string(host) || *origin == "https://" + std::string(host));
}

}  // namespace

ConsoleApi::ConsoleApi(vault::Vault& vault, auth::CredentialStore& credentials,
                       SessionStore& sessions, ThumbnailCache& thumbnails, ConsoleOptions options)
    : vault_(vault),
      credentials_(credentials),
      sessions_(sessions),
      thumbnails_(thumbnails),
      options_(options),
      listings_(vault.clock()),
      sign_ins_(vault.clock(), options_.sign_in_throttle) {}

bool ConsoleApi::owns(const Request& request) { return request.path.starts_with(kApiPrefix); }

Response ConsoleApi::handle(Request& request) {
  audit::AuditSink* const sink = options_.audit.sink;
  std::optional<audit::AuditEvent> record;
  if (sink) {
    record = begin_console_record(request, options_.region, options_.audit.account_id,
                                  to_unix_nanos(vault_.clock().now()));
  }
  std::string denial;
  Response response = serve(request, record ? &*record : nullptr, denial);
  // The route's name (one of a fixed set), for metrics and logs.
  const auto route = percent_decode(std::string_view(request.path).substr(kApiPrefix.size()));
  response.operation = route ? console_event_name(request.method, *route) : "ConsoleUnknownRoute";
  if (route) describe_console_subject(request, *route, response);
  if (record) {
    describe_console_outcome(*record, response);
    // As on the S3 API: the page sees only that access was denied, the trail also why.
    if (!denial.empty()) record->error_message += ": " + denial;
    audit::record_on_completion(response, std::move(*record), *sink);
  }
  return response;
}

Response ConsoleApi::serve(Request& request, audit::AuditEvent* record, std::string& denial) {
  auto decoded = percent_decode(std::string_view(request.path).substr(kApiPrefix.size()));
  if (!decoded) return json_error(400, "InvalidPath", "The request path is not valid.");
  const std::string route = std::move(*decoded);
  if (changes_state(request.method) && !origin_allowed(request.headers)) {
    return json_error(403, "ForeignOrigin", "Requests from another site are not accepted.");
  }
  const DestinationCatalog& destinations =
      options_.destinations ? *options_.destinations : no_destinations_;
  RouteContext context{vault_,       credentials_, sessions_,    thumbnails_, listings_,
                       sign_ins_,    options_,     destinations, request,     route,
                       std::nullopt, record,       &denial};
  if (route == "session" && request.method == "POST") return sign_in(context);
  if (route.starts_with("public/activity/")) {
    return public_activity(context, std::string_view(route).substr(16));
  }

  const std::string_view token = cookie_value(request.headers, kSessionCookie);
  context.session = token.empty() ? std::nullopt : sessions_.find(token);
  std::string user_name;
  if (context.session) {
    // A deleted key ends its sessions at once.
    auto key = credentials_.find(context.session->access_key_id);
    if (!key || !*key) {
      sessions_.close_key(context.session->access_key_id);
      context.session.reset();
    } else {
      user_name = (*key)->user_name;
    }
    if (context.session && record) {
      record->identity =
          audit::user_identity(options_.audit.account_id, (*key)->user_id, (*key)->user_name,
                               (*key)->is_root, context.session->access_key_id);
    }
  }
  if (!context.session) {
    return json_error(401, "SignInRequired", "Sign in to continue: your session has ended.");
  }
  Response response;
  if (changes_state(request.method) &&
      !constant_time_equal(request.headers.get("x-csrf-token"), context.session->csrf_token)) {
    response =
        json_error(403, "CsrfTokenMismatch", "This page is out of date: reload it and try again.");
  } else {
    response = dispatch(context);
  }
  response.user = std::move(user_name);
  return response;
}

}  // namespace cv::console
