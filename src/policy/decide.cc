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
  bool via_role = false;
};

}  // namespace

Decision decide(const PolicySet& policies, const RequestContext& context) {
  Evaluated identity_allow;
  Evaluated resource_allow;
  Evaluated session_allow;
  // 1. An explicit Deny anywhere decides; remember the first Allow of each kind meanwhile.
  auto scan = [&](const NamedPolicy& named, Evaluated& first_allow) -> std::optional<Decision> {
    if (!named.policy) return std::nullopt;
    bool via_role = false;
    const Match match = evaluate_detail(*named.policy, context, via_role);
    if (match.effect == Effect::kDeny) return decided(false, named, match);
    if (match.effect == Effect::kAllow &&
        (!first_allow.named || (first_allow.via_role && !via_role))) {
      first_allow = Evaluated{&named, match, via_role};
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

  // 2. The resource policy grants on its own, unless it names the caller only through its
  //    role: then the session policies limit it as they limit identity policies.
  if (resource_allow.named && (!resource_allow.via_role || session_allows)) {
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
  if (identity_allows || resource_allow.named) {
    decision.explanation =
        "denied: " +
        (identity_allow.named   ? where(*identity_allow.named, identity_allow.match)
         : resource_allow.named ? where(*resource_allow.named, resource_allow.match)
                                : std::string("the root user")) +
        " allows " + context.action + " but no session policy does";
  } else {
    decision.explanation = "denied: no policy allows " + context.action + " on " + context.resource;
  }
  return decision;
}

}  // namespace cv::policy
