// Whether one statement applies to a request: the building block of evaluate() and decide().
// Internal to the policy layer.
#pragma once

#include <string>
#include <string_view>

#include "policy/evaluator.h"
#include "policy/policy.h"
#include "policy/request_context.h"

namespace cv::policy {

// Whether `set` names the caller. Anonymous callers match only a wildcard. `via_role` is set
// when the only name that matched is the caller's role ARN (a role session named by role).
bool names_caller(const PrincipalSet& set, const Principal& caller, bool& via_role);

// Whether `statement` (of a policy of `kind`, with `variables` substituted or not) applies
// to `context`; `via_role` as for names_caller.
bool statement_applies(const Statement& statement, PolicyKind kind, const RequestContext& context,
                       bool& via_role);

// evaluate() with, for an Allow, whether the caller was named through its role only.
Match evaluate_detail(const Policy& policy, const RequestContext& context, bool& via_role);

}  // namespace cv::policy
