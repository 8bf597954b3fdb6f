// The server side of SigV4: Authorization-header and pre-signed (query) requests.
#include <algorithm>
#include <charconv>

#include "auth/canonical_request.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

constexpr size_t kSigningKeyCacheSize = 256;
constexpr std::string_view kHeaderMalformed = "The authorization header is malformed; ";
constexpr std::string_view kCredentialMalformed = "Error parsing the X-Amz-Credential parameter; ";
constexpr std::string_view kCredentialShape =
    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";

struct Context {
  CredentialStore& credentials;
  const Clock& clock;
  const VerifierOptions& options;
  SigningKeyCache& signing_keys;
  const BodyDigest* body = nullptr;  // set when the caller has read and hashed the body
};

// What the two forms have in common once their parameters are parsed.
struct SignedRequest {
  CredentialScope credential;
  std::string amz_date;  // the timestamp of the string to sign
  std::string_view signed_headers;
  std::vector<std::string_view> signed_names;
  std::string_view signature;
  std::string_view payload_hash;  // the last line of the canonical request
  std::string_view skip_query_name;
};

struct AuthorizationParts {
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

Result<AuthorizationParts> parse_authorization(std::string_view rest) {
  AuthorizationParts parts;
  bool have_credential = false, have_signed_headers = false, have_signature = false;
  for (const std::string_view item : split_list(rest)) {
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return fail(ErrorCode::kAuthorizationHeaderMalformed,
                  std::string(kHeaderMalformed) + "the authorization component \"" +
                      std::string(item) + "\" is malformed.");
    }
    const std::string_view name = item.substr(0, eq);
    const std::string_view value = trim(item.substr(eq + 1));
    if (name == "Credential") {
      parts.credential = value;
      have_credential = true;
    } else if (name == "SignedHeaders") {
      parts.signed_headers = value;
      have_signed_headers = true;
    } else if (name == "Signature") {
      parts.signature = value;
      have_signature = true;
    }
  }
  if (!have_credential || !have_signed_headers || !have_signature) {
    return fail(
        ErrorCode::kAuthorizationHeaderMalformed,
        std::string(kHeaderMalformed) + "it must contain Credential, SignedHeaders and Signature.");
  }
  return parts;
}

// Splits "host;range;x-amz-date"; nullopt for an empty name or an uppercase letter.
std::optional<std::vector<std::string_view>> split_signed_headers(std::string_view list) {
  std::vector<std::string_view> names;
  while (true) {
    const size_t semicolon = list.find(';');
    const std::string_view name = list.substr(0, semicolon);
    if (name.empty() ||
        std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      return std::nullopt;
    }
    names.push_back(name);
    if (semicolon == std::string_view::npos) break;
    list.remove_prefix(semicolon + 1);
  }
  return names;
}

Status check_scope(const CredentialScope& credential, const VerifierOptions& options,
                   ErrorCode code, std::string_view prefix) {
  if (!options.any_region && credential.region != options.region) {
    return fail(code, std::string(prefix) + "the region '" + credential.region +
                          "' is wrong; expecting '" + options.region + "'");
  }
  if (std::find(options.services.begin(), options.services.end(), credential.service) ==
      options.services.end()) {
    const std::string expected = options.services.empty() ? "" : options.services.front();
    return fail(code, std::string(prefix) + "incorrect service '" + credential.service +
                          "'. This endpoint belongs to '" + expected + "'.");
  }
  if (credential.terminator != kScopeTerminator) {
    return fail(code, std::string(prefix) + "incorrect terminal '" + credential.terminator +
                          "'. This endpoint uses 'aws4_request'.");
  }
  return {};
}

constexpr std::string_view kHeadersNotSigned =
    "There were headers present in the request which were not signed";

Error headers_not_signed(std::string names) {
  Error error{ErrorCode::kAccessDenied, std::string(kHeadersNotSigned), ""};
  error.details.emplace_back("HeadersNotSigned", std::move(names));
  return error;
}

Status require_host(const std::vector<std::string_view>& names) {
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    return fail(headers_not_signed("host"));
  }
  return {};
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

Status apply_payload_kind(std::string_view value, Identity& identity) {
  if (is_sha256_hex(value)) {
    identity.payload = PayloadKind::kSha256;
    identity.payload_sha256 = to_lower(value);
  } else if (value == kUnsignedPayload) {
    identity.payload = PayloadKind::kUnsigned;
  } else if (value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
    identity.payload = PayloadKind::kStreamingSigned;
  } else if (value == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    identity.payload = PayloadKind::kStreamingSignedTrailer;
  } else if (value == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
    identity.payload = PayloadKind::kStreamingUnsignedTrailer;
  } else {
    return fail(ErrorCode::kInvalidArgument,
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                "STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
  }
  return {};
}

bool is_streaming(PayloadKind kind) {
  return kind == PayloadKind::kStreamingSigned || kind == PayloadKind::kStreamingSignedTrailer ||
         kind == PayloadKind::kStreamingUnsignedTrailer;
}

// Temporary credentials (access key ids "ASIA...") come with their session token, in
// x-amz-security-token (header-signed) or X-Amz-Security-Token (pre-signed).
Result<Credentials> find_credentials(const Context& ctx, const Request& request,
                                     const std::string& access_key_id) {
  std::optional<Credentials> found;
  const std::string* token = request.headers.find("x-amz-security-token");
  if (token == nullptr) token = find_param(request.params, "X-Amz-Security-Token");
  if (access_key_id.starts_with("ASIA") && token != nullptr) {
    found = CV_TRY(ctx.credentials.find_session(access_key_id, *token));
  } else {
    found = CV_TRY(ctx.credentials.find(access_key_id));
  }
  if (!found) {
    return fail(ErrorCode::kInvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (found->expires_ns != 0 && to_unix_nanos(ctx.clock.now()) >= found->expires_ns) {
    return fail(ErrorCode::kExpiredToken, "The provided token has expired.");
  }
  return std::move(*found);
}

void take_caller(Credentials& credentials, Identity& identity) {
  identity.anonymous = false;
  identity.user_id = std::move(credentials.user_id);
  identity.user_name = std::move(credentials.user_name);
  identity.is_root = credentials.is_root;
  identity.session = credentials.expires_ns != 0;
  identity.session_expires_ns = credentials.expires_ns;
  identity.role_name = std::move(credentials.role_name);
  identity.role_id = std::move(credentials.role_id);
  identity.session_name = std::move(credentials.session_name);
  identity.session_policy = std::move(credentials.session_policy);
}

// Recomputes the signature; returns the signing key when it matches.
Result<std::string> check_signature(const Context& ctx, const Request& request,
                                    const SignedRequest& signed_request, std::string_view secret) {
  const CredentialScope& credential = signed_request.credential;
  std::string signing_key =
      ctx.signing_keys.get(secret, credential.date, credential.region, credential.service);
  const auto uri = canonical_uri(request.path);
  if (!uri) return fail(ErrorCode::kInvalidURI, "Couldn't parse the specified URI.");
  const std::string headers =
      canonical_headers(request.headers.fields(), signed_request.signed_names);
  const std::string scope = credential.scope();
  for (const bool plus_as_space : {false, true}) {
    // '+' in a raw query is ambiguous (a literal plus, or a form-encoded space): try both.
    if (plus_as_space && request.query.find('+') == std::string::npos) break;
    const auto query =
        canonical_query_from_raw(request.query, signed_request.skip_query_name, plus_as_space);
    if (!query) return fail(ErrorCode::kInvalidURI, "Couldn't parse the specified URI.");
    const std::string canonical =
        canonical_request(request.method, *uri, *query, headers, signed_request.signed_headers,
                          signed_request.payload_hash);
    const std::string expected =
        signature_hex(signing_key, string_to_sign(signed_request.amz_date, scope, canonical));
    if (constant_time_equal(expected, signed_request.signature)) return signing_key;
  }
  return fail(ErrorCode::kSignatureDoesNotMatch,
              "The request signature we calculated does not match the signature you provided. "
              "Check your key and signing method.");
}

// The request time of a header-signed request: x-amz-date, else Date (either format).
Result<std::pair<std::string, TimePoint>> request_time(const Request& request) {
  const Error missing{ErrorCode::kAccessDenied,
                      "AWS authentication requires a valid Date or x-amz-date header", ""};
  if (const std::string* amz_date = request.headers.find("x-amz-date")) {
    const auto when = parse_amz_date(*amz_date);
    if (!when) return fail(missing);
    return std::pair{*amz_date, *when};
  }
  if (const std::string* date = request.headers.find("date")) {
    if (const auto when = parse_amz_date(*date)) return std::pair{*date, *when};
    if (const auto when = parse_http_date(*date)) return std::pair{format_amz_date(*when), *when};
  }
  return fail(missing);
}

Result<Identity> verify_header(const Context& ctx, const Request& request,
                               std::string_view authorization_rest) {
  const AuthorizationParts parts = CV_TRY(parse_authorization(authorization_rest));
  SignedRequest signed_request;
  auto credential = parse_credential(parts.credential);
  if (!credential) {
    return fail(ErrorCode::kAuthorizationHeaderMalformed,
                std::string(kHeaderMalformed) + std::string(kCredentialShape));
  }
  signed_request.credential = std::move(*credential);
  CV_TRY(check_scope(signed_request.credential, ctx.options,
                     ErrorCode::kAuthorizationHeaderMalformed, kHeaderMalformed));
  auto names = split_signed_headers(parts.signed_headers);
  if (!names) {
    return fail(ErrorCode::kAuthorizationHeaderMalformed,
                std::string(kHeaderMalformed) + "the SignedHeaders are malformed.");
  }
  CV_TRY(require_host(*names));
  CV_TRY(
      require_signed_amz_headers(request.headers, *names, {"x-amz-content-sha256", "x-amz-date"}));
  signed_request.signed_names = std::move(*names);
  signed_request.signed_headers = parts.signed_headers;
  signed_request.signature = parts.signature;

  Identity identity;
  identity.signature_version = "4";
  identity.auth_type = "REST-HEADER";
  const std::string* content_sha256 = request.headers.find("x-amz-content-sha256");
  if (!content_sha256 && ctx.body) {
    // A query API's request: the payload hash is the body's, which the caller computed.
    identity.payload = PayloadKind::kSha256;
    identity.payload_sha256 = ctx.body->sha256_hex;
    signed_request.payload_hash = ctx.body->sha256_hex;
  } else if (!content_sha256) {
    return fail(ErrorCode::kInvalidRequest,
                "Missing required header for this request: x-amz-content-sha256");
  } else {
    CV_TRY(apply_payload_kind(*content_sha256, identity));
    if (ctx.body && identity.payload == PayloadKind::kSha256 &&
        identity.payload_sha256 != ctx.body->sha256_hex) {
      return fail(ErrorCode::kXAmzContentSHA256Mismatch);
    }
    if (ctx.body && identity.payload != PayloadKind::kSha256 &&
        identity.payload != PayloadKind::kUnsigned) {
      return fail(ErrorCode::kInvalidRequest, "This API does not accept a streaming payload.");
    }
    signed_request.payload_hash = *content_sha256;
  }

  auto [amz_date, when] = CV_TRY(request_time(request));
  if (std::string_view(amz_date).substr(0, 8) != signed_request.credential.date) {
    return fail(ErrorCode::kAuthorizationHeaderMalformed,
                std::string(kHeaderMalformed) +
                    "Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  // Compared as time points: the difference of a far-off date and now would overflow.
  const TimePoint now = ctx.clock.now();
  if (when < now - ctx.options.max_clock_skew || when > now + ctx.options.max_clock_skew) {
    return fail(ErrorCode::kRequestTimeTooSkewed,
                "The difference between the request time and the current time is too large.");
  }
  signed_request.amz_date = std::move(amz_date);

  Credentials credentials =
      CV_TRY(find_credentials(ctx, request, signed_request.credential.access_key_id));
  std::string signing_key =
      CV_TRY(check_signature(ctx, request, signed_request, credentials.secret_key));

  take_caller(credentials, identity);
  identity.access_key_id = std::move(signed_request.credential.access_key_id);
  identity.service = signed_request.credential.service;
  identity.region = signed_request.credential.region;
  ctx.credentials.record_use(identity.access_key_id, identity.service, identity.region);
  if (is_streaming(identity.payload)) {
    identity.seed_signature = to_lower(parts.signature);
    identity.signing_key = std::move(signing_key);
    identity.amz_date = signed_request.amz_date;
    identity.scope = signed_request.credential.scope();
  }
  return identity;
}

Result<Identity> verify_presigned(const Context& ctx, const Request& request) {
  const QueryParams& params = request.params;
  const std::string* algorithm = find_param(params, "X-Amz-Algorithm");
  const std::string* credential_text = find_param(params, "X-Amz-Credential");
  const std::string* date = find_param(params, "X-Amz-Date");
  const std::string* expires_text = find_param(params, "X-Amz-Expires");
  const std::string* signed_headers = find_param(params, "X-Amz-SignedHeaders");
  const std::string* signature = find_param(params, "X-Amz-Signature");
  const ErrorCode kQueryError = ErrorCode::kAuthorizationQueryParametersError;
  if (!algorithm || !credential_text || !date || !expires_text || !signed_headers || !signature) {
    return fail(kQueryError,
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                "X-Amz-Expires parameters.");
  }
  if (*algorithm != kSigV4Algorithm) {
    return fail(kQueryError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  SignedRequest signed_request;
  auto credential = parse_credential(*credential_text);
  if (!credential) {
    return fail(kQueryError, std::string(kCredentialMalformed) + std::string(kCredentialShape));
  }
  signed_request.credential = std::move(*credential);
  CV_TRY(check_scope(signed_request.credential, ctx.options, kQueryError,
                     kCredentialMalformed));
  const auto when = parse_amz_date(*date);
  if (!when) {
    return fail(kQueryError,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  int64_t expires = 0;
  const char* end = expires_text->data() + expires_text->size();
  const auto [ptr, ec] = std::from_chars(expires_text->data(), end, expires);
  if (ec != std::errc() || ptr != end) {
    return fail(kQueryError, "X-Amz-Expires should be a number");
  }
  if (expires < 0) return fail(kQueryError, "X-Amz-Expires must be non-negative");
  if (expires > ctx.options.max_presign_expiry.count()) {
    return fail(kQueryError, "X-Amz-Expires must be less than a week (in seconds) that is " +
                                 std::to_string(ctx.options.max_presign_expiry.count()));
  }
  if (expires == 0) return fail(kQueryError, "X-Amz-Expires must be at least 1 second");
  if (std::string_view(*date).substr(0, 8) != signed_request.credential.date) {
    return fail(kQueryError, "Invalid credential date. Date is not the same as X-Amz-Date.");
  }
  auto names = split_signed_headers(*signed_headers);
  if (!names) return fail(kQueryError, "X-Amz-SignedHeaders is malformed.");
  CV_TRY(require_host(*names));
  // The payload of a pre-signed request is never verified, so its x-amz-content-sha256 is
  // ignored rather than bound; the date is the X-Amz-Date parameter, not a header.
  CV_TRY(require_signed_amz_headers(request.headers, *names, {"x-amz-content-sha256"}));
  signed_request.signed_names = std::move(*names);
  signed_request.signed_headers = *signed_headers;
  signed_request.signature = *signature;
  signed_request.amz_date = *date;
  signed_request.payload_hash = kUnsignedPayload;
  signed_request.skip_query_name = "X-Amz-Signature";

  const TimePoint now = ctx.clock.now();
  // Compared as time points: the difference of a far-off date and now would overflow.
  if (*when > now + ctx.options.max_clock_skew) {
    return fail(ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  if (*when < now - std::chrono::seconds(expires)) {
    return fail(ErrorCode::kAccessDenied, "Request has expired");
  }

  Credentials credentials =
      CV_TRY(find_credentials(ctx, request, signed_request.credential.access_key_id));
  CV_TRY(check_signature(ctx, request, signed_request, credentials.secret_key));

  Identity identity;
  identity.presigned = true;
  identity.signature_version = "4";
  identity.auth_type = "REST-QUERY-STRING";
  identity.payload = PayloadKind::kUnsigned;
  take_caller(credentials, identity);
  identity.access_key_id = std::move(signed_request.credential.access_key_id);
  identity.service = signed_request.credential.service;
  identity.region = signed_request.credential.region;
  ctx.credentials.record_use(identity.access_key_id, identity.service, identity.region);
  return identity;
}

}  // namespace

Status require_signed_amz_headers(const Headers& headers,
                                  const std::vector<std::string_view>& signed_names,
                                  std::initializer_list<std::string_view> bound) {
  std::string unsigned_names;
  for (const auto& [name, value] : headers.fields()) {
    if (!name.starts_with("x-amz-")) continue;
    if (std::find(bound.begin(), bound.end(), name) != bound.end()) continue;
    if (std::find(signed_names.begin(), signed_names.end(), name) != signed_names.end()) continue;
    if (!unsigned_names.empty()) unsigned_names += ", ";
    unsigned_names += name;
  }
  if (!unsigned_names.empty()) return fail(headers_not_signed(std::move(unsigned_names)));
  return {};
}

SigV4Verifier::SigV4Verifier(CredentialStore& credentials, const Clock& clock,
                             VerifierOptions options)
    : credentials_(credentials),
      clock_(clock),
      options_(std::move(options)),
      signing_keys_(std::make_shared<SigningKeyCache>(kSigningKeyCacheSize)) {}

namespace {
Result<Identity> verify_with(const Context& ctx, const Request& request);
}  // namespace

Result<Identity> SigV4Verifier::verify(const Request& request, const BodyDigest& body) const {
  const Context ctx{credentials_, clock_, options_, *signing_keys_, &body};
  return verify_with(ctx, request);
}

Result<Identity> SigV4Verifier::verify(const Request& request) const {
  const Context ctx{credentials_, clock_, options_, *signing_keys_};
  return verify_with(ctx, request);
}

namespace {

Result<Identity> verify_with(const Context& ctx, const Request& request) {
  const std::string* authorization = request.headers.find("authorization");
  const bool query_v4 = find_param(request.params, "X-Amz-Algorithm") ||
                        find_param(request.params, "X-Amz-Credential") ||
                        find_param(request.params, "X-Amz-Signature");
  const bool query_v2 =
      find_param(request.params, "AWSAccessKeyId") && find_param(request.params, "Signature");
  if (authorization && (query_v4 || query_v2)) {
    return fail(ErrorCode::kInvalidArgument,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                "Signature query string parameter or the Authorization header should be "
                "specified");
  }
  const Error sigv2{ErrorCode::kInvalidRequest,
                    "The authorization mechanism you have provided is not supported. Please use "
                    "AWS4-HMAC-SHA256.",
                    ""};
  if (authorization) {
    const std::string_view value = trim(*authorization);
    const size_t space = value.find(' ');
    const std::string_view scheme = value.substr(0, space);
    if (scheme == kSigV4Algorithm && space != std::string_view::npos) {
      return verify_header(ctx, request, value.substr(space + 1));
    }
    if (scheme == "AWS") {
      if (!ctx.options.sigv2) return fail(sigv2);
      const std::string_view credential =
          space == std::string_view::npos ? std::string_view() : value.substr(space + 1);
      return verify_sigv2_header(request, credential, ctx.credentials, ctx.clock, ctx.options);
    }
    return fail(ErrorCode::kInvalidArgument, "Unsupported Authorization Type");
  }
  if (query_v4) return verify_presigned(ctx, request);
  if (query_v2) {
    if (!ctx.options.sigv2) return fail(sigv2);
    return verify_sigv2_query(request, ctx.credentials, ctx.clock, ctx.options);
  }
  return Identity{};
}

}  // namespace

}  // namespace cv::auth
