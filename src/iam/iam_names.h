// IAM's names, paths, unique ids and ARNs (issue 14): the validation IAM applies to each
// input and the identifiers it makes. Pure functions; thread-safe.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::iam {

// What a name names: IAM's length limit differs (users and roles 64, groups and policies 128).
enum class NameKind { kUser, kGroup, kRole, kPolicy };

// ValidationError unless `name` is 1..limit characters of letters, digits and _+=,.@-.
// `field` is the parameter's name for the message ("userName").
Status validate_name(NameKind kind, std::string_view name, std::string_view field);
// ValidationError unless `path` is "/" or "/" + printable ASCII (0x21-0x7E) + "/", at most
// 512 characters. An empty path is not valid (callers default it to "/").
Status validate_path(std::string_view path, std::string_view field = "path");
// ValidationError unless `prefix` is "/" followed by printable ASCII, at most 512 characters.
Status validate_path_prefix(std::string_view prefix);

// A unique id as IAM makes them: the 4-character prefix ("AIDA" user, "AGPA" group,
// "AROA" role, "ANPA" managed policy) and 17 random characters of [A-Z2-7].
std::string new_unique_id(std::string_view prefix);
inline constexpr std::string_view kUserIdPrefix = "AIDA";
inline constexpr std::string_view kGroupIdPrefix = "AGPA";
inline constexpr std::string_view kRoleIdPrefix = "AROA";
inline constexpr std::string_view kPolicyIdPrefix = "ANPA";

// arn:aws:iam::ACCOUNT:<kind><path><name>, kind "user", "group", "role" or "policy"; `path`
// starts and ends with '/'.
std::string iam_arn(std::string_view account_id, std::string_view kind, std::string_view path,
                    std::string_view name);
// arn:aws:iam::ACCOUNT:root
std::string root_arn(std::string_view account_id);

// The name and path of a managed policy's ARN in this account ("arn:aws:iam::ACCOUNT:policy/
// PATH/NAME"); InvalidInput when `arn` is not one.
struct PolicyArnParts {
  std::string path;
  std::string name;
};
Result<PolicyArnParts> parse_policy_arn(std::string_view account_id, std::string_view arn);

}  // namespace cv::iam
