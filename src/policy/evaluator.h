// The one access evaluator: which statement of a policy applies to a request (evaluate), and
// AWS's decision over all the policies that apply to it (decide).
//
// Pure functions of their arguments: no I/O, no state; any number of threads may evaluate
// the same policies at once. Cost: proportional to the statements; evaluate() allocates
// nothing unless a statement uses policy variables (decide() allocates its Decision's strings).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "policy/request_context.h"

namespace cv::policy {

// The statement of one policy that decides: the first Deny that applies, else the first
// Allow, else none. `statement` is the 0-based index into Policy::statements() (-1: none).
struct Match {
  Effect effect = Effect::kNone;
  int statement = -1;
  std::string sid;
  // An Allow whose Principal named the caller only by its account ("123456789012",
  // "arn:aws:iam::123456789012:root"): AWS treats that as delegating to the account's
  // identity policies, so on its own it grants nothing (see decide()).
  bool through_account = false;
};

// Whether each statement applies: its Action/NotAction names the context's action
// (case-insensitive), its Resource/NotResource the resource (case-sensitive; absent in a
// trust policy: any), its Principal/NotPrincipal the caller (resource and trust policies;
// identity and session policies apply to whoever holds them), and every condition holds.
// Of the Allow statements that apply, the first that names the caller by itself (ARN,
// canonical id, wildcard) is preferred to one naming its role, then to one naming its account.
// For AssumeRole use decide() with the trust policy as the PolicySet's `resource`: a trust
// policy that names the account then needs the caller's identity policies to allow too.
Match evaluate(const Policy& policy, const RequestContext& context);

// A policy with the name a person reads in an explanation: "user inline policy 'rw'",
// "managed policy 'ReadOnly'", "bucket policy", "session policy".
struct NamedPolicy {
  std::string name;
  std::shared_ptr<const Policy> policy;
};

struct PolicySet {
  std::vector<NamedPolicy> identity;    // the caller's identity policies (user inline and
                                        // attached, its groups', a session's role's)
  std::optional<NamedPolicy> resource;  // the bucket policy, when any
  std::vector<NamedPolicy> session;     // STS session policies; empty: no extra limit
  bool has_session = false;             // the caller is a role / GetSessionToken session
};

struct Decision {
  bool allowed = false;
  Effect effect = Effect::kNone;  // kDeny: explicit deny; kAllow: allowed; kNone: implicit deny
  std::string policy;             // the deciding policy's name ("" for an implicit deny)
  int statement = -1;             // 0-based index of the deciding statement (-1: none)
  std::string sid;
  // One line a person understands, counting statements from 1: "allowed by user inline
  // policy 'rw' statement 1 (Sid \"Prefix\")", "denied: no policy allows s3:PutObject on
  // arn:aws:s3:::b/k".
  std::string explanation;
};

// AWS's same-account evaluation logic:
// 1. an explicit Deny in any applicable policy (identity, resource, session) denies;
// 2. else the resource policy (a bucket policy, or the trust policy of an AssumeRole) allows
//    when one of its Allow statements names the caller: by its ARN, canonical id or a
//    wildcard; or, for a role session, by the role's ARN — then, as AWS does, the session
//    policies must allow too. A statement naming only the caller's account delegates to the
//    account (AWS's rule) and grants nothing by itself: step 3 decides;
// 3. else an identity policy allows (the root user, principal.is_root, counts as allowed by
//    identity for everything) and, when there are session policies, one of them allows too;
// 4. else implicit deny.
Decision decide(const PolicySet& policies, const RequestContext& context);

}  // namespace cv::policy
