#include "iam/policy_documents.h"

#include <boost/json.hpp>

namespace cv::iam {

Status default_policy_validator(std::string_view document, PolicyDocumentKind kind) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(document, ec);
  if (ec) {
    return fail(ErrorCode::kMalformedPolicyDocument, "Syntax errors in policy.");
  }
  const auto* object = parsed.if_object();
  if (object == nullptr) {
    return fail(ErrorCode::kMalformedPolicyDocument, "The policy is not a JSON object.");
  }
  const auto* statement = object->if_contains("Statement");
  if (statement == nullptr) {
    return fail(ErrorCode::kMalformedPolicyDocument, "Missing required field Statement");
  }
  const bool ok =
      statement->is_object() || (statement->is_array() && !statement->as_array().empty());
  if (!ok) {
    return fail(ErrorCode::kMalformedPolicyDocument,
                "Statement must be an object or a non-empty array.");
  }
  return {};
}

}  // namespace cv::iam
