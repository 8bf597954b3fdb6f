#include "core/error.h"

#include <array>

namespace cv {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
  std::string_view message;
};

constexpr std::array kCodes = {
    CodeInfo{ErrorCode::kAccessDenied, "AccessDenied", 403, "Access Denied"},
    CodeInfo{ErrorCode::kAuthorizationHeaderMalformed, "AuthorizationHeaderMalformed", 400,
             "The authorization header is malformed."},
    CodeInfo{ErrorCode::kAuthorizationQueryParametersError, "AuthorizationQueryParametersError",
             400, "Error parsing the X-Amz-Credential parameter."},
    CodeInfo{ErrorCode::kBadDigest, "BadDigest", 400,
             "The Content-MD5 or checksum you specified did not match what we received."},
    CodeInfo{ErrorCode::kBucketAlreadyExists, "BucketAlreadyExists", 409,
             "The requested bucket name is not available."},
    CodeInfo{ErrorCode::kBucketAlreadyOwnedByYou, "BucketAlreadyOwnedByYou", 409,
             "Your previous request to create the named bucket succeeded and you already own it."},
    CodeInfo{ErrorCode::kBucketNotEmpty, "BucketNotEmpty", 409,
             "The bucket you tried to delete is not empty."},
    CodeInfo{ErrorCode::kEntityTooLarge, "EntityTooLarge", 400,
             "Your proposed upload exceeds the maximum allowed object size."},
    CodeInfo{ErrorCode::kEntityTooSmall, "EntityTooSmall", 400,
             "Your proposed upload is smaller than the minimum allowed object size."},
    CodeInfo{ErrorCode::kExpiredToken, "ExpiredToken", 400, "The provided token has expired."},
    CodeInfo{ErrorCode::kIncompleteBody, "IncompleteBody", 400,
             "You did not provide the number of bytes specified by the Content-Length HTTP "
             "header."},
    CodeInfo{ErrorCode::kInternalError, "InternalError", 500,
             "We encountered an internal error. Please try again."},
    CodeInfo{ErrorCode::kInvalidAccessKeyId, "InvalidAccessKeyId", 403,
             "The AWS Access Key Id you provided does not exist in our records."},
    CodeInfo{ErrorCode::kInvalidArgument, "InvalidArgument", 400, "Invalid Argument"},
    CodeInfo{ErrorCode::kInvalidBucketName, "InvalidBucketName", 400,
             "The specified bucket is not valid."},
    CodeInfo{ErrorCode::kInvalidDigest, "InvalidDigest", 400,
             "The Content-MD5 you specified is not valid."},
    CodeInfo{ErrorCode::kInvalidObjectState, "InvalidObjectState", 403,
             "The operation is not valid for the object's storage class."},
    CodeInfo{ErrorCode::kInvalidPart, "InvalidPart", 400,
             "One or more of the specified parts could not be found."},
    CodeInfo{ErrorCode::kInvalidPartOrder, "InvalidPartOrder", 400,
             "The list of parts was not in ascending order."},
    CodeInfo{ErrorCode::kInvalidPolicyDocument, "InvalidPolicyDocument", 400,
             "The content of the form does not meet the conditions specified in the policy "
             "document."},
    CodeInfo{ErrorCode::kInvalidRange, "InvalidRange", 416,
             "The requested range is not satisfiable"},
    CodeInfo{ErrorCode::kInvalidRequest, "InvalidRequest", 400, "Invalid Request"},
    CodeInfo{ErrorCode::kInvalidStorageClass, "InvalidStorageClass", 400,
             "The storage class you specified is not valid."},
    CodeInfo{ErrorCode::kInvalidTag, "InvalidTag", 400, "The tag provided was not valid."},
    CodeInfo{ErrorCode::kInvalidURI, "InvalidURI", 400, "Couldn't parse the specified URI."},
    CodeInfo{ErrorCode::kKeyTooLongError, "KeyTooLongError", 400, "Your key is too long."},
    CodeInfo{ErrorCode::kMalformedPOSTRequest, "MalformedPOSTRequest", 400,
             "The body of your POST request is not well-formed multipart/form-data."},
    CodeInfo{ErrorCode::kMalformedXML, "MalformedXML", 400,
             "The XML you provided was not well-formed or did not validate against our "
             "published schema."},
    CodeInfo{ErrorCode::kMaxMessageLengthExceeded, "MaxMessageLengthExceeded", 400,
             "Your request was too big."},
    CodeInfo{ErrorCode::kMetadataTooLarge, "MetadataTooLarge", 400,
             "Your metadata headers exceed the maximum allowed metadata size."},
    CodeInfo{ErrorCode::kMethodNotAllowed, "MethodNotAllowed", 405,
             "The specified method is not allowed against this resource."},
    CodeInfo{ErrorCode::kMissingContentLength, "MissingContentLength", 411,
             "You must provide the Content-Length HTTP header."},
    CodeInfo{ErrorCode::kMissingSecurityHeader, "MissingSecurityHeader", 400,
             "Your request is missing a required header."},
    CodeInfo{ErrorCode::kNoSuchBucket, "NoSuchBucket", 404, "The specified bucket does not exist"},
    CodeInfo{ErrorCode::kNoSuchCORSConfiguration, "NoSuchCORSConfiguration", 404,
             "The CORS configuration does not exist"},
    CodeInfo{ErrorCode::kNoSuchKey, "NoSuchKey", 404, "The specified key does not exist."},
    CodeInfo{ErrorCode::kNoSuchUpload, "NoSuchUpload", 404,
             "The specified multipart upload does not exist. The upload ID might be invalid, or "
             "the multipart upload might have been aborted or completed."},
    CodeInfo{ErrorCode::kNoSuchVersion, "NoSuchVersion", 404,
             "The specified version does not exist."},
    CodeInfo{ErrorCode::kNotImplemented, "NotImplemented", 501,
             "A header or query you provided implies functionality that is not implemented."},
    CodeInfo{ErrorCode::kNotModified, "NotModified", 304, "Not Modified"},
    CodeInfo{ErrorCode::kPreconditionFailed, "PreconditionFailed", 412,
             "At least one of the pre-conditions you specified did not hold"},
    CodeInfo{ErrorCode::kRequestTimeout, "RequestTimeout", 400,
             "Your socket connection to the server was not read from or written to within the "
             "timeout period."},
    CodeInfo{ErrorCode::kRequestTimeTooSkewed, "RequestTimeTooSkewed", 403,
             "The difference between the request time and the server's time is too large."},
    CodeInfo{ErrorCode::kServiceUnavailable, "ServiceUnavailable", 503,
             "Please reduce your request rate."},
    CodeInfo{ErrorCode::kSignatureDoesNotMatch, "SignatureDoesNotMatch", 403,
             "The request signature we calculated does not match the signature you provided. "
             "Check your key and signing method."},
    CodeInfo{ErrorCode::kSlowDown, "SlowDown", 503, "Please reduce your request rate."},
    CodeInfo{ErrorCode::kXAmzContentSHA256Mismatch, "XAmzContentSHA256Mismatch", 400,
             "The provided 'x-amz-content-sha256' header does not match what was computed."},
    CodeInfo{ErrorCode::kBadRequest, "BadRequest", 400, "Bad Request"},
    CodeInfo{ErrorCode::kInvalidChunkSizeError, "InvalidChunkSizeError", 403,
             "Only the last chunk is allowed to have a size less than 8192 bytes"},
    CodeInfo{ErrorCode::kTooManyParts, "InvalidArgument", 400,
             "Part number must be an integer between 1 and 10000, inclusive"},
    CodeInfo{ErrorCode::kNoSuchTagSet, "NoSuchTagSet", 404, "The TagSet does not exist"},
    CodeInfo{ErrorCode::kInvalidEncryptionAlgorithmError, "InvalidEncryptionAlgorithmError", 400,
             "The encryption request you specified is not valid."},
    CodeInfo{ErrorCode::kMalformedTrailerError, "MalformedTrailerError", 400,
             "The request contained trailing data that was not well-formed or did not conform "
             "to our published schema."},
    CodeInfo{ErrorCode::kInvalidPartNumber, "InvalidPartNumber", 416,
             "The requested partnumber is not satisfiable"},
    CodeInfo{ErrorCode::kCORSForbidden, "AccessForbidden", 403,
             "CORSResponse: This CORS request is not allowed."},
    CodeInfo{ErrorCode::kNoSuchLifecycleConfiguration, "NoSuchLifecycleConfiguration", 404,
             "The lifecycle configuration does not exist"},
    CodeInfo{ErrorCode::kServerSideEncryptionConfigurationNotFoundError,
             "ServerSideEncryptionConfigurationNotFoundError", 404,
             "The server side encryption configuration was not found"},
    CodeInfo{ErrorCode::kRestoreAlreadyInProgress, "RestoreAlreadyInProgress", 409,
             "Object restore is already in progress"},
    CodeInfo{ErrorCode::kObjectAlreadyInActiveTierError, "ObjectAlreadyInActiveTierError", 403,
             "Restore is not allowed for the object's current storage class"},
    CodeInfo{ErrorCode::kReplicationConfigurationNotFoundError,
             "ReplicationConfigurationNotFoundError", 404,
             "The replication configuration was not found"},
    CodeInfo{ErrorCode::kInvalidBucketState, "InvalidBucketState", 409,
             "The request is not valid with the current state of the bucket."},
    CodeInfo{ErrorCode::kNoSuchBucketPolicy, "NoSuchBucketPolicy", 404,
             "The bucket policy does not exist"},
    CodeInfo{ErrorCode::kNoSuchPublicAccessBlockConfiguration,
             "NoSuchPublicAccessBlockConfiguration", 404,
             "The public access block configuration was not found"},
    CodeInfo{ErrorCode::kInvalidToken, "InvalidToken", 400,
             "The provided token is malformed or otherwise invalid."},
    CodeInfo{ErrorCode::kMalformedPolicy, "MalformedPolicy", 400, "Policies must be valid JSON."},
    CodeInfo{ErrorCode::kNoSuchEntity, "NoSuchEntity", 404,
             "The request was rejected because it referenced a resource entity that does not "
             "exist."},
    CodeInfo{ErrorCode::kEntityAlreadyExists, "EntityAlreadyExists", 409,
             "The request was rejected because it attempted to create a resource that already "
             "exists."},
    CodeInfo{ErrorCode::kDeleteConflict, "DeleteConflict", 409,
             "The request was rejected because it attempted to delete a resource that has "
             "attached subordinate entities."},
    CodeInfo{ErrorCode::kLimitExceeded, "LimitExceeded", 409,
             "The request was rejected because it attempted to create resources beyond the "
             "current AWS account limits."},
    CodeInfo{ErrorCode::kMalformedPolicyDocument, "MalformedPolicyDocument", 400,
             "The request was rejected because the policy document was malformed."},
    CodeInfo{ErrorCode::kValidationError, "ValidationError", 400,
             "The request was rejected because an input parameter is not valid."},
    CodeInfo{ErrorCode::kInvalidInput, "InvalidInput", 400,
             "The request was rejected because an invalid or out-of-range value was supplied "
             "for an input parameter."},
    CodeInfo{ErrorCode::kInvalidAction, "InvalidAction", 400,
             "The action or operation requested is invalid. Verify that the action is typed "
             "correctly."},
    CodeInfo{ErrorCode::kMalformedACLError, "MalformedACLError", 400,
             "The XML you provided was not well-formed or did not validate against our "
             "published schema."},
    CodeInfo{ErrorCode::kUnresolvableGrantByEmailAddress, "UnresolvableGrantByEmailAddress", 400,
             "The e-mail address you provided does not match any account on record."},
    CodeInfo{ErrorCode::kAccessControlListNotSupported, "AccessControlListNotSupported", 400,
             "The bucket does not allow ACLs"},
    CodeInfo{ErrorCode::kInvalidBucketAclWithObjectOwnership, "InvalidBucketAclWithObjectOwnership",
             400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
    CodeInfo{ErrorCode::kOwnershipControlsNotFoundError, "OwnershipControlsNotFoundError", 404,
             "The bucket ownership controls were not found"},
    CodeInfo{ErrorCode::kIllegalLocationConstraintException, "IllegalLocationConstraintException",
             400, "The location constraint is incompatible for the region specific endpoint."},
    CodeInfo{ErrorCode::kConditionalRequestConflict, "ConditionalRequestConflict", 409,
             "A conflicting operation occurred. If using PutObject you can retry the request. If "
             "using multipart upload you should initiate another CreateMultipartUpload request "
             "and re-upload each part."},
    CodeInfo{ErrorCode::kObjectLockConfigurationNotFoundError,
             "ObjectLockConfigurationNotFoundError", 404,
             "Object Lock configuration does not exist for this bucket"},
    CodeInfo{ErrorCode::kNoSuchObjectLockConfiguration, "NoSuchObjectLockConfiguration", 404,
             "The specified object does not have a ObjectLock configuration"},
};

static_assert(kCodes[11].code == ErrorCode::kInternalError);

const CodeInfo& info(ErrorCode code) {
  for (const auto& entry : kCodes) {
    if (entry.code == code) return entry;
  }
  return kCodes[11];  // InternalError
}

}  // namespace

std::string_view error_code_name(ErrorCode code) { return info(code).name; }
int error_http_status(ErrorCode code) { return info(code).status; }
std::string_view error_default_message(ErrorCode code) { return info(code).message; }

}  // namespace cv
