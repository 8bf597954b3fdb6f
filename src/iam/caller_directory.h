// The CallerPolicySource of a server: principals from verified identities, and the identity
// policies IamDirectory keeps for each user and role, parsed once and cached until the IAM
// store's change signal moves (any user, key, group, role or policy change by any process).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "iam/caller_policies.h"
#include "iam/change_signal.h"
#include "iam/iam_directory.h"

namespace cv::iam {

// Thread-safe. `directory` and `changes` (both optional: without them every user is a
// tenant with no policies) must outlive it.
class CallerDirectory final : public CallerPolicySource {
 public:
  explicit CallerDirectory(std::string account_id, IamDirectory* directory = nullptr,
                           ChangeSignal* changes = nullptr)
      : account_id_(std::move(account_id)), directory_(directory), changes_(changes) {}

  // InternalError when a stored policy no longer parses; InvalidAccessKeyId when a role
  // session's role is gone.
  Result<std::shared_ptr<const CallerPolicies>> policies_for(
      const auth::Identity& identity) override;

 private:
  Result<std::shared_ptr<const CallerPolicies>> load(const auth::Identity& identity);

  std::string account_id_;
  IamDirectory* directory_;
  ChangeSignal* changes_;
  std::mutex mutex_;
  uint64_t generation_ = 0;
  // By user id, or "session:" + access key id for STS sessions (their session policies differ).
  std::map<std::string, std::shared_ptr<const CallerPolicies>, std::less<>> cached_;
};

// The policy language's parser as IAM's document check (MalformedPolicyDocument with the
// reason), for IamDirectoryOptions::validator.
Status validate_policy_document(std::string_view document, PolicyDocumentKind kind);

}  // namespace cv::iam
