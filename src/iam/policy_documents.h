// How IAM checks a policy document before storing it (issue 14). The directory takes the
// check as a function so the policy language's parser (src/policy) can be wired in by app/;
// default_policy_validator is the minimal check used until then and in tests.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::iam {

// An identity policy (inline or managed: what a principal may do) or a role's trust policy
// (who may assume it).
enum class PolicyDocumentKind { kIdentity, kTrust };

// Returns MalformedPolicyDocument (with the reason) when the document is not acceptable.
// Must be thread-safe.
using PolicyValidator = std::function<Status(std::string_view document, PolicyDocumentKind kind)>;

// The document is a JSON object with a "Statement" that is an object or a non-empty array.
Status default_policy_validator(std::string_view document, PolicyDocumentKind kind);

// One policy that applies to an identity: where it comes from ("user inline policy 'x'",
// "group 'g' inline policy 'y'", "managed policy 'arn:...'") and its document as stored.
struct PolicyDocumentRef {
  std::string source;
  std::string document;
};

}  // namespace cv::iam
