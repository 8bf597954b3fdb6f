#include "policy/global_keys.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace cv::policy {

std::string_view principal_type(const Principal& principal) {
  if (principal.anonymous) return "Anonymous";
  if (principal.is_root) return "Account";
  if (!principal.role_arn.empty()) return "AssumedRole";
  return "User";
}

ConditionKeys global_condition_keys(const Principal& principal, TimePoint now) {
  ConditionKeys keys;
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  keys["aws:currenttime"] = {fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", seconds)};
  keys["aws:epochtime"] = {std::to_string(seconds.time_since_epoch().count())};
  keys["aws:principaltype"] = {std::string(principal_type(principal))};
  if (!principal.anonymous) {
    keys["aws:principalarn"] = {principal.arn};
    keys["aws:principalaccount"] = {principal.account_id};
    keys["aws:userid"] = {principal.user_id};
    if (!principal.user_name.empty()) keys["aws:username"] = {principal.user_name};
  }
  return keys;
}

}  // namespace cv::policy
