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

std::optional<Naming> names_caller(const PrincipalSet& set, const Principal& caller) {
  if (set.everyone) return Naming::kDirect;
  if (caller.anonymous) return std::nullopt;
  std::optional<Naming> best;
  for (const auto& arn : set.arns) {
    if (arn == caller.arn) return Naming::kDirect;
    if (!caller.role_arn.empty() && arn == caller.role_arn) best = Naming::kRole;
  }
  if (!caller.canonical_id.empty()) {
    for (const auto& id : set.canonical) {
      if (id == caller.canonical_id) return Naming::kDirect;
    }
  }
  if (best) return best;
  for (const auto& account : set.accounts) {
    if (account == caller.account_id) return Naming::kAccount;
  }
  return std::nullopt;
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
                       const RequestContext& context, Naming& naming) {
  naming = Naming::kDirect;
  if (!action_matches(statement, action)) return false;
  if (!resource_matches(statement, context)) return false;
  if (statement.principal_element != PrincipalElement::kNone &&
      (kind == PolicyKind::kResource || kind == PolicyKind::kTrust)) {
    const auto named = names_caller(statement.principals, context.principal);
    if (statement.principal_element == PrincipalElement::kNotPrincipal) {
      if (named) return false;
    } else if (!named) {
      return false;
    } else {
      naming = *named;
    }
  }
  for (const Condition& condition : statement.conditions) {
    if (!condition_holds(condition, context)) return false;
  }
  return true;
}

Match evaluate_detail(const Policy& policy, const RequestContext& context, Naming& naming) {
  Match allow;
  Naming allow_naming = Naming::kDirect;
  const LoweredAction action(context.action);
  const auto& statements = policy.statements();
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    // Once a direct Allow is found only Deny statements can change the outcome.
    if (allow.effect == Effect::kAllow && statement.effect == Effect::kAllow &&
        allow_naming == Naming::kDirect) {
      continue;
    }
    Naming named = Naming::kDirect;
    if (!statement_applies(statement, policy.kind(), action.view(), context, named)) continue;
    if (statement.effect == Effect::kDeny) {
      naming = Naming::kDirect;
      return Match{Effect::kDeny, static_cast<int>(i), statement.sid};
    }
    if (allow.effect == Effect::kNone || named < allow_naming) {
      allow = Match{Effect::kAllow, static_cast<int>(i), statement.sid};
      allow_naming = named;
    }
  }
  naming = allow_naming;
  allow.through_account = allow.effect == Effect::kAllow && allow_naming == Naming::kAccount;
  return allow;
}

Match evaluate(const Policy& policy, const RequestContext& context) {
  Naming naming = Naming::kDirect;
  return evaluate_detail(policy, context, naming);
}

}  // namespace cv::policy

namespace cv::policy {

bool uses_condition_key(const Policy& policy, std::string_view prefix) {
  for (const Statement& statement : policy.statements()) {
    for (const Condition& condition : statement.conditions) {
      if (condition.key.starts_with(prefix)) return true;
    }
  }
  return false;
}

}  // namespace cv::policy
