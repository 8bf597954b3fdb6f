// The Users page's routes (root only), as calls on iam::IamDirectory and iam::UserDirectory
// (the rules are theirs: names, DeleteConflict, the two-key limit, document checks):
//   GET/POST iam/users, GET/DELETE iam/users/U (?force=true removes what blocks it first),
//   POST iam/users/U/keys, PUT/DELETE iam/users/U/keys/K,
//   GET/PUT/DELETE iam/users/U/policies/P, POST/DELETE iam/users/U/attached (?arn=),
//   PUT/DELETE iam/users/U/groups/G, GET/POST iam/groups.
// Every change answers the user as GET iam/users/U does, so the page redraws from it.
#include <algorithm>
#include <boost/json.hpp>

#include "console/iam_route_support.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

iam::PrincipalName user_principal(std::string_view name) {
  return {meta::IamPrincipalKind::kUser, std::string(name)};
}

Result<boost::json::array> group_names(iam::IamDirectory& iam, std::string_view user) {
  boost::json::array names;
  for (const meta::IamGroup& group : CV_TRY(iam.list_groups_for_user(user))) {
    names.emplace_back(group.name);
  }
  return names;
}

Result<boost::json::object> user_summary(IamAccess& access, const meta::User& user) {
  return boost::json::object{{"name", user.name},
                             {"id", user.iam_id},
                             {"arn", access.iam.user_arn(user)},
                             {"path", user.path},
                             {"created", time_json(user.created_ns)},
                             {"groups", CV_TRY(group_names(access.iam, user.name))},
                             {"keys", CV_TRY(access.users.list_keys(user.name)).size()}};
}

Result<boost::json::object> user_detail(IamAccess& access, std::string_view name) {
  const meta::User user = CV_TRY(access.iam.get_user(name));
  boost::json::object out = CV_TRY(user_summary(access, user));
  out["accessKeys"] = CV_TRY(keys_json(access.users, user.name));
  boost::json::array inline_names;
  for (std::string& policy : CV_TRY(access.iam.list_inline_policies(user_principal(user.name)))) {
    inline_names.emplace_back(std::move(policy));
  }
  out["inlinePolicies"] = std::move(inline_names);
  boost::json::array attached;
  for (const auto& policy : CV_TRY(access.iam.list_attached_policies(user_principal(user.name)))) {
    attached.push_back(
        boost::json::object{{"name", policy.name}, {"arn", access.iam.policy_arn(policy)}});
  }
  out["attachedPolicies"] = std::move(attached);
  return out;
}

Response detail_reply(IamAccess& access, std::string_view name, int status = 200) {
  auto detail = user_detail(access, name);
  if (!detail) return json_error(detail.error());
  return json_reply(*detail, status);
}

Response list_users(IamAccess& access) {
  auto users = access.iam.list_users();
  if (!users) return json_error(users.error());
  boost::json::array out;
  for (const meta::User& user : *users) {
    auto summary = user_summary(access, user);
    if (!summary) return json_error(summary.error());
    out.push_back(std::move(*summary));
  }
  return json_reply(boost::json::object{{"users", std::move(out)}});
}

Response create_user(RouteContext& context, IamAccess& access) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto name = string_member(*body, "name");
  if (!name) return json_error(400, "InvalidRequest", "Give the new user's name.");
  note_parameter(context, "userName", *name);
  auto path = optional_string_member(*body, "path");
  if (!path) return json_error(400, "InvalidRequest", path.error().message);
  auto created = access.iam.create_user(*name, *path, {});
  if (!created) return json_error(created.error());
  return detail_reply(access, created->name, 201);
}

// What keeps a user from being deleted, removed one at a time: keys, inline policies,
// attached policies, group memberships (as `aws iam` users must do before delete-user).
Status remove_dependents(IamAccess& access, const meta::User& user) {
  const iam::PrincipalName owner = user_principal(user.name);
  for (const iam::KeyInfo& key : CV_TRY(access.users.list_keys(user.name))) {
    CV_TRY(access.users.delete_key(key.access_key_id));
  }
  for (const std::string& policy : CV_TRY(access.iam.list_inline_policies(owner))) {
    CV_TRY(access.iam.delete_inline_policy(owner, policy));
  }
  for (const meta::ManagedPolicy& policy : CV_TRY(access.iam.list_attached_policies(owner))) {
    CV_TRY(access.iam.detach_policy(owner, access.iam.policy_arn(policy)));
  }
  for (const meta::IamGroup& group : CV_TRY(access.iam.list_groups_for_user(user.name))) {
    CV_TRY(access.iam.remove_user_from_group(group.name, user.name));
  }
  return {};
}

Response delete_user(RouteContext& context, IamAccess& access, std::string_view name) {
  auto user = access.iam.get_user(name);
  if (!user) return json_error(user.error());
  const std::string* force = find_param(context.request.params, "force");
  if (force && *force == "true" && !user->is_root) {
    if (auto removed = remove_dependents(access, *user); !removed) {
      return json_error(removed.error());
    }
  }
  if (auto deleted = access.iam.delete_user(user->name); !deleted) {
    return json_error(deleted.error());
  }
  Response response;
  response.status = 204;
  response.headers.add("cache-control", "no-store");
  return response;
}

Response create_key(IamAccess& access, std::string_view name) {
  auto user = access.iam.get_user(name);
  if (!user) return json_error(user.error());
  auto created = access.users.create_key(user->name, std::nullopt, std::nullopt);
  if (!created) return json_error(created.error());
  // The secret is in this answer only: it is stored sealed and never shown again.
  return json_reply(boost::json::object{{"accessKeyId", created->access_key_id},
                                        {"secretAccessKey", created->secret_key},
                                        {"user", user->name}},
                    201);
}

// The key when it is one of the user's; NoSuchEntity otherwise (as IAM answers a key id
// given with another user's name).
Status check_key_owner(IamAccess& access, std::string_view user, std::string_view key) {
  const auto keys = CV_TRY(access.users.list_keys(user));
  if (std::ranges::find(keys, key, &iam::KeyInfo::access_key_id) == keys.end()) {
    return fail(ErrorCode::kNoSuchEntity,
                "The user " + std::string(user) + " has no access key " + std::string(key) + ".");
  }
  return {};
}

Response user_key(RouteContext& context, IamAccess& access, std::string_view name,
                  std::string_view key) {
  auto user = access.iam.get_user(name);
  if (!user) return json_error(user.error());
  if (auto owned = check_key_owner(access, user->name, key); !owned) {
    return json_error(owned.error());
  }
  const std::string_view method = context.request.method;
  if (method == "DELETE") {
    if (auto deleted = access.users.delete_key(key); !deleted) return json_error(deleted.error());
  } else if (method == "PUT") {
    auto active = key_status_from(context);
    if (!active) return json_error(400, "ValidationError", active.error().message);
    if (auto set = access.users.set_key_active(key, *active); !set) return json_error(set.error());
  } else {
    return method_not_allowed();
  }
  return detail_reply(access, user->name);
}

Response inline_policy(RouteContext& context, IamAccess& access, std::string_view name,
                       std::string_view policy) {
  if (auto answered = inline_policy_route(context, access, user_principal(name), policy)) {
    return std::move(*answered);
  }
  return detail_reply(access, name);
}

Response attached_policy(RouteContext& context, IamAccess& access, std::string_view name) {
  const iam::PrincipalName owner = user_principal(name);
  const std::string_view method = context.request.method;
  if (method == "POST") {
    auto body = read_json_object(context.request, context.options.max_json_body);
    if (!body) return json_error(400, "InvalidRequest", body.error().message);
    auto arn = string_member(*body, "arn");
    if (!arn) return json_error(400, "InvalidRequest", "Give the ARN of the policy to attach.");
    if (auto attached = access.iam.attach_policy(owner, *arn); !attached) {
      return json_error(attached.error());
    }
  } else if (method == "DELETE") {
    const std::string* arn = find_param(context.request.params, "arn");
    if (!arn) return json_error(400, "InvalidRequest", "Give the ARN of the policy to detach.");
    if (auto detached = access.iam.detach_policy(owner, *arn); !detached) {
      return json_error(detached.error());
    }
  } else {
    return method_not_allowed();
  }
  return detail_reply(access, name);
}

Response membership(RouteContext& context, IamAccess& access, std::string_view name,
                    std::string_view group) {
  const std::string_view method = context.request.method;
  Status changed;
  if (method == "PUT") {
    changed = access.iam.add_user_to_group(group, name);
  } else if (method == "DELETE") {
    changed = access.iam.remove_user_from_group(group, name);
  } else {
    return method_not_allowed();
  }
  if (!changed) return json_error(changed.error());
  return detail_reply(access, name);
}

Response groups(RouteContext& context, IamAccess& access) {
  const std::string_view method = context.request.method;
  if (method == "POST") {
    auto body = read_json_object(context.request, context.options.max_json_body);
    if (!body) return json_error(400, "InvalidRequest", body.error().message);
    auto name = string_member(*body, "name");
    if (!name) return json_error(400, "InvalidRequest", "Give the new group's name.");
    note_parameter(context, "groupName", *name);
    if (auto created = access.iam.create_group(*name, "/"); !created) {
      return json_error(created.error());
    }
  } else if (method != "GET") {
    return method_not_allowed();
  }
  auto listed = access.iam.list_groups();
  if (!listed) return json_error(listed.error());
  boost::json::array out;
  for (const meta::IamGroup& group : *listed) {
    out.push_back(boost::json::object{{"name", group.name},
                                      {"arn", access.iam.group_arn(group)},
                                      {"created", time_json(group.created_ns)}});
  }
  return json_reply(boost::json::object{{"groups", std::move(out)}}, method == "POST" ? 201 : 200);
}

// iam/users/U/...: segments from U on.
Response user_route(RouteContext& context, IamAccess& access,
                    const std::vector<std::string_view>& path) {
  const std::string_view method = context.request.method;
  const std::string_view name = path[0];
  if (path.size() == 1) {
    if (method == "GET") return detail_reply(access, name);
    if (method == "DELETE") return delete_user(context, access, name);
    return method_not_allowed();
  }
  const std::string_view part = path[1];
  if (path.size() == 2 && part == "keys") {
    return method == "POST" ? create_key(access, name) : method_not_allowed();
  }
  if (path.size() == 2 && part == "attached") return attached_policy(context, access, name);
  if (path.size() == 3 && !path[2].empty()) {
    if (part == "keys") return user_key(context, access, name, path[2]);
    if (part == "policies") return inline_policy(context, access, name, path[2]);
    if (part == "groups") return membership(context, access, name, path[2]);
  }
  return no_such_route();
}

}  // namespace

Result<bool> key_status_from(RouteContext& context) {
  const boost::json::object body =
      CV_TRY(read_json_object(context.request, context.options.max_json_body));
  const std::string status = CV_TRY(optional_string_member(body, "status"));
  if (status == "Active") return true;
  if (status == "Inactive") return false;
  return fail(ErrorCode::kValidationError, "The status must be \"Active\" or \"Inactive\".");
}

std::optional<Response> inline_policy_route(RouteContext& context, IamAccess& access,
                                            const iam::PrincipalName& owner,
                                            std::string_view policy) {
  const std::string_view method = context.request.method;
  if (method == "GET") {
    auto found = access.iam.get_inline_policy(owner, policy);
    if (!found) return json_error(found.error());
    return json_reply(boost::json::object{{"name", found->name}, {"document", found->document}});
  }
  if (method == "PUT") {
    auto document = policy_document_from(context);
    if (!document) return json_error(400, "InvalidRequest", document.error().message);
    if (auto put = access.iam.put_inline_policy(owner, policy, *document); !put) {
      return json_error(put.error());
    }
  } else if (method == "DELETE") {
    if (auto deleted = access.iam.delete_inline_policy(owner, policy); !deleted) {
      return json_error(deleted.error());
    }
  } else {
    return method_not_allowed();
  }
  return std::nullopt;
}

Result<std::string> policy_document_from(RouteContext& context, std::string_view member) {
  const boost::json::object body =
      CV_TRY(read_json_object(context.request, context.options.max_json_body));
  return string_member(body, member);
}

Response iam_users_route(RouteContext& context) {
  auto access = iam_access(context, /*root_only=*/true);
  if (!access) return std::move(access.error());
  const std::vector<std::string_view> path = route_segments(context.route);  // iam, users, ...
  if (path.size() == 2 && path[1] == "groups") return groups(context, *access);
  if (path.size() == 2) {
    if (context.request.method == "GET") return list_users(*access);
    if (context.request.method == "POST") return create_user(context, *access);
    return method_not_allowed();
  }
  if (path.size() > 5 || path[2].empty()) return no_such_route();
  return user_route(context, *access, {path.begin() + 2, path.end()});
}

}  // namespace cv::console
