// The Policies page's routes (root only), as calls on iam::IamDirectory:
//   GET/POST iam/policies, GET/DELETE iam/policies/NAME (managed policies, by name);
//   GET/POST iam/roles, GET/DELETE iam/roles/R (?force=true removes its policies first),
//   GET/PUT/DELETE iam/roles/R/policies/P, POST/DELETE iam/roles/R/attached (?arn=).
// Role changes answer the role as GET iam/roles/R does.
#include <boost/json.hpp>

#include "console/iam_route_support.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

iam::PrincipalName role_principal(std::string_view name) {
  return {meta::IamPrincipalKind::kRole, std::string(name)};
}

Response no_content() {
  Response response;
  response.status = 204;
  response.headers.add("cache-control", "no-store");
  return response;
}

Response list_policies(IamAccess& access) {
  auto policies = access.iam.list_policies();
  if (!policies) return json_error(policies.error());
  boost::json::array out;
  for (const meta::ManagedPolicy& policy : *policies) {
    auto json = managed_policy_json(access.iam, policy, /*with_document=*/false);
    if (!json) return json_error(json.error());
    out.push_back(std::move(*json));
  }
  return json_reply(boost::json::object{{"policies", std::move(out)}});
}

Response create_policy(RouteContext& context, IamAccess& access) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto name = string_member(*body, "name");
  auto document = string_member(*body, "document");
  if (!name || !document) {
    return json_error(400, "InvalidRequest", "Give the policy's name and its document.");
  }
  note_parameter(context, "policyName", *name);
  auto description = optional_string_member(*body, "description");
  if (!description) return json_error(400, "InvalidRequest", description.error().message);
  auto created = access.iam.create_policy(*name, "/", *document, *description);
  if (!created) return json_error(created.error());
  auto json = managed_policy_json(access.iam, *created, /*with_document=*/true);
  if (!json) return json_error(json.error());
  return json_reply(*json, 201);
}

Response one_policy(RouteContext& context, IamAccess& access, std::string_view name) {
  auto policy = access.iam.get_policy_by_name(name);
  if (!policy) return json_error(policy.error());
  const std::string_view method = context.request.method;
  if (method == "GET") {
    auto json = managed_policy_json(access.iam, *policy, /*with_document=*/true);
    if (!json) return json_error(json.error());
    return json_reply(*json);
  }
  if (method != "DELETE") return method_not_allowed();
  // DeleteConflict while attached, as IAM's DeletePolicy.
  if (auto deleted = access.iam.delete_policy(access.iam.policy_arn(*policy)); !deleted) {
    return json_error(deleted.error());
  }
  return no_content();
}

boost::json::object role_summary(IamAccess& access, const meta::IamRole& role) {
  return {{"name", role.name},
          {"arn", access.iam.role_arn(role)},
          {"id", role.id},
          {"path", role.path},
          {"description", role.description},
          {"maxSessionSeconds", role.max_session_seconds},
          {"created", time_json(role.created_ns)}};
}

Result<boost::json::object> role_detail(IamAccess& access, std::string_view name) {
  const meta::IamRole role = CV_TRY(access.iam.get_role(name));
  boost::json::object out = role_summary(access, role);
  out["trustPolicy"] = role.trust_policy;
  boost::json::array inline_names;
  for (std::string& policy : CV_TRY(access.iam.list_inline_policies(role_principal(role.name)))) {
    inline_names.emplace_back(std::move(policy));
  }
  out["inlinePolicies"] = std::move(inline_names);
  boost::json::array attached;
  for (const auto& policy : CV_TRY(access.iam.list_attached_policies(role_principal(role.name)))) {
    attached.push_back(
        boost::json::object{{"name", policy.name}, {"arn", access.iam.policy_arn(policy)}});
  }
  out["attachedPolicies"] = std::move(attached);
  return out;
}

Response role_reply(IamAccess& access, std::string_view name, int status = 200) {
  auto detail = role_detail(access, name);
  if (!detail) return json_error(detail.error());
  return json_reply(*detail, status);
}

Response list_roles(IamAccess& access) {
  auto roles = access.iam.list_roles();
  if (!roles) return json_error(roles.error());
  boost::json::array out;
  for (const meta::IamRole& role : *roles) out.push_back(role_summary(access, role));
  // The account, for a trust policy naming it (arn:aws:iam::ACCOUNT:root).
  return json_reply(
      boost::json::object{{"roles", std::move(out)}, {"accountId", access.iam.account_id()}});
}

Response create_role(RouteContext& context, IamAccess& access) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto name = string_member(*body, "name");
  auto trust = string_member(*body, "trustPolicy");
  if (!name || !trust) {
    return json_error(400, "InvalidRequest", "Give the role's name and its trust policy.");
  }
  note_parameter(context, "roleName", *name);
  auto description = optional_string_member(*body, "description");
  if (!description) return json_error(400, "InvalidRequest", description.error().message);
  int64_t max_session = 3600;
  if (const boost::json::value* given = body->if_contains("maxSessionSeconds");
      given && !given->is_null()) {
    if (!given->is_int64()) {
      return json_error(400, "InvalidRequest", "\"maxSessionSeconds\" must be a whole number.");
    }
    max_session = given->get_int64();
  }
  auto created = access.iam.create_role(*name, "/", *trust, *description, max_session);
  if (!created) return json_error(created.error());
  return role_reply(access, created->name, 201);
}

// What keeps a role from being deleted: its inline policies and attachments.
Status remove_role_policies(IamAccess& access, std::string_view role) {
  const iam::PrincipalName owner = role_principal(role);
  for (const std::string& policy : CV_TRY(access.iam.list_inline_policies(owner))) {
    CV_TRY(access.iam.delete_inline_policy(owner, policy));
  }
  for (const meta::ManagedPolicy& policy : CV_TRY(access.iam.list_attached_policies(owner))) {
    CV_TRY(access.iam.detach_policy(owner, access.iam.policy_arn(policy)));
  }
  return {};
}

Response delete_role(RouteContext& context, IamAccess& access, std::string_view name) {
  auto role = access.iam.get_role(name);
  if (!role) return json_error(role.error());
  const std::string* force = find_param(context.request.params, "force");
  if (force && *force == "true") {
    if (auto removed = remove_role_policies(access, role->name); !removed) {
      return json_error(removed.error());
    }
  }
  if (auto deleted = access.iam.delete_role(role->name); !deleted) {
    return json_error(deleted.error());
  }
  return no_content();
}

Response role_inline_policy(RouteContext& context, IamAccess& access, std::string_view role,
                            std::string_view policy) {
  if (auto answered = inline_policy_route(context, access, role_principal(role), policy)) {
    return std::move(*answered);
  }
  return role_reply(access, role);
}

Response role_attachment(RouteContext& context, IamAccess& access, std::string_view role) {
  const iam::PrincipalName owner = role_principal(role);
  const std::string_view method = context.request.method;
  Status changed;
  if (method == "POST") {
    auto arn = policy_document_from(context, "arn");
    if (!arn) return json_error(400, "InvalidRequest", "Give the ARN of the policy to attach.");
    changed = access.iam.attach_policy(owner, *arn);
  } else if (method == "DELETE") {
    const std::string* arn = find_param(context.request.params, "arn");
    if (!arn) return json_error(400, "InvalidRequest", "Give the ARN of the policy to detach.");
    changed = access.iam.detach_policy(owner, *arn);
  } else {
    return method_not_allowed();
  }
  if (!changed) return json_error(changed.error());
  return role_reply(access, role);
}

Response role_route(RouteContext& context, IamAccess& access,
                    const std::vector<std::string_view>& path) {  // from the role's name on
  const std::string_view method = context.request.method;
  if (path.size() == 1) {
    if (method == "GET") return role_reply(access, path[0]);
    if (method == "DELETE") return delete_role(context, access, path[0]);
    return method_not_allowed();
  }
  if (path.size() == 2 && path[1] == "attached") return role_attachment(context, access, path[0]);
  if (path.size() == 3 && path[1] == "policies" && !path[2].empty()) {
    return role_inline_policy(context, access, path[0], path[2]);
  }
  return no_such_route();
}

}  // namespace

Response iam_policies_route(RouteContext& context) {
  auto access = iam_access(context, /*root_only=*/true);
  if (!access) return std::move(access.error());
  const std::vector<std::string_view> path = route_segments(context.route);  // iam, policies|roles
  const std::string_view method = context.request.method;
  const bool roles = path[1] == "roles";
  if (path.size() == 2) {
    if (method == "GET") return roles ? list_roles(*access) : list_policies(*access);
    if (method == "POST") {
      return roles ? create_role(context, *access) : create_policy(context, *access);
    }
    return method_not_allowed();
  }
  if (path[2].empty()) return no_such_route();
  if (roles) return role_route(context, *access, {path.begin() + 2, path.end()});
  if (path.size() == 3) return one_policy(context, *access, path[2]);
  return no_such_route();
}

}  // namespace cv::console
