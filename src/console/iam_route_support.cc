#include "console/iam_route_support.h"

#include <algorithm>
#include <boost/json.hpp>

#include "console/json_reply.h"
#include "core/clock.h"

namespace cv::console {

std::expected<IamAccess, Response> iam_access(RouteContext& context, bool root_only) {
  if (!context.options.iam || !context.options.users) {
    return std::unexpected(json_error(404, "IamOff", "This server has no IAM users to manage."));
  }
  auto key = context.credentials.find(context.session->access_key_id);
  if (!key) return std::unexpected(json_error(key.error()));
  if (!*key) return std::unexpected(signed_out(Error{ErrorCode::kAccessDenied, {}}));
  if (root_only && !(*key)->is_root) {
    return std::unexpected(
        json_error(403, "AccessDenied", "Only the root user may manage users and policies."));
  }
  return IamAccess{*context.options.iam, *context.options.users, **key};
}

std::vector<std::string_view> route_segments(std::string_view route) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    const size_t slash = route.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(route.substr(start));
      return segments;
    }
    segments.push_back(route.substr(start, slash - start));
    start = slash + 1;
  }
}

boost::json::value time_json(int64_t unix_ns) {
  if (unix_ns == 0) return nullptr;
  return boost::json::string(format_iso8601(from_unix_nanos(unix_ns)));
}

boost::json::object key_json(iam::UserDirectory& users, const iam::KeyInfo& key) {
  boost::json::object out{{"accessKeyId", key.access_key_id},
                          {"status", key.active ? "Active" : "Inactive"},
                          {"created", time_json(key.created_ns)},
                          {"lastUsed", nullptr},
                          {"lastUsedService", ""},
                          {"lastUsedRegion", ""}};
  // A key deleted meanwhile simply shows no use.
  if (auto use = users.key_last_use(key.access_key_id)) {
    out["lastUsed"] = time_json(use->used_ns);
    out["lastUsedService"] = use->service;
    out["lastUsedRegion"] = use->region;
  }
  return out;
}

Result<boost::json::array> keys_json(iam::UserDirectory& users, std::string_view user_name) {
  std::vector<iam::KeyInfo> keys = CV_TRY(users.list_keys(user_name));
  std::ranges::sort(keys, {}, &iam::KeyInfo::created_ns);
  boost::json::array out;
  for (const iam::KeyInfo& key : keys) out.push_back(key_json(users, key));
  return out;
}

Result<boost::json::object> managed_policy_json(iam::IamDirectory& iam,
                                                const meta::ManagedPolicy& policy,
                                                bool with_document) {
  boost::json::object out{{"name", policy.name},
                          {"arn", iam.policy_arn(policy)},
                          {"path", policy.path},
                          {"id", policy.id},
                          {"description", policy.description},
                          {"created", time_json(policy.created_ns)},
                          {"attachments", CV_TRY(iam.attachment_count(policy))}};
  if (with_document) out["document"] = policy.document;
  return out;
}

void note_parameter(RouteContext& context, std::string_view name, std::string_view value) {
  if (context.audit) context.audit->parameters.emplace_back(name, value);
}

Response method_not_allowed() {
  return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
}

Response no_such_route() {
  return json_error(404, "NotFound", "There is no such console API route.");
}

}  // namespace cv::console
