// Who a verified caller is, in the terms policies name principals by, and which identity
// policies govern it: what the S3 authorizer, the IAM API and STS evaluate requests with.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "core/error.h"
#include "policy/evaluator.h"
#include "policy/request_context.h"

namespace cv::iam {

struct CallerPolicies {
  policy::Principal principal;
  // The user's inline and attached policies and those of its groups; a role session's
  // role policies. Parsed once.
  std::vector<policy::NamedPolicy> identity;
  // A session's session policies (AssumeRole's Policy); has_session for every STS session.
  std::vector<policy::NamedPolicy> session;
  bool has_session = false;
  // A user no identity policy governs (none inline, attached or through a group; not a role
  // session): CloudVault's tenant, who may create buckets and list its own, as before
  // policies existed and as on Ceph RGW. Any policy makes the user governed by policies
  // alone, as an IAM user is on AWS.
  bool tenant = false;
};

// Thread-safe. The answer is shared and immutable; it stays valid after the user's policies
// change (the next call returns the new ones).
class CallerPolicySource {
 public:
  virtual ~CallerPolicySource() = default;
  // For a verified (not anonymous) identity. InvalidAccessKeyId when the caller no longer
  // exists.
  virtual Result<std::shared_ptr<const CallerPolicies>> policies_for(
      const auth::Identity& identity) = 0;
};

// The principal of a caller with no IAM record beyond its user: root is the account
// ("arn:aws:iam::ACCOUNT:root"), a user "arn:aws:iam::ACCOUNT:user/NAME".
policy::Principal principal_of(const auth::Identity& identity, std::string_view account_id);

}  // namespace cv::iam
