// is_public: S3's "public" for bucket policies (Block Public Access, GetBucketPolicyStatus).
#include <string_view>

#include "policy/policy.h"

namespace cv::policy {
namespace {

// Condition keys whose fixed value makes a wildcard principal non-public (S3 user guide,
// "The meaning of public").
constexpr std::string_view kFixingKeys[] = {
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
};

bool is_fixing_key(std::string_view key) {
  for (auto fixing : kFixingKeys) {
    if (key == fixing) return true;
  }
  return false;
}

// Whether every value of the condition is a fixed (wildcard-free, variable-free) value.
bool fixed_values(const Condition& condition) {
  for (const auto& value : condition.values) {
    if (value.text.has_variables() || value.text.fixed().has_wildcards()) return false;
  }
  return !condition.values.empty();
}

// A CIDR narrow enough to count as "a set of CIDRs": IPv4 /8 or longer, IPv6 /32 or longer.
bool narrow_networks(const Condition& condition) {
  for (const auto& value : condition.values) {
    const int bits = value.network.ipv4 ? value.network.prefix - 96 : value.network.prefix;
    if (bits < (value.network.ipv4 ? 8 : 32)) return false;
  }
  return !condition.values.empty();
}

bool condition_fixes(const Condition& condition) {
  // A negated operator, IfExists (absent key passes) or ForAllValues (empty set passes)
  // leaves the statement open.
  if (condition.negated || condition.if_exists ||
      condition.qualifier == SetQualifier::kForAllValues) {
    return false;
  }
  if (condition.key == "aws:sourceip") {
    return condition.op == Operator::kIpAddress && narrow_networks(condition);
  }
  if (!is_fixing_key(condition.key)) return false;
  switch (condition.op) {
    case Operator::kStringEquals:
    case Operator::kStringEqualsIgnoreCase:
    case Operator::kStringLike:
    case Operator::kArnEquals:
      return fixed_values(condition);
    default:
      return false;
  }
}

bool wildcard_principal(const Statement& statement) {
  if (statement.principal_element == PrincipalElement::kNotPrincipal) return true;
  return statement.principal_element == PrincipalElement::kPrincipal &&
         statement.principals.everyone;
}

}  // namespace

bool is_public(const Policy& policy) {
  for (const Statement& statement : policy.statements()) {
    if (statement.effect != Effect::kAllow || !wildcard_principal(statement)) continue;
    bool fixed = false;
    for (const Condition& condition : statement.conditions) {
      if (condition_fixes(condition)) {
        fixed = true;
        break;
      }
    }
    if (!fixed) return true;
  }
  return false;
}

}  // namespace cv::policy
