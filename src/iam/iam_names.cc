#include "iam/iam_names.h"

#include <array>

#include "core/hash.h"

namespace cv::iam {
namespace {

size_t name_limit(NameKind kind) {
  switch (kind) {
    case NameKind::kUser:
    case NameKind::kRole:
      return 64;
    case NameKind::kGroup:
    case NameKind::kPolicy:
      return 128;
  }
  return 64;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}

bool printable(char c) { return c >= 0x21 && c <= 0x7e; }

Error validation(std::string_view value, std::string_view field, std::string_view constraint) {
  return Error{ErrorCode::kValidationError,
               "1 validation error detected: Value '" + std::string(value) + "' at '" +
                   std::string(field) +
                   "' failed to satisfy constraint: " + std::string(constraint),
               ""};
}

}  // namespace

Status validate_name(NameKind kind, std::string_view name, std::string_view field) {
  const size_t limit = name_limit(kind);
  if (name.empty() || name.size() > limit) {
    return fail(
        validation(name, field, "Member must have length between 1 and " + std::to_string(limit)));
  }
  for (char c : name) {
    if (!name_char(c)) {
      return fail(
          validation(name, field, "Member must satisfy regular expression pattern: [\\w+=,.@-]+"));
    }
  }
  return {};
}

Status validate_path(std::string_view path, std::string_view field) {
  bool ok = !path.empty() && path.size() <= 512 && path.front() == '/' && path.back() == '/';
  for (char c : path) ok = ok && printable(c);
  if (!ok) {
    return fail(validation(path, field,
                           "Member must satisfy regular expression pattern: "
                           "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"));
  }
  return {};
}

Status validate_path_prefix(std::string_view prefix) {
  bool ok = !prefix.empty() && prefix.size() <= 512 && prefix.front() == '/';
  for (char c : prefix) ok = ok && printable(c);
  if (!ok) {
    return fail(validation(prefix, "pathPrefix",
                           "Member must satisfy regular expression pattern: "
                           "\\u002F[\\u0021-\\u007F]*"));
  }
  return {};
}

std::string new_unique_id(std::string_view prefix) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::array<unsigned char, 17> bytes{};
  random_bytes(bytes);
  std::string id(prefix);
  for (unsigned char b : bytes) id += kAlphabet[b % kAlphabet.size()];  // 256 % 32 == 0
  return id;
}

std::string iam_arn(std::string_view account_id, std::string_view kind, std::string_view path,
                    std::string_view name) {
  std::string arn = "arn:aws:iam::";
  arn += account_id;
  arn += ':';
  arn += kind;
  arn += path.empty() ? std::string_view("/") : path;
  arn += name;
  return arn;
}

std::string root_arn(std::string_view account_id) {
  return "arn:aws:iam::" + std::string(account_id) + ":root";
}

Result<PolicyArnParts> parse_policy_arn(std::string_view account_id, std::string_view arn) {
  const std::string prefix = "arn:aws:iam::" + std::string(account_id) + ":policy/";
  const Error invalid{ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.", ""};
  if (!arn.starts_with(prefix)) {
    if (arn.starts_with("arn:aws:iam::")) {
      return fail(ErrorCode::kNoSuchEntity,
                  "Policy " + std::string(arn) + " does not exist or is not attachable.");
    }
    return fail(invalid);
  }
  const std::string_view rest = arn.substr(prefix.size() - 1);  // "/path/name"
  const size_t slash = rest.rfind('/');
  PolicyArnParts parts{std::string(rest.substr(0, slash + 1)), std::string(rest.substr(slash + 1))};
  if (!validate_name(NameKind::kPolicy, parts.name, "policyArn") || !validate_path(parts.path)) {
    return fail(invalid);
  }
  return parts;
}

}  // namespace cv::iam
