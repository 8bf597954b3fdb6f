// The global condition keys every request has, whatever its service: the time and who asks
// (aws:CurrentTime, aws:EpochTime, aws:PrincipalType, aws:PrincipalArn, aws:PrincipalAccount,
// aws:userid, aws:username). The S3 authorizer, the IAM API and STS start from these and add
// their own.
#pragma once

#include "core/clock.h"
#include "policy/request_context.h"

namespace cv::policy {

// "Anonymous", "Account" (root), "AssumedRole" or "User".
std::string_view principal_type(const Principal& principal);

ConditionKeys global_condition_keys(const Principal& principal, TimePoint now);

}  // namespace cv::policy
