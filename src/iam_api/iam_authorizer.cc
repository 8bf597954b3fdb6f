#include "iam_api/iam_authorizer.h"

#include <algorithm>
#include <array>
#include <string>

#include "policy/global_keys.h"

namespace cv::iam_api {
namespace {

constexpr std::array<std::string_view, 6> kSelfService = {
    "iam:GetUser",         "iam:CreateAccessKey", "iam:ListAccessKeys",
    "iam:UpdateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed"};

// Whether `arn` is arn:aws:iam::ACCOUNT:user/PATH/NAME of the caller's name (names are unique,
// so the path need not be compared).
bool is_own_user_arn(std::string_view arn, std::string_view user_name) {
  if (user_name.empty() || arn.find(":user/") == std::string_view::npos) return false;
  return arn.size() > user_name.size() && arn.ends_with(user_name) &&
         arn[arn.size() - user_name.size() - 1] == '/';
}

}  // namespace

Status default_iam_authorizer(const auth::Identity& caller, std::string_view action,
                              std::string_view resource_arn) {
  if (!caller.anonymous && caller.is_root) return {};
  const bool self_service =
      std::find(kSelfService.begin(), kSelfService.end(), action) != kSelfService.end();
  if (!caller.anonymous && self_service && is_own_user_arn(resource_arn, caller.user_name)) {
    return {};
  }
  return fail(ErrorCode::kAccessDenied,
              "User: " + (caller.anonymous ? std::string("anonymous") : caller.user_name) +
                  " is not authorized to perform: " + std::string(action) +
                  " on resource: " + std::string(resource_arn));
}

IamAuthorizer policy_iam_authorizer(iam::CallerPolicySource& callers, std::string account_id,
                                    const Clock& clock) {
  return [&callers, account_id = std::move(account_id), &clock](
             const auth::Identity& caller, std::string_view action,
             std::string_view resource_arn) -> Status {
    if (caller.anonymous) return default_iam_authorizer(caller, action, resource_arn);
    const auto policies = CV_TRY(callers.policies_for(caller));
    policy::PolicySet set;
    set.identity = policies->identity;
    set.session = policies->session;
    set.has_session = policies->has_session;
    policy::ConditionKeys keys = policy::global_condition_keys(policies->principal, clock.now());
    const policy::Decision decision = policy::decide(
        set, policy::RequestContext{std::string(action), std::string(resource_arn),
                                    policies->principal, std::move(keys)});
    if (decision.allowed) return {};
    if (decision.effect != policy::Effect::kDeny) {
      if (default_iam_authorizer(caller, action, resource_arn)) return {};
    }
    return fail(ErrorCode::kAccessDenied,
                "User: " + policies->principal.arn + " is not authorized to perform: " +
                    std::string(action) + " on resource: " + std::string(resource_arn) +
                    (decision.effect == policy::Effect::kDeny
                         ? " with an explicit deny in an identity-based policy"
                         : " because no identity-based policy allows the " +
                               std::string(action) + " action"));
  };
}

}  // namespace cv::iam_api
