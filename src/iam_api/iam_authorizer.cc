#include "iam_api/iam_authorizer.h"

#include <algorithm>
#include <array>
#include <string>

namespace cv::iam_api {
namespace {

constexpr std::array<std::string_view, 6> kSelfService = {
    "iam:GetUser",         "iam:CreateAccessKey", "iam:ListAccessKeys",
    "iam:UpdateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed"};

// Whether `arn` is arn:aws:iam::ACCOUNT:user/PATH/NAME of the caller's name (names are unique,
// so the path need not be compared).
bool is_own_user_arn(std::string_view arn, std::string_view user_name) {
  if (user_name.empty() || arn.find(":user/") == std::string_view::npos) return false;
  return arn.size() > user_name.size() && arn.ends_with(user_name) &&
         arn[arn.size() - user_name.size() - 1] == '/';
}

}  // namespace

Status default_iam_authorizer(const auth::Identity& caller, std::string_view action,
                              std::string_view resource_arn) {
  if (!caller.anonymous && caller.is_root) return {};
  const bool self_service =
      std::find(kSelfService.begin(), kSelfService.end(), action) != kSelfService.end();
  if (!caller.anonymous && self_service && is_own_user_arn(resource_arn, caller.user_name)) {
    return {};
  }
  return fail(ErrorCode::kAccessDenied,
              "User: " + (caller.anonymous ? std::string("anonymous") : caller.user_name) +
                  " is not authorized to perform: " + std::string(action) +
                  " on resource: " + std::string(resource_arn));
}

}  // namespace cv::iam_api
