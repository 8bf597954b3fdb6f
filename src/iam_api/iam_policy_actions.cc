// IAM actions on inline and managed policies, roles, and the account summary.
#include "core/encoding.h"
#include "iam_api/iam_actions.h"

namespace cv::iam_api {
namespace {

using iam::IamDirectory;
using iam::PrincipalName;
using meta::IamPrincipalKind;

// The principal kinds that have inline policies and attachments, with the parameter and
// action names that differ between them.
struct PrincipalKindNames {
  IamPrincipalKind kind;
  const char* noun;       // "User": PutUserPolicy, ListAttachedUserPolicies...
  const char* parameter;  // "UserName"
};
constexpr PrincipalKindNames kPrincipalKinds[] = {
    {IamPrincipalKind::kUser, "User", "UserName"},
    {IamPrincipalKind::kGroup, "Group", "GroupName"},
    {IamPrincipalKind::kRole, "Role", "RoleName"},
};

// The principal's ARN (NoSuchEntity when absent), for authorization.
Result<std::string> principal_arn(IamDirectory& directory, const PrincipalName& owner) {
  switch (owner.kind) {
    case IamPrincipalKind::kUser:
      return directory.user_arn(CV_TRY(directory.get_user(owner.name)));
    case IamPrincipalKind::kGroup:
      return directory.group_arn(CV_TRY(directory.get_group(owner.name)).group);
    case IamPrincipalKind::kRole:
      return directory.role_arn(CV_TRY(directory.get_role(owner.name)));
  }
  return fail(ErrorCode::kInternalError, "unknown principal kind");
}

void add_policy(IamDirectory& directory, pugi::xml_node parent, const meta::ManagedPolicy& policy,
                int64_t attachments, const char* element = "Policy") {
  auto node = parent.append_child(element);
  add_text(node, "PolicyName", policy.name);
  add_text(node, "PolicyId", policy.id);
  add_text(node, "Arn", directory.policy_arn(policy));
  add_text(node, "Path", policy.path);
  add_text(node, "DefaultVersionId", "v1");
  add_text(node, "AttachmentCount", std::to_string(attachments));
  add_text(node, "PermissionsBoundaryUsageCount", "0");
  add_text(node, "IsAttachable", "true");
  if (!policy.description.empty()) add_text(node, "Description", policy.description);
  add_text(node, "CreateDate", iam_time(policy.created_ns));
  add_text(node, "UpdateDate", iam_time(policy.created_ns));
}

void add_role(IamDirectory& directory, pugi::xml_node parent, const meta::IamRole& role,
              const char* element = "Role") {
  auto node = parent.append_child(element);
  add_text(node, "Path", role.path);
  add_text(node, "RoleName", role.name);
  add_text(node, "RoleId", role.id);
  add_text(node, "Arn", directory.role_arn(role));
  add_text(node, "CreateDate", iam_time(role.created_ns));
  add_text(node, "AssumeRolePolicyDocument", uri_encode(role.trust_policy));
  if (!role.description.empty()) add_text(node, "Description", role.description);
  add_text(node, "MaxSessionDuration", std::to_string(role.max_session_seconds));
}

Result<int64_t> session_seconds(const ActionCall& call) {
  const std::string text = call.get_or("MaxSessionDuration", "3600");
  try {
    size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return fail(ErrorCode::kValidationError, "MaxSessionDuration must be a number of seconds.");
}

void add_principal_policy_actions(ActionTable& table, IamActionContext& context,
                                  const PrincipalKindNames& names) {
  IamDirectory& directory = context.directory;
  const std::string noun = names.noun;
  const std::string parameter = names.parameter;
  const IamPrincipalKind kind = names.kind;
  auto owner_of = [kind, parameter](const ActionCall& call) -> Result<PrincipalName> {
    return PrincipalName{kind, CV_TRY(call.required(parameter))};
  };
  auto authorized = [&context, &directory](const ActionCall& call, const PrincipalName& owner,
                                           const std::string& action) -> Status {
    const std::string arn = CV_TRY(principal_arn(directory, owner));
    return context.authorize(call.caller, action, arn);
  };

  table.add("iam", "Put" + noun + "Policy", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:Put" + noun + "Policy"));
    return directory.put_inline_policy(owner, CV_TRY(call.required("PolicyName")),
                                       CV_TRY(call.required("PolicyDocument")));
  });
  table.add("iam", "Get" + noun + "Policy", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:Get" + noun + "Policy"));
    const meta::InlinePolicy policy =
        CV_TRY(directory.get_inline_policy(owner, CV_TRY(call.required("PolicyName"))));
    add_text(call.result, parameter.c_str(), owner.name);
    add_text(call.result, "PolicyName", policy.name);
    add_text(call.result, "PolicyDocument", uri_encode(policy.document));
    return {};
  });
  table.add("iam", "Delete" + noun + "Policy", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:Delete" + noun + "Policy"));
    return directory.delete_inline_policy(owner, CV_TRY(call.required("PolicyName")));
  });
  table.add("iam", "List" + noun + "Policies", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:List" + noun + "Policies"));
    const auto policies = CV_TRY(directory.list_inline_policies(owner));
    const Page page = CV_TRY(page_of(call, policies.size()));
    auto list = call.result.append_child("PolicyNames");
    for (size_t i = page.begin; i < page.end; ++i) add_text(list, "member", policies[i]);
    finish_page(call, page, policies.size());
    return {};
  });
  table.add("iam", "Attach" + noun + "Policy", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:Attach" + noun + "Policy"));
    return directory.attach_policy(owner, CV_TRY(call.required("PolicyArn")));
  });
  table.add("iam", "Detach" + noun + "Policy", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:Detach" + noun + "Policy"));
    return directory.detach_policy(owner, CV_TRY(call.required("PolicyArn")));
  });
  table.add("iam", "ListAttached" + noun + "Policies", [=, &directory](ActionCall& call) -> Status {
    const PrincipalName owner = CV_TRY(owner_of(call));
    CV_TRY(authorized(call, owner, "iam:ListAttached" + noun + "Policies"));
    const auto policies = CV_TRY(directory.list_attached_policies(owner));
    const Page page = CV_TRY(page_of(call, policies.size()));
    auto list = call.result.append_child("AttachedPolicies");
    for (size_t i = page.begin; i < page.end; ++i) {
      auto member = list.append_child("member");
      add_text(member, "PolicyName", policies[i].name);
      add_text(member, "PolicyArn", directory.policy_arn(policies[i]));
    }
    finish_page(call, page, policies.size());
    return {};
  });
}

}  // namespace

void add_iam_policy_actions(ActionTable& table, IamActionContext& context) {
  for (const PrincipalKindNames& names : kPrincipalKinds) {
    add_principal_policy_actions(table, context, names);
  }
  IamDirectory& directory = context.directory;
  auto add = [&](const char* action, ActionHandler handler) {
    table.add("iam", action, std::move(handler));
  };
  auto authorize = [&context](const ActionCall& call, std::string_view action,
                              std::string_view arn) {
    return context.authorize(call.caller, action, arn);
  };

  // --- Managed policies -------------------------------------------------------------------
  add("CreatePolicy", [&directory, authorize](ActionCall& call) -> Status {
    const std::string name = CV_TRY(call.required("PolicyName"));
    const std::string path = call.get_or("Path", "/");
    CV_TRY(authorize(call, "iam:CreatePolicy",
                     iam::iam_arn(directory.account_id(), "policy", path, name)));
    const meta::ManagedPolicy policy = CV_TRY(directory.create_policy(
        name, path, CV_TRY(call.required("PolicyDocument")), call.get_or("Description", "")));
    add_policy(directory, call.result, policy, 0);
    return {};
  });
  add("GetPolicy", [&directory, authorize](ActionCall& call) -> Status {
    const meta::ManagedPolicy policy =
        CV_TRY(directory.get_policy(CV_TRY(call.required("PolicyArn"))));
    CV_TRY(authorize(call, "iam:GetPolicy", directory.policy_arn(policy)));
    add_policy(directory, call.result, policy, CV_TRY(directory.attachment_count(policy)));
    return {};
  });
  add("GetPolicyVersion", [&directory, authorize](ActionCall& call) -> Status {
    const meta::ManagedPolicy policy =
        CV_TRY(directory.get_policy(CV_TRY(call.required("PolicyArn"))));
    CV_TRY(authorize(call, "iam:GetPolicyVersion", directory.policy_arn(policy)));
    const std::string version = CV_TRY(call.required("VersionId"));
    if (version != "v1") {
      return fail(ErrorCode::kNoSuchEntity, "Policy " + directory.policy_arn(policy) + " version " +
                                                version + " does not exist.");
    }
    auto node = call.result.append_child("PolicyVersion");
    add_text(node, "Document", uri_encode(policy.document));
    add_text(node, "VersionId", "v1");
    add_text(node, "IsDefaultVersion", "true");
    add_text(node, "CreateDate", iam_time(policy.created_ns));
    return {};
  });
  add("ListPolicies", [&directory, authorize](ActionCall& call) -> Status {
    const std::string prefix = call.get_or("PathPrefix", "/");
    const std::string scope = call.get_or("Scope", "All");
    if (scope != "All" && scope != "AWS" && scope != "Local") {
      return fail(ErrorCode::kValidationError,
                  "1 validation error detected: Value '" + scope +
                      "' at 'scope' failed to satisfy constraint: Member must satisfy enum value "
                      "set: [All, AWS, Local]");
    }
    CV_TRY(authorize(call, "iam:ListPolicies",
                     iam::iam_arn(directory.account_id(), "policy", prefix, "")));
    std::vector<meta::ManagedPolicy> policies;
    if (scope != "AWS") {  // no AWS managed policies here
      policies = CV_TRY(directory.list_policies(prefix, call.get_or("OnlyAttached", "") == "true"));
    }
    const Page page = CV_TRY(page_of(call, policies.size()));
    auto list = call.result.append_child("Policies");
    for (size_t i = page.begin; i < page.end; ++i) {
      add_policy(directory, list, policies[i], CV_TRY(directory.attachment_count(policies[i])),
                 "member");
    }
    finish_page(call, page, policies.size());
    return {};
  });
  add("DeletePolicy", [&directory, authorize](ActionCall& call) -> Status {
    const meta::ManagedPolicy policy =
        CV_TRY(directory.get_policy(CV_TRY(call.required("PolicyArn"))));
    CV_TRY(authorize(call, "iam:DeletePolicy", directory.policy_arn(policy)));
    return directory.delete_policy(directory.policy_arn(policy));
  });

  // --- Roles ------------------------------------------------------------------------------
  add("CreateRole", [&directory, authorize](ActionCall& call) -> Status {
    const std::string name = CV_TRY(call.required("RoleName"));
    const std::string path = call.get_or("Path", "/");
    CV_TRY(authorize(call, "iam:CreateRole",
                     iam::iam_arn(directory.account_id(), "role", path, name)));
    const meta::IamRole role = CV_TRY(
        directory.create_role(name, path, CV_TRY(call.required("AssumeRolePolicyDocument")),
                              call.get_or("Description", ""), CV_TRY(session_seconds(call))));
    add_role(directory, call.result, role);
    return {};
  });
  add("GetRole", [&directory, authorize](ActionCall& call) -> Status {
    const meta::IamRole role = CV_TRY(directory.get_role(CV_TRY(call.required("RoleName"))));
    CV_TRY(authorize(call, "iam:GetRole", directory.role_arn(role)));
    add_role(directory, call.result, role);
    return {};
  });
  add("ListRoles", [&directory, authorize](ActionCall& call) -> Status {
    const std::string prefix = call.get_or("PathPrefix", "/");
    CV_TRY(
        authorize(call, "iam:ListRoles", iam::iam_arn(directory.account_id(), "role", prefix, "")));
    const auto roles = CV_TRY(directory.list_roles(prefix));
    const Page page = CV_TRY(page_of(call, roles.size()));
    auto list = call.result.append_child("Roles");
    for (size_t i = page.begin; i < page.end; ++i) add_role(directory, list, roles[i], "member");
    finish_page(call, page, roles.size());
    return {};
  });
  add("DeleteRole", [&directory, authorize](ActionCall& call) -> Status {
    const meta::IamRole role = CV_TRY(directory.get_role(CV_TRY(call.required("RoleName"))));
    CV_TRY(authorize(call, "iam:DeleteRole", directory.role_arn(role)));
    return directory.delete_role(role.name);
  });
  add("UpdateAssumeRolePolicy", [&directory, authorize](ActionCall& call) -> Status {
    const meta::IamRole role = CV_TRY(directory.get_role(CV_TRY(call.required("RoleName"))));
    CV_TRY(authorize(call, "iam:UpdateAssumeRolePolicy", directory.role_arn(role)));
    return directory.update_trust_policy(role.name, CV_TRY(call.required("PolicyDocument")));
  });

  // --- Account ------------------------------------------------------------------------------
  add("GetAccountSummary", [&directory, authorize](ActionCall& call) -> Status {
    CV_TRY(authorize(call, "iam:GetAccountSummary", "*"));
    auto map = call.result.append_child("SummaryMap");
    for (const auto& [key, value] : CV_TRY(directory.account_summary())) {
      auto entry = map.append_child("entry");
      add_text(entry, "key", key);
      add_text(entry, "value", std::to_string(value));
    }
    return {};
  });
}

}  // namespace cv::iam_api
