// decide(): AWS's same-account evaluation over identity, resource and session policies.
#include <string>

#include "policy/evaluator.h"
#include "policy/statement_match.h"

namespace cv::policy {
namespace {

std::string where(const NamedPolicy& named, const Match& match) {
  std::string text = named.name + " statement " + std::to_string(match.statement + 1);
  if (!match.sid.empty()) text += " (Sid \"" + match.sid + "\")";
  return text;
}

Decision decided(bool allowed, const NamedPolicy& named, const Match& match) {
  Decision decision;
  decision.allowed = allowed;
  decision.effect = match.effect;
  decision.policy = named.name;
  decision.statement = match.statement;
  decision.sid = match.sid;
  decision.explanation = (allowed ? "allowed by " : "denied by ") + where(named, match);
  return decision;
}

struct Evaluated {
  const NamedPolicy* named = nullptr;
  Match match;
  Naming naming = Naming::kDirect;
};

}  // namespace

Decision decide(const PolicySet& policies, const RequestContext& context) {
  Evaluated identity_allow;
  Evaluated resource_allow;
  Evaluated session_allow;
  // 1. An explicit Deny anywhere decides; remember the first Allow of each kind meanwhile.
  auto scan = [&](const NamedPolicy& named, Evaluated& first_allow) -> std::optional<Decision> {
    if (!named.policy) return std::nullopt;
    Naming naming = Naming::kDirect;
    const Match match = evaluate_detail(*named.policy, context, naming);
    if (match.effect == Effect::kDeny) return decided(false, named, match);
    if (match.effect == Effect::kAllow && (!first_allow.named || naming < first_allow.naming)) {
      first_allow = Evaluated{&named, match, naming};
    }
    return std::nullopt;
  };
  for (const auto& named : policies.identity) {
    if (auto deny = scan(named, identity_allow)) return *deny;
  }
  if (policies.resource) {
    if (auto deny = scan(*policies.resource, resource_allow)) return *deny;
  }
  for (const auto& named : policies.session) {
    if (auto deny = scan(named, session_allow)) return *deny;
  }
  const bool session_limits = !policies.session.empty();
  const bool session_allows = !session_limits || session_allow.named;

  // 2. The resource policy grants on its own when it names the caller; naming its role, the
  //    session policies limit it as they limit identity policies; naming only its account, it
  //    delegates to the identity policies (step 3).
  if (resource_allow.named && (resource_allow.naming == Naming::kDirect ||
                               (resource_allow.naming == Naming::kRole && session_allows))) {
    return decided(true, *resource_allow.named, resource_allow.match);
  }
  // 3. Identity policies (the root user: always), within the session policies.
  const bool identity_allows = context.principal.is_root || identity_allow.named;
  if (identity_allows && session_allows) {
    if (identity_allow.named) {
      Decision decision = decided(true, *identity_allow.named, identity_allow.match);
      if (session_limits)
        decision.explanation += " within " + where(*session_allow.named, session_allow.match);
      return decision;
    }
    Decision decision;
    decision.allowed = true;
    decision.effect = Effect::kAllow;
    decision.explanation = "allowed: the root user may do everything no policy denies";
    return decision;
  }
  // 4. Implicit deny.
  Decision decision;
  if (identity_allows || (resource_allow.named && resource_allow.naming == Naming::kRole)) {
    decision.explanation =
        "denied: " +
        (identity_allow.named ? where(*identity_allow.named, identity_allow.match)
         : identity_allows    ? std::string("the root user")
                              : where(*resource_allow.named, resource_allow.match)) +
        " allows " + context.action + " but no session policy does";
  } else if (resource_allow.named) {
    decision.explanation = "denied: " + where(*resource_allow.named, resource_allow.match) +
                           " names only the account, and no identity policy allows " +
                           context.action;
  } else {
    decision.explanation = "denied: no policy allows " + context.action + " on " + context.resource;
  }
  return decision;
}

}  // namespace cv::policy
