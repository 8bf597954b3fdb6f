// Domain errors as values. Every failure a client can cause is an Error carrying an
// S3 error code; the s3 layer turns it into status + XML, the console into JSON.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cv {

// S3 error codes (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
// plus the few non-error outcomes that travel the same path (NotModified).
enum class ErrorCode {
  kAccessDenied,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredToken,
  kIncompleteBody,
  kInternalError,
  kInvalidAccessKeyId,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidObjectState,
  kInvalidPart,
  kInvalidPartOrder,
  kInvalidPolicyDocument,
  kInvalidRange,
  kInvalidRequest,
  kInvalidStorageClass,
  kInvalidTag,
  kInvalidURI,
  kKeyTooLongError,
  kMalformedPOSTRequest,
  kMalformedXML,
  kMaxMessageLengthExceeded,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kMissingSecurityHeader,
  kNoSuchBucket,
  kNoSuchCORSConfiguration,
  kNoSuchKey,
  kNoSuchUpload,
  kNoSuchVersion,
  kNotImplemented,
  kNotModified,
  kPreconditionFailed,
  kRequestTimeout,
  kRequestTimeTooSkewed,
  kServiceUnavailable,
  kSignatureDoesNotMatch,
  kSlowDown,
  kXAmzContentSHA256Mismatch,
  kBadRequest,
  kInvalidChunkSizeError,
  kTooManyParts,
  kNoSuchTagSet,
  kInvalidEncryptionAlgorithmError,
  kMalformedTrailerError,
  kInvalidPartNumber,
  kCORSForbidden,
  kNoSuchLifecycleConfiguration,
  kServerSideEncryptionConfigurationNotFoundError,
  kRestoreAlreadyInProgress,
  kObjectAlreadyInActiveTierError,
  kReplicationConfigurationNotFoundError,
  kInvalidBucketState,
  kNoSuchBucketPolicy,
  kNoSuchPublicAccessBlockConfiguration,
  kInvalidToken,
  kMalformedPolicy,
  // IAM and STS (the query APIs; issue 14).
  kNoSuchEntity,
  kEntityAlreadyExists,
  kDeleteConflict,
  kLimitExceeded,
  kMalformedPolicyDocument,
  kValidationError,
  kInvalidInput,
  kInvalidAction,
  // Access control lists and object ownership (s3/acl*.h).
  kMalformedACLError,
  kUnresolvableGrantByEmailAddress,
  kAccessControlListNotSupported,
  kInvalidBucketAclWithObjectOwnership,
  kOwnershipControlsNotFoundError,
  // S3 behaviours (issue 14, s3gaps).
  kIllegalLocationConstraintException,
  kConditionalRequestConflict,
  // Object lock (S3's GetObjectLockConfiguration / GetObjectRetention / GetObjectLegalHold).
  kObjectLockConfigurationNotFoundError,
  kNoSuchObjectLockConfiguration,
};

struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;   // human readable, safe to show to the client
  std::string resource;  // the bucket/key the error is about, may be empty
  // Further elements S3 puts in the error document, in order (HeadersNotSigned, ...).
  std::vector<std::pair<std::string, std::string>> details = {};
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

// Builds an unexpected Error; `return fail(ErrorCode::kNoSuchKey, "...")` in any Result function.
inline std::unexpected<Error> fail(ErrorCode code, std::string message = {},
                                   std::string resource = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(resource)});
}
inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

// The S3 name of a code ("NoSuchKey") and the HTTP status S3 answers with (404).
std::string_view error_code_name(ErrorCode code);
int error_http_status(ErrorCode code);
// The default message S3 sends for the code when the Error has none.
std::string_view error_default_message(ErrorCode code);

}  // namespace cv

// Propagates an error from an expression returning Result<T>/Status; evaluates to the value.
#define CV_TRY(expr)                                                                \
  ({                                                                                \
    auto&& cv_try_result_ = (expr);                                                 \
    if (!cv_try_result_) return std::unexpected(std::move(cv_try_result_).error()); \
    std::move(cv_try_result_).value();                                              \
  })
