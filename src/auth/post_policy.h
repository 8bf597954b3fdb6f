// Browser form uploads (PostObject) under a POST policy, as boto3's generate_presigned_post
// makes them: SigV4 (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature) or the
// legacy SigV2 (AWSAccessKeyId and signature: base64 HMAC-SHA1 of the policy).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html (Signature V2)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "core/clock.h"
#include "core/error.h"

namespace cv::auth {

// The form fields that precede the file, names as sent (S3 treats them case-insensitively;
// lookups here are case-insensitive).
using FormFields = std::vector<std::pair<std::string, std::string>>;

struct PostPolicyGrant {
  std::string user_id;
  std::string access_key_id;
  std::string user_name;  // the key owner's (Credentials), for the audit trail
  bool is_root = false;
  std::string signature_version;  // "4" or "2" (auth::Identity::signature_version)
  // content-length-range bounds, when the policy has one.
  std::optional<std::pair<uint64_t, uint64_t>> content_length_range;
};

// Checks the policy's signature (x-amz-signature over the base64 policy with the key from
// x-amz-credential), its expiration, and every condition (eq, starts-with, exact-match object
// form, with "$bucket" matched against `bucket`; a field the form lacks counts as "") against
// the fields. Every field except x-amz-signature, file, policy and x-ignore-* must be covered
// by a condition. The signature is checked before the policy document is looked at.
// Failures: InvalidArgument (policy, x-amz-algorithm, x-amz-credential, x-amz-date or
// x-amz-signature missing; for SigV2: policy, AWSAccessKeyId or signature missing),
// AuthorizationQueryParametersError (bad algorithm, malformed
// credential, wrong region, x-amz-date not on the credential's day), InvalidAccessKeyId,
// SignatureDoesNotMatch, InvalidPolicyDocument (not base64 JSON, no expiration/conditions,
// an unknown operator), AccessDenied ("Invalid according to Policy: Policy expired." /
// "...Policy Condition failed: [...]" / "...Extra input fields: name").
// The "key" field is checked as sent: a "${filename}" in it is the caller's to substitute
// after this check. The length range is checked by the caller once the file size is known
// (EntityTooSmall / EntityTooLarge). Thread-safe if `credentials` is.
// A form with an AWSAccessKeyId field and no x-amz-algorithm is SigV2: accepted when `sigv2`
// (its AWSAccessKeyId and signature fields need no condition), else InvalidRequest "Please
// use AWS4-HMAC-SHA256".
Result<PostPolicyGrant> verify_post_policy(const FormFields& fields, std::string_view bucket,
                                           CredentialStore& credentials, const Clock& clock,
                                           std::string_view region, bool sigv2 = false);

}  // namespace cv::auth
