// Who may call which IAM action. One function so the policy evaluator can replace the
// default without the API changing: it gets the verified caller, the action ("iam:CreateUser")
// and the resource's ARN, and returns AccessDenied (with IAM's message) or success.
#pragma once

#include <functional>
#include <string_view>

#include "auth/sigv4.h"
#include "core/clock.h"
#include "iam/caller_policies.h"
#include "core/error.h"

namespace cv::iam_api {

// Must be thread-safe.
using IamAuthorizer = std::function<Status(const auth::Identity& caller, std::string_view action,
                                           std::string_view resource_arn)>;

// The root user may do everything; any other user only the self-service actions (as AWS's
// "manage your own access keys" policy allows: iam:GetUser, iam:CreateAccessKey,
// iam:ListAccessKeys, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed)
// on its own user ARN. Anything else: AccessDenied.
Status default_iam_authorizer(const auth::Identity& caller, std::string_view action,
                              std::string_view resource_arn);

// The caller's identity policies decide, through the one evaluator (policy::decide): an
// explicit Deny refuses; an Allow permits; root may do everything; otherwise the self-service
// rule of default_iam_authorizer applies. `callers` must outlive the function.
IamAuthorizer policy_iam_authorizer(iam::CallerPolicySource& callers, std::string account_id,
                                    const Clock& clock);

}  // namespace cv::iam_api
