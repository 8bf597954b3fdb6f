// AWS Signature Version 2 for S3, the legacy HMAC-SHA1 scheme old clients and forms still
// use: `Authorization: AWS AKID:SIGNATURE` and pre-signed query strings
// (`AWSAccessKeyId=&Expires=&Signature=`). POST forms are in auth/post_policy.h.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html
//
// SigV4Verifier::verify (auth/sigv4.h) is the one entry point: it hands SigV2 requests to
// these functions when VerifierOptions::sigv2 is on.
#pragma once

#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/http_message.h"

namespace cv::auth {

// StringToSign = Method \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders
// CanonicalizedResource, where
//  - `date_line` is what goes in the Date position (the Date header, "" when x-amz-date is
//    used, or the Expires value of a pre-signed URL);
//  - CanonicalizedAmzHeaders: every x-amz-* header (and, for pre-signed URLs, x-amz-* query
//    parameters) lowercased, sorted, values trimmed, repeated names joined with ',', one
//    "name:value\n" each; `skip_amz_date` leaves x-amz-date out;
//  - CanonicalizedResource: "/BUCKET" when the Host is BUCKET.<domain> (virtual-hosted
//    style), then the path as sent (still percent-encoded), then the sub-resources of the
//    query ("?acl", "?partNumber=2&uploadId=x", response-* overrides, ...; see
//    kSigV2SubResources in sigv2_verifier.cc) sorted by name, values percent-decoded.
std::string sigv2_string_to_sign(const Request& request, std::string_view date_line,
                                 std::string_view domain, bool skip_amz_date = false);

// base64(HMAC-SHA1(secret, string_to_sign)).
std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign);

// Verifies `Authorization: AWS <credential>` (credential = "AKID:SIGNATURE"). The request
// time is x-amz-date, else Date (RFC 1123, GMT or +0000), and must be within
// options.max_clock_skew (RequestTimeTooSkewed); none: AccessDenied "AWS authentication
// requires a valid Date or x-amz-date header". With x-amz-date the StringToSign's Date line
// is empty (as AWS documents), or holds x-amz-date's value (as AWS's own DELETE example
// signs it); either is accepted. Errors: AuthorizationHeaderMalformed-like InvalidArgument
// ("AWS authorization header is invalid. Expected AwsAccessKeyId:signature"),
// InvalidAccessKeyId, SignatureDoesNotMatch (details: AWSAccessKeyId, StringToSign,
// SignatureProvided, StringToSignBytes, as S3 gives them). Thread-safe if `credentials` is.
Result<Identity> verify_sigv2_header(const Request& request, std::string_view credential,
                                     CredentialStore& credentials, const Clock& clock,
                                     const VerifierOptions& options);

// Verifies a pre-signed SigV2 URL: AWSAccessKeyId, Expires (Unix seconds) and Signature
// query parameters, Expires in the Date position. Expired: AccessDenied "Request has
// expired"; Expires not a number: AccessDenied "Invalid date (should be seconds since
// epoch)". Other errors as verify_sigv2_header.
Result<Identity> verify_sigv2_query(const Request& request, CredentialStore& credentials,
                                    const Clock& clock, const VerifierOptions& options);

}  // namespace cv::auth
