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

// Whether `statement` (of a policy of `kind`) applies to `context`, whose action is given
// in lower case as `action`; `via_role` as for names_caller.
bool statement_applies(const Statement& statement, PolicyKind kind, std::string_view action,
                       const RequestContext& context, bool& via_role);

// The action in lower case, as statements hold theirs (ASCII); on the stack unless longer
// than any AWS action name.
class LoweredAction {
 public:
  explicit LoweredAction(std::string_view action);
  LoweredAction(const LoweredAction&) = delete;
  LoweredAction& operator=(const LoweredAction&) = delete;
  std::string_view view() const { return view_; }

 private:
  char small_[96];
  std::string large_;
  std::string_view view_;
};

// evaluate() with, for an Allow, whether the caller was named through its role only.
Match evaluate_detail(const Policy& policy, const RequestContext& context, bool& via_role);

}  // namespace cv::policy
