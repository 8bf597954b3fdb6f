// AWS Signature Version 4 for S3: verifying requests (Authorization header and pre-signed
// query) and signing them (for the presign verb, the console, the bench client and tests).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/http_message.h"

namespace cv::auth {

// How the request's payload is protected (from x-amz-content-sha256).
enum class PayloadKind {
  kUnsigned,                  // UNSIGNED-PAYLOAD, or a pre-signed URL
  kSha256,                    // hex SHA-256 of the whole body; the body must be checked
  kStreamingSigned,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER
};

// The result of verification: who sent the request and what the body must satisfy.
struct Identity {
  bool anonymous = true;
  std::string user_id;
  std::string access_key_id;
  std::string user_name;  // the key owner's, from Credentials (for the audit trail)
  bool is_root = false;
  // Temporary (STS) credentials: set for every session; the role fields for a role session.
  bool session = false;
  int64_t session_expires_ns = 0;
  std::string role_name;
  std::string role_id;
  std::string session_name;
  std::string session_policy;
  bool presigned = false;
  PayloadKind payload = PayloadKind::kUnsigned;
  std::string payload_sha256;  // lowercase hex, for kSha256
  // For the streaming kinds: what AwsChunkedSource needs to verify chunk signatures.
  std::string seed_signature;  // hex signature of the request itself
  std::string signing_key;     // raw derived key (kSecret -> date -> region -> service)
  std::string amz_date;        // "20130524T000000Z"
  std::string scope;           // "20130524/us-east-1/s3/aws4_request"
  // How the request was signed (empty when anonymous): "4" (AWS4-HMAC-SHA256) or "2" (AWS
  // HMAC-SHA1, auth/sigv2.h), the s3:signatureversion condition key ("AWS4-HMAC-SHA256" /
  // "AWS"); and where the signature was: "REST-HEADER", "REST-QUERY-STRING" or "POST", the
  // s3:authType condition key.
  std::string signature_version;
  std::string auth_type;
  // The credential scope's service and region ("s3", "iam", "sts"); empty when anonymous.
  std::string service;
  std::string region;
};

struct VerifierOptions {
  std::string region = "us-east-1";
  // Accept AWS Signature Version 2 (auth/sigv2.h) in the Authorization header and in
  // pre-signed query strings; false: refused with InvalidRequest "Please use AWS4-HMAC-SHA256".
  bool sigv2 = true;
  // The virtual-hosted-style base domain (s3::RoutingOptions::domain): a SigV2 request to
  // BUCKET.domain signs "/BUCKET/..." as its resource. Empty: path style only.
  std::string domain;
  std::chrono::seconds max_clock_skew{15 * 60};
  std::chrono::seconds max_presign_expiry{604800};
  // The services a credential scope may name; a request signed for another is refused
  // (AuthorizationHeaderMalformed / AuthorizationQueryParametersError). The S3 API accepts
  // "s3" only; the IAM/STS query API "iam" and "sts".
  std::vector<std::string> services = {"s3"};
  // Accept any region in the credential scope (IAM and STS are global: the aws CLI signs
  // them for us-east-1 whatever its configured region).
  bool any_region = false;
};

// For requests whose payload hash is the body's (the query APIs: no x-amz-content-sha256
// header is sent): the caller reads the body first and passes its SHA-256 (lowercase hex).
struct BodyDigest {
  std::string sha256_hex;
};

class SigningKeyCache;

// Verifies SigV4 requests, and SigV2 ones when options.sigv2 (auth/sigv2.h says how; the
// identity's signature_version tells which it was). Thread-safe (the credential store and clock
// must be too); both must outlive the verifier. Signatures are compared in constant time. Failures:
//   AccessDenied: expired pre-signed URL ("Request has expired"), one dated in the future
//     beyond the allowed skew ("Request is not valid yet"), no usable date, or `host` not
//     among the signed headers;
//   InvalidAccessKeyId, SignatureDoesNotMatch;
//   AuthorizationHeaderMalformed / AuthorizationQueryParametersError: malformed
//     credential, wrong region / service, scope date not the request date, bad X-Amz-Expires;
//   RequestTimeTooSkewed: header-signed request more than max_clock_skew off;
//   InvalidRequest: SigV2 while options.sigv2 is off ("Please use AWS4-HMAC-SHA256"),
//     missing x-amz-content-sha256;
//   InvalidArgument: another Authorization scheme ("Unsupported Authorization Type"), a bad
//     x-amz-content-sha256 value, or both header and query authentication;
//   InvalidURI: a malformed percent-escape in the path;
//   AccessDenied "...headers ... which were not signed": host not signed, or an x-amz-* header
//     not covered (require_signed_amz_headers; bound without listing: x-amz-content-sha256 and
//     x-amz-date for header auth, x-amz-content-sha256 for pre-signed URLs, whose payload is
//     never verified).
// A request with neither an Authorization header nor query authentication is returned as
// anonymous (the caller decides whether that is allowed).
//
// Canonical URI: S3 does not double-encode, so each path segment is percent-decoded and
// re-encoded with uri_encode (what the AWS SDKs compute for the key). Canonical query: each
// raw name and value is percent-decoded ('+' kept literally) and re-encoded; if that
// signature does not match and the query has a '+', '+' as space is tried too.
// Derived signing keys are kept in a small mutex-protected LRU shared by copies.
class SigV4Verifier {
 public:
  SigV4Verifier(CredentialStore& credentials, const Clock& clock, VerifierOptions options);
  Result<Identity> verify(const Request& request) const;
  // As verify(), for a request whose body the caller has read: a header-signed request
  // without x-amz-content-sha256 is verified against `body`'s digest (as AWS's query APIs
  // are), and one with the header must carry that digest (XAmzContentSHA256Mismatch
  // otherwise) or UNSIGNED-PAYLOAD.
  Result<Identity> verify(const Request& request, const BodyDigest& body) const;

 private:
  CredentialStore& credentials_;
  const Clock& clock_;
  VerifierOptions options_;
  std::shared_ptr<SigningKeyCache> signing_keys_;
};

// Contract: succeeds only when every x-amz-* header of `headers` (a lowercase name starting
// exactly with "x-amz-") is listed in `signed_names` or in `bound` (headers the signature
// covers by other means). Otherwise AccessDenied "There were headers present in the request
// which were not signed" with a HeadersNotSigned detail naming them (", "-separated), as S3
// answers. Other headers (Content-Type, Content-MD5) need not be signed, as on S3.
Status require_signed_amz_headers(const Headers& headers,
                                  const std::vector<std::string_view>& signed_names,
                                  std::initializer_list<std::string_view> bound);

// Derives the SigV4 signing key: HMAC chain over date (YYYYMMDD), region, service.
std::string derive_signing_key(std::string_view secret, std::string_view date,
                               std::string_view region, std::string_view service);

// What a client signs.
struct SigningRequest {
  std::string method;
  std::string host;   // value of the Host header (with port when not default)
  std::string path;   // already URI-encoded as it goes on the wire, e.g. "/bucket/a%20b"
  QueryParams query;  // decoded parameters
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers to sign
  std::string payload_hash = "UNSIGNED-PAYLOAD";
};

struct SigningCredentials {
  std::string access_key_id;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string service = "s3";
};

// Returns the headers to add to the request: host, x-amz-date, x-amz-content-sha256,
// authorization (plus the given extra headers are signed as they are; extra headers named
// host, x-amz-date, x-amz-content-sha256 or authorization are ignored).
std::vector<std::pair<std::string, std::string>> sign_request(const SigningRequest& request,
                                                              const SigningCredentials& creds,
                                                              TimePoint now);

// Returns the query string (without '?') of a pre-signed URL for the request, with
// X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders and -Signature, every name
// and value percent-encoded (usable as is by curl). The payload is UNSIGNED-PAYLOAD; extra
// headers are signed and must then be sent with the URL.
std::string presign_query(const SigningRequest& request, const SigningCredentials& creds,
                          TimePoint now, std::chrono::seconds expires);

}  // namespace cv::auth
