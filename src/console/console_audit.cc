#include "console/console_audit.h"

#include <algorithm>
#include <boost/json.hpp>

#include "audit/request_capture.h"
#include "console/console_api.h"
#include "core/encoding.h"

namespace cv::console {
namespace {

// The "<name>" of a route "buckets/<name>" or "buckets/<name>/<rest>", and "<rest>".
struct BucketRoute {
  std::string_view bucket;
  std::string_view rest;  // "" or "versioning", "notifications", "backup", "usage", ...
};

std::optional<BucketRoute> bucket_route(std::string_view route) {
  constexpr std::string_view kPrefix = "buckets/";
  if (!route.starts_with(kPrefix) || route.size() == kPrefix.size()) return std::nullopt;
  route.remove_prefix(kPrefix.size());
  const size_t slash = route.find('/');
  if (slash == std::string_view::npos) return BucketRoute{route, {}};
  return BucketRoute{route.substr(0, slash), route.substr(slash + 1)};
}

std::string_view bucket_event_name(std::string_view method, const BucketRoute& route) {
  if (route.rest.empty() && method == "DELETE") return "ConsoleDeleteBucket";
  if (route.rest == "versioning" && method == "PUT") return "ConsolePutBucketVersioning";
  if (route.rest == "notifications") {
    if (method == "GET") return "ConsoleGetBucketNotificationRules";
    if (method == "PUT") return "ConsolePutBucketNotificationRule";
    if (method == "DELETE") return "ConsoleDeleteBucketNotificationRule";
  }
  if (route.rest == "access" && method == "GET") return "ConsoleGetBucketAccess";
  if (route.rest == "usage" && method == "GET") return "ConsoleGetBucketUsage";
  if (route.rest == "policy") {
    if (method == "PUT") return "ConsolePutBucketPolicy";
    if (method == "DELETE") return "ConsoleDeleteBucketPolicy";
  }
  if (route.rest == "public-access-block") {
    if (method == "PUT") return "ConsolePutPublicAccessBlock";
    if (method == "DELETE") return "ConsoleDeletePublicAccessBlock";
  }
  if (route.rest == "backup") {
    if (method == "GET") return "ConsoleGetBucketBackupRules";
    if (method == "POST") return "ConsolePutBucketBackupRule";
    if (method == "DELETE") return "ConsoleDeleteBucketBackupRule";
  }
  return "ConsoleUnknownRoute";
}

// activity/... and public/activity/TOKEN.
std::string_view activity_event_name(std::string_view method, std::string_view route) {
  if (route.starts_with("public/activity/")) return "ConsoleGetPublicActivity";
  if (route == "activity/health") return "ConsoleGetActivityHealth";
  if (route == "activity/profiles") return "ConsoleListActivityProfiles";
  if (route.ends_with("/days")) return "ConsoleGetActivityDays";
  if (route.ends_with("/services")) return "ConsoleGetActivityServices";
  if (route.ends_with("/recent")) return "ConsoleListRecentActivity";
  if (route.ends_with("/public")) {
    return method == "DELETE" ? "ConsoleDeleteActivityPublicPage" : "ConsolePutActivityPublicPage";
  }
  return "ConsoleUnknownRoute";
}

// The IAM pages' routes, named after the IAM action each performs: iam/users...,
// iam/groups, iam/policies..., iam/roles..., keys... (the caller's own keys).
std::string_view iam_event_name(std::string_view method, std::string_view route) {
  struct Entry {
    std::string_view method;
    std::string_view pattern;  // segments; "*" matches any one
    std::string_view name;
  };
  static constexpr Entry kRoutes[] = {
      {"GET", "iam/users", "ConsoleListUsers"},
      {"POST", "iam/users", "ConsoleCreateUser"},
      {"GET", "iam/users/*", "ConsoleGetUser"},
      {"DELETE", "iam/users/*", "ConsoleDeleteUser"},
      {"POST", "iam/users/*/keys", "ConsoleCreateAccessKey"},
      {"PUT", "iam/users/*/keys/*", "ConsoleUpdateAccessKey"},
      {"DELETE", "iam/users/*/keys/*", "ConsoleDeleteAccessKey"},
      {"GET", "iam/users/*/policies/*", "ConsoleGetUserPolicy"},
      {"PUT", "iam/users/*/policies/*", "ConsolePutUserPolicy"},
      {"DELETE", "iam/users/*/policies/*", "ConsoleDeleteUserPolicy"},
      {"POST", "iam/users/*/attached", "ConsoleAttachUserPolicy"},
      {"DELETE", "iam/users/*/attached", "ConsoleDetachUserPolicy"},
      {"PUT", "iam/users/*/groups/*", "ConsoleAddUserToGroup"},
      {"DELETE", "iam/users/*/groups/*", "ConsoleRemoveUserFromGroup"},
      {"GET", "iam/groups", "ConsoleListGroups"},
      {"POST", "iam/groups", "ConsoleCreateGroup"},
      {"GET", "iam/policies", "ConsoleListPolicies"},
      {"POST", "iam/policies", "ConsoleCreatePolicy"},
      {"GET", "iam/policies/*", "ConsoleGetPolicy"},
      {"DELETE", "iam/policies/*", "ConsoleDeletePolicy"},
      {"GET", "iam/roles", "ConsoleListRoles"},
      {"POST", "iam/roles", "ConsoleCreateRole"},
      {"GET", "iam/roles/*", "ConsoleGetRole"},
      {"DELETE", "iam/roles/*", "ConsoleDeleteRole"},
      {"GET", "iam/roles/*/policies/*", "ConsoleGetRolePolicy"},
      {"PUT", "iam/roles/*/policies/*", "ConsolePutRolePolicy"},
      {"DELETE", "iam/roles/*/policies/*", "ConsoleDeleteRolePolicy"},
      {"POST", "iam/roles/*/attached", "ConsoleAttachRolePolicy"},
      {"DELETE", "iam/roles/*/attached", "ConsoleDetachRolePolicy"},
      {"GET", "keys", "ConsoleListOwnAccessKeys"},
      {"POST", "keys", "ConsoleCreateOwnAccessKey"},
      {"PUT", "keys/*", "ConsoleUpdateOwnAccessKey"},
      {"DELETE", "keys/*", "ConsoleDeleteOwnAccessKey"},
  };
  const auto matches = [route](std::string_view pattern) {
    std::string_view rest = route;
    while (true) {
      const size_t pattern_end = std::min(pattern.find('/'), pattern.size());
      const size_t rest_end = std::min(rest.find('/'), rest.size());
      const std::string_view want = pattern.substr(0, pattern_end);
      const std::string_view got = rest.substr(0, rest_end);
      if (want == "*" ? got.empty() : want != got) return false;
      const bool pattern_done = pattern_end == pattern.size();
      const bool rest_done = rest_end == rest.size();
      if (pattern_done || rest_done) return pattern_done && rest_done;
      pattern.remove_prefix(pattern_end + 1);
      rest.remove_prefix(rest_end + 1);
    }
  };
  for (const Entry& entry : kRoutes) {
    if (entry.method == method && matches(entry.pattern)) return entry.name;
  }
  return "ConsoleUnknownRoute";
}

// The names an IAM route's path holds, as CloudTrail's requestParameters of the IAM call:
// iam/users/U[/keys/K|/policies/P|/groups/G], iam/roles/R[/policies/P], iam/policies/P,
// keys/K. Nothing for other routes.
std::vector<std::pair<std::string, std::string>> iam_parameters(std::string_view route) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= route.size();) {
    const size_t slash = std::min(route.find('/', start), route.size());
    parts.push_back(route.substr(start, slash - start));
    start = slash + 1;
  }
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    if (!value.empty()) out.emplace_back(name, value);
  };
  if (parts.size() == 2 && parts[0] == "keys") {
    add("accessKeyId", parts[1]);
    return out;
  }
  if (parts.size() < 3 || parts[0] != "iam") return out;
  if (parts[1] == "users") add("userName", parts[2]);
  if (parts[1] == "roles") add("roleName", parts[2]);
  if (parts[1] == "policies") add("policyName", parts[2]);
  if (parts.size() == 5 && (parts[1] == "users" || parts[1] == "roles")) {
    if (parts[3] == "keys") add("accessKeyId", parts[4]);
    if (parts[3] == "policies") add("policyName", parts[4]);
    if (parts[3] == "groups") add("groupName", parts[4]);
  }
  return out;
}

}  // namespace

std::string_view console_event_name(std::string_view method, std::string_view route) {
  struct Entry {
    std::string_view method;
    std::string_view route;
    std::string_view name;
  };
  static constexpr Entry kRoutes[] = {
      {"POST", "session", "ConsoleSignIn"},
      {"GET", "session", "ConsoleGetSession"},
      {"DELETE", "session", "ConsoleSignOut"},
      {"GET", "buckets", "ConsoleListBuckets"},
      {"POST", "buckets", "ConsoleCreateBucket"},
      {"GET", "objects", "ConsoleListFolder"},
      {"POST", "presign", "ConsolePresign"},
      {"POST", "delete", "ConsoleDeleteObjects"},
      {"POST", "folders", "ConsoleCreateFolder"},
      {"POST", "folders/delete", "ConsoleDeleteFolder"},
      {"POST", "rename", "ConsoleRenameObject"},
      {"GET", "object", "ConsoleGetObjectDetails"},
      {"POST", "versions/restore", "ConsoleRestoreObjectVersion"},
      {"GET", "thumbnail", "ConsoleGetThumbnail"},
      {"POST", "uploads/sign", "ConsolePresignUpload"},
      {"GET", "account/public-access-block", "ConsoleGetAccountPublicAccessBlock"},
      {"PUT", "account/public-access-block", "ConsolePutAccountPublicAccessBlock"},
      {"DELETE", "account/public-access-block", "ConsoleDeleteAccountPublicAccessBlock"},
      {"GET", "operations/dashboard", "ConsoleGetDashboard"},
      {"GET", "operations/alarms", "ConsoleListAlarms"},
      {"GET", "operations/alarms/history", "ConsoleGetAlarmHistory"},
  };
  for (const Entry& entry : kRoutes) {
    if (entry.route == route && entry.method == method) return entry.name;
  }
  if (const auto named = bucket_route(route)) return bucket_event_name(method, *named);
  if (route.starts_with("activity/") || route.starts_with("public/activity/")) {
    return activity_event_name(method, route);
  }
  if (route.starts_with("iam/") || route == "keys" || route.starts_with("keys/")) {
    return iam_event_name(method, route);
  }
  return "ConsoleUnknownRoute";
}

audit::AuditEvent begin_console_record(const Request& request, std::string_view region,
                                       std::string_view account_id, int64_t now_ns) {
  const std::string route =
      percent_decode(
          std::string_view(request.path).substr(std::min(request.path.size(), kApiPrefix.size())))
          .value_or(std::string());
  audit::AuditEvent record =
      audit::begin_record(request, audit::kConsoleEventSource, region, account_id, now_ns);
  record.event_name = console_event_name(request.method, route);
  record.parameters = request.params;
  if (const auto named = bucket_route(route)) {
    record.bucket = named->bucket;
  } else if (const std::string* bucket = find_param(request.params, "bucket")) {
    record.bucket = *bucket;
  }
  if (const std::string* key = find_param(request.params, "key")) record.key = *key;
  for (auto& parameter : iam_parameters(route)) record.parameters.push_back(std::move(parameter));
  return record;
}

void describe_console_subject(const Request& request, std::string_view route, Response& response) {
  if (const auto named = bucket_route(route)) {
    response.bucket = named->bucket;
  } else if (const std::string* bucket = find_param(request.params, "bucket")) {
    response.bucket = *bucket;
  }
  if (const std::string* key = find_param(request.params, "key")) response.key = *key;
}

void describe_console_outcome(audit::AuditEvent& record, const Response& response) {
  if (response.status < 400) return;
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  const boost::json::object* document = ec ? nullptr : body.if_object();
  const boost::json::value* error = document ? document->if_contains("error") : nullptr;
  const boost::json::object* fields = error ? error->if_object() : nullptr;
  const auto text = [fields](std::string_view name) -> std::string {
    const boost::json::value* value = fields ? fields->if_contains(name) : nullptr;
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  record.error_code = text("code");
  record.error_message = text("message");
  if (record.error_code.empty()) record.error_code = "HTTP" + std::to_string(response.status);
}

}  // namespace cv::console
