// The CallerPolicySource of a server: principals from verified identities, and the identity
// policies stored for each user (cached per user until the IAM store announces a change).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "iam/caller_policies.h"

namespace cv::iam {

// Thread-safe.
class CallerDirectory final : public CallerPolicySource {
 public:
  explicit CallerDirectory(std::string account_id) : account_id_(std::move(account_id)) {}

  Result<std::shared_ptr<const CallerPolicies>> policies_for(
      const auth::Identity& identity) override;

 private:
  std::string account_id_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CallerPolicies>, std::less<>> by_user_;
};

}  // namespace cv::iam
