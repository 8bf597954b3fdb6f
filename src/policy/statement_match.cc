#include "policy/statement_match.h"

#include "policy/evaluator.h"

namespace cv::policy {
namespace {

bool action_matches(const Statement& statement, std::string_view action) {
  bool any = false;
  for (const Pattern& pattern : statement.actions) {
    if (pattern.matches(action)) {
      any = true;
      break;
    }
  }
  return statement.not_action ? !any : any;
}

bool resource_matches(const Statement& statement, const RequestContext& context) {
  if (statement.resource_element == Statement::ResourceElement::kNone) return true;
  bool any = false;
  for (const Template& resource : statement.resources) {
    if (!resource.has_variables()) {
      any = resource.fixed().matches(context.resource);
    } else if (auto pattern = resource.resolve(context)) {
      any = pattern->matches(context.resource);
    }
    if (any) break;
  }
  return statement.resource_element == Statement::ResourceElement::kNotResource ? !any : any;
}

}  // namespace

bool names_caller(const PrincipalSet& set, const Principal& caller, bool& via_role) {
  via_role = false;
  if (set.everyone) return true;
  if (caller.anonymous) return false;
  for (const auto& account : set.accounts) {
    if (account == caller.account_id) return true;
  }
  bool role = false;
  for (const auto& arn : set.arns) {
    if (arn == caller.arn) return true;
    if (!caller.role_arn.empty() && arn == caller.role_arn) role = true;
  }
  if (!caller.canonical_id.empty()) {
    for (const auto& id : set.canonical) {
      if (id == caller.canonical_id) return true;
    }
  }
  via_role = role;
  return role;
}

LoweredAction::LoweredAction(std::string_view action) {
  char* out =
      action.size() <= sizeof(small_) ? small_ : (large_.resize(action.size()), large_.data());
  for (size_t i = 0; i < action.size(); ++i) {
    const char c = action[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  view_ = std::string_view(out, action.size());
}

bool statement_applies(const Statement& statement, PolicyKind kind, std::string_view action,
                       const RequestContext& context, bool& via_role) {
  via_role = false;
  if (!action_matches(statement, action)) return false;
  if (!resource_matches(statement, context)) return false;
  if (statement.principal_element != PrincipalElement::kNone &&
      (kind == PolicyKind::kResource || kind == PolicyKind::kTrust)) {
    const bool named = names_caller(statement.principals, context.principal, via_role);
    if (statement.principal_element == PrincipalElement::kNotPrincipal) {
      via_role = false;
      if (named) return false;
    } else if (!named) {
      return false;
    }
  }
  for (const Condition& condition : statement.conditions) {
    if (!condition_holds(condition, context)) return false;
  }
  return true;
}

Match evaluate_detail(const Policy& policy, const RequestContext& context, bool& via_role) {
  Match allow;
  bool allow_via_role = false;
  const LoweredAction action(context.action);
  const auto& statements = policy.statements();
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    // Once an Allow is found only Deny statements can change the outcome.
    if (allow.effect == Effect::kAllow && statement.effect == Effect::kAllow) {
      // A later Allow that names the caller directly beats one through the role.
      if (!allow_via_role) continue;
    }
    bool role = false;
    if (!statement_applies(statement, policy.kind(), action.view(), context, role)) continue;
    if (statement.effect == Effect::kDeny) {
      via_role = false;
      return Match{Effect::kDeny, static_cast<int>(i), statement.sid};
    }
    if (allow.effect == Effect::kNone || (allow_via_role && !role)) {
      allow = Match{Effect::kAllow, static_cast<int>(i), statement.sid};
      allow_via_role = role;
    }
  }
  via_role = allow_via_role;
  return allow;
}

Match evaluate(const Policy& policy, const RequestContext& context) {
  bool via_role = false;
  return evaluate_detail(policy, context, via_role);
}

}  // namespace cv::policy
