// Signing in and out, and the dispatch of signed-in routes.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "audit/request_capture.h"
#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/hash.h"

namespace cv::console {
namespace {

// The bucket a route "buckets/<name><rest>" names, one path segment; "" when it is not one.
std::string_view bucket_of(std::string_view route, std::string_view rest) {
  constexpr std::string_view kPrefix = "buckets/";
  if (route.size() <= kPrefix.size() + rest.size() || !route.starts_with(kPrefix) ||
      !route.ends_with(rest)) {
    return {};
  }
  const std::string_view name =
      route.substr(kPrefix.size(), route.size() - kPrefix.size() - rest.size());
  return name.find('/') == std::string_view::npos ? name : std::string_view();
}

std::string session_cookie(const RouteContext& context, std::string_view value,
                           std::chrono::seconds max_age) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + std::string(value) +
      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (context.options.secure_cookies || context.request.secure) cookie += "; Secure";
  return cookie;
}

// The session and who it belongs to: "userName" (the audit trail's: "Root" for root) and
// "root", which the page uses to show the Users and Policies pages.
Response session_body(const Session& session, const auth::Credentials& key, int status) {
  return json_reply(boost::json::object{{"accessKeyId", session.access_key_id},
                                        {"userId", session.user_id},
                                        {"userName", key.user_name},
                                        {"root", key.is_root},
                                        {"csrfToken", session.csrf_token}},
                    status);
}

// `text` for a log line: printable ASCII kept (up to 128 bytes), anything else (and quotes and
// backslashes) as '?', so a submitted access key cannot forge lines, fields or escapes.
std::string loggable(std::string_view text) {
  std::string out(text.substr(0, kMaxTrackedKeyBytes));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') c = '?';
  }
  return out;
}

Response too_many_sign_ins(std::chrono::seconds retry_after) {
  const std::string seconds = std::to_string(retry_after.count());
  boost::json::object error{
      {"code", "TooManySignIns"},
      {"message", "Too many failed sign-ins; try again in " + seconds + " s."},
      {"retryAfterSeconds", retry_after.count()}};
  Response response = json_reply(boost::json::object{{"error", std::move(error)}}, 429);
  response.headers.add("retry-after", seconds);
  return response;
}

}  // namespace

Response sign_in(RouteContext& context) {
  if (!allows_secrets(context.request, context.options.plain_http_secrets)) {
    return json_error(403, "InsecureTransport",
                      "Sign-in sends your secret key, so it is refused over plain HTTP from this "
                      "address. Use the server's https:// address.");
  }
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto access_key = string_member(*body, "accessKeyId");
  auto secret = string_member(*body, "secretAccessKey");
  if (!access_key || !secret) {
    return json_error(400, "InvalidRequest", "Give an access key and its secret.");
  }
  if (context.audit) {
    // Who tried: the key given (never the secret), and its owner when the key exists.
    context.audit->parameters.emplace_back("accessKeyId", *access_key);
    context.audit->identity.access_key_id = *access_key;
  }
  const std::string& address = context.request.remote_address;
  // Refused before the secret is looked at: a guess sent during a lockout cannot succeed.
  const SignInThrottle::Attempt attempt = context.sign_ins.admit(address, *access_key);
  if (attempt.refused) {
    spdlog::debug(
        "console sign-in refused while locked out: address={} access_key=\"{}\" "
        "retry_after={}s",
        address, loggable(*access_key), attempt.retry_after.count());
    return too_many_sign_ins(attempt.retry_after);
  }
  auto found = context.credentials.find(*access_key);
  if (!found) return json_error(found.error());
  if (context.audit && *found) {
    context.audit->identity =
        audit::user_identity(context.options.audit.account_id, (*found)->user_id,
                             (*found)->user_name, (*found)->is_root, *access_key);
  }
  // The same answer for an unknown key and a wrong secret, compared in constant time.
  if (!*found || !constant_time_equal((*found)->secret_key, *secret)) {
    spdlog::warn(
        "console sign-in failed: address={} access_key=\"{}\" key_failures={} "
        "address_failures={} locked_for={}s",
        address, loggable(*access_key), attempt.key_failures, attempt.address_failures,
        attempt.lockout.count());
    Response refused =
        json_error(401, "InvalidCredentials",
                   "The access key or the secret is not right. Check both and try again.");
    refused.authentication_failed = true;
    return refused;
  }
  context.sign_ins.succeeded(address, *access_key);
  const Session session = context.sessions.open((*found)->user_id, *access_key);
  Response response = session_body(session, **found, 201);
  response.user = (*found)->user_name;
  response.headers.add("set-cookie",
                       session_cookie(context, session.token, context.sessions.limits().lifetime));
  return response;
}

Response current_session(RouteContext& context) {
  auto key = context.credentials.find(context.session->access_key_id);
  if (!key) return json_error(key.error());
  if (!*key) return signed_out(Error{ErrorCode::kAccessDenied, {}});
  return session_body(*context.session, **key, 200);
}

Response sign_out(RouteContext& context) {
  context.sessions.close(context.session->token);
  Response response;
  response.status = 204;
  response.headers.add("cache-control", "no-store");
  response.headers.add("set-cookie", session_cookie(context, "", std::chrono::seconds(0)));
  return response;
}

Response dispatch(RouteContext& context) {
  const std::string_view method = context.request.method;
  const std::string_view route = context.route;
  if (route == "session") {
    if (method == "GET") return current_session(context);
    if (method == "DELETE") return sign_out(context);
  } else if (route == "buckets") {
    if (method == "GET") return list_buckets(context);
    if (method == "POST") return create_bucket(context);
  } else if (const std::string_view bucket = bucket_of(route, ""); !bucket.empty()) {
    if (method == "DELETE") return delete_bucket(context, bucket);
  } else if (const std::string_view named = bucket_of(route, "/versioning"); !named.empty()) {
    if (method == "PUT") return set_bucket_versioning(context, named);
  } else if (const std::string_view named = bucket_of(route, "/notifications"); !named.empty()) {
    if (method == "GET") return bucket_notifications(context, named);
    if (method == "PUT") return put_notification_rule(context, named);
    if (method == "DELETE") return delete_notification_rule(context, named);
  } else if (const std::string_view named = bucket_of(route, "/usage"); !named.empty()) {
    return bucket_usage_route(context, named);
  } else if (const std::string_view named = bucket_of(route, "/access"); !named.empty()) {
    return bucket_access(context, named);
  } else if (const std::string_view named = bucket_of(route, "/policy"); !named.empty()) {
    return bucket_policy_route(context, named);
  } else if (const std::string_view named = bucket_of(route, "/public-access-block");
             !named.empty()) {
    return public_access_block_route(context, named);
  } else if (const std::string_view named = bucket_of(route, "/backup"); !named.empty()) {
    if (method == "GET") return bucket_backup(context, named);
    if (method == "POST") return add_backup_rule(context, named);
    if (method == "DELETE") return delete_backup_rule(context, named);
  } else if (route == "objects") {
    if (method == "GET") return list_folder(context);
  } else if (route == "presign") {
    if (method == "POST") return presign(context);
  } else if (route == "delete") {
    if (method == "POST") return delete_objects(context);
  } else if (route == "folders") {
    if (method == "POST") return create_folder(context);
  } else if (route == "folders/delete") {
    if (method == "POST") return delete_folder(context);
  } else if (route == "rename") {
    if (method == "POST") return rename_object(context);
  } else if (route == "object") {
    if (method == "GET") return object_details(context);
  } else if (route == "versions/restore") {
    if (method == "POST") return restore_version(context);
  } else if (route == "trail") {
    if (method == "GET") return lookup_trail(context);
  } else if (route == "thumbnail") {
    if (method == "GET") return thumbnail(context);
  } else if (route.starts_with("activity/")) {
    return activity_route(context);
  } else if (route.starts_with("operations/")) {
    return operations_route(context);
  } else if (route == "iam/users" || route.starts_with("iam/users/") || route == "iam/groups") {
    return iam_users_route(context);
  } else if (route == "iam/policies" || route.starts_with("iam/policies/") ||
             route == "iam/roles" || route.starts_with("iam/roles/")) {
    return iam_policies_route(context);
  } else if (route == "keys" || route.starts_with("keys/")) {
    return own_keys_route(context);
  } else if (route == "account/public-access-block") {
    return account_public_access_block_route(context);
  } else if (route == "uploads/sign") {
    if (method == "POST") return sign_upload_request(context);
  } else {
    return json_error(404, "NotFound", "There is no such console API route.");
  }
  return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
}

}  // namespace cv::console
