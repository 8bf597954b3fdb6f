// Whether one statement applies to a request: the building block of evaluate() and decide().
// Internal to the policy layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "policy/evaluator.h"
#include "policy/policy.h"
#include "policy/request_context.h"

namespace cv::policy {

// How a Principal element named the caller, strongest first: by itself (its ARN, its canonical
// id, or a wildcard), by its role's ARN (a role session), or by its account (which AWS treats
// as delegating to the account's identity policies).
enum class Naming { kDirect, kRole, kAccount };

// How `set` names the caller, if it does. Anonymous callers match only a wildcard.
std::optional<Naming> names_caller(const PrincipalSet& set, const Principal& caller);

// Whether `statement` (of a policy of `kind`) applies to `context`, whose action is given
// in lower case as `action`; `naming` says how its Principal named the caller (kDirect when
// the statement has no Principal or names it by NotPrincipal).
bool statement_applies(const Statement& statement, PolicyKind kind, std::string_view action,
                       const RequestContext& context, Naming& naming);

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

// evaluate() with, for an Allow, how the allowing statement named the caller (of the Allow
// statements that apply, the first with the strongest naming).
Match evaluate_detail(const Policy& policy, const RequestContext& context, Naming& naming);

}  // namespace cv::policy
