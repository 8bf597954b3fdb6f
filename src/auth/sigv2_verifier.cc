// AWS Signature Version 2: header and pre-signed query verification (auth/sigv2.h).
#include <algorithm>
#include <charconv>
#include <map>
#include <vector>

#include "auth/sigv2.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

// The query parameters that are part of the signed resource: AWS's documented list, as the
// SDKs that still sign SigV2 (botocore's HmacV1Auth) use it. Sorted (binary search).
constexpr std::string_view kSigV2SubResources[] = {
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "defaultObjectAcl",
    "delete",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "select",
    "select-type",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
};

bool is_sub_resource(std::string_view name) {
  return std::binary_search(std::begin(kSigV2SubResources), std::end(kSigV2SubResources), name);
}

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check "
    "your key and signing method.";

// The bucket of a virtual-hosted-style Host (BUCKET.domain[:port]); empty otherwise.
std::string_view virtual_host_bucket(const Request& request, std::string_view domain) {
  if (domain.empty()) return {};
  const std::string* host_field = request.headers.find("host");
  if (!host_field) return {};
  std::string_view host = *host_field;
  if (!host.starts_with('[')) host = host.substr(0, host.rfind(':'));
  if (host.size() <= domain.size() + 1 || !host.ends_with(domain) ||
      host[host.size() - domain.size() - 1] != '.') {
    return {};
  }
  return host.substr(0, host.size() - domain.size() - 1);
}

std::string canonical_resource(const Request& request, std::string_view domain) {
  std::string resource;
  if (const std::string_view bucket = virtual_host_bucket(request, domain); !bucket.empty()) {
    resource = "/" + std::string(bucket);
  }
  resource += request.path.empty() ? "/" : request.path;
  // A path-style bucket request ("/bucket") signs the bucket as "/bucket/", as AWS documents
  // it and as the SDKs compute it.
  if (resource.size() > 1 && resource.find('/', 1) == std::string::npos) resource += '/';
  // Sub-resources from the raw query: a name with '=' keeps it ("uploads=" stays so), values
  // are percent-decoded; sorted by name (stable for repeats).
  std::vector<std::pair<std::string, std::optional<std::string>>> kept;
  std::string_view query = request.query;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    if (!is_sub_resource(name)) continue;
    std::optional<std::string> value;
    if (eq != std::string_view::npos) {
      value = percent_decode(item.substr(eq + 1)).value_or(std::string(item.substr(eq + 1)));
    }
    kept.emplace_back(std::string(name), std::move(value));
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < kept.size(); ++i) {
    resource += i == 0 ? '?' : '&';
    resource += kept[i].first;
    if (kept[i].second) resource += "=" + *kept[i].second;
  }
  return resource;
}

// x-amz-* headers (and, for pre-signed URLs, x-amz-* query parameters), canonicalized.
std::string canonical_amz_headers(const Request& request, bool skip_amz_date) {
  std::map<std::string, std::string> amz;
  auto add = [&](const std::string& lower_name, std::string_view value) {
    if (!lower_name.starts_with("x-amz-")) return;
    if (skip_amz_date && lower_name == "x-amz-date") return;
    std::string& joined = amz[lower_name];
    if (!joined.empty()) joined += ',';
    joined += trim(value);
  };
  for (const auto& [name, value] : request.headers.fields()) add(name, value);
  if (find_param(request.params, "Signature") && find_param(request.params, "AWSAccessKeyId")) {
    for (const auto& [name, value] : request.params) add(to_lower(name), value);
  }
  std::string out;
  for (const auto& [name, value] : amz) out += name + ":" + value + "\n";
  return out;
}

// RFC 1123 dates as SigV2 clients send them: "... GMT", "... UTC" or "... +0000".
std::optional<TimePoint> parse_sigv2_date(std::string_view text) {
  text = trim(text);
  std::string normalized(text);
  for (const std::string_view zone : {" +0000", " UTC"}) {
    if (text.ends_with(zone)) {
      normalized = std::string(text.substr(0, text.size() - zone.size())) + " GMT";
    }
  }
  if (auto when = parse_http_date(normalized)) return when;
  return parse_amz_date(text);
}

Result<Credentials> find_key(CredentialStore& credentials, const std::string& access_key_id) {
  std::optional<Credentials> found = CV_TRY(credentials.find(access_key_id));
  if (!found) {
    return fail(ErrorCode::kInvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  return std::move(*found);
}

std::string hex_bytes(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 3);
  for (const unsigned char c : text) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// SignatureDoesNotMatch with what S3 tells the client to debug it.
Error signature_mismatch(std::string_view access_key_id, std::string_view string_to_sign,
                         std::string_view provided) {
  Error error{ErrorCode::kSignatureDoesNotMatch, std::string(kMismatch), ""};
  error.details.emplace_back("AWSAccessKeyId", std::string(access_key_id));
  error.details.emplace_back("StringToSign", std::string(string_to_sign));
  error.details.emplace_back("SignatureProvided", std::string(provided));
  error.details.emplace_back("StringToSignBytes", hex_bytes(string_to_sign));
  return error;
}

Identity identity_of(Credentials credentials, std::string access_key_id, std::string auth_type) {
  Identity identity;
  identity.anonymous = false;
  identity.user_id = std::move(credentials.user_id);
  identity.access_key_id = std::move(access_key_id);
  identity.user_name = std::move(credentials.user_name);
  identity.is_root = credentials.is_root;
  identity.payload = PayloadKind::kUnsigned;
  identity.signature_version = "2";
  identity.auth_type = std::move(auth_type);
  return identity;
}

}  // namespace

std::string sigv2_string_to_sign(const Request& request, std::string_view date_line,
                                 std::string_view domain, bool skip_amz_date) {
  std::string out = request.method;
  out += '\n';
  out += trim(request.headers.get("content-md5"));
  out += '\n';
  out += trim(request.headers.get("content-type"));
  out += '\n';
  out += date_line;
  out += '\n';
  out += canonical_amz_headers(request, skip_amz_date);
  out += canonical_resource(request, domain);
  return out;
}

std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign) {
  return base64_encode(hmac_sha1(secret, string_to_sign));
}

Result<Identity> verify_sigv2_header(const Request& request, std::string_view credential,
                                     CredentialStore& credentials, const Clock& clock,
                                     const VerifierOptions& options) {
  const size_t colon = credential.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == credential.size()) {
    return fail(ErrorCode::kInvalidArgument,
                "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  }
  const std::string access_key_id(trim(credential.substr(0, colon)));
  const std::string_view provided = trim(credential.substr(colon + 1));

  const std::string* amz_date = request.headers.find("x-amz-date");
  const std::string* date = request.headers.find("date");
  const std::string* dated_by = amz_date ? amz_date : date;
  const std::optional<TimePoint> when =
      dated_by ? parse_sigv2_date(*dated_by) : std::optional<TimePoint>();
  if (!when) {
    return fail(ErrorCode::kAccessDenied,
                "AWS authentication requires a valid Date or x-amz-date header");
  }
  const TimePoint now = clock.now();
  if (*when < now - options.max_clock_skew || *when > now + options.max_clock_skew) {
    return fail(ErrorCode::kRequestTimeTooSkewed,
                "The difference between the request time and the current time is too large.");
  }

  Credentials found = CV_TRY(find_key(credentials, access_key_id));
  // With x-amz-date: the documented form (empty Date line, x-amz-date among the amz headers)
  // first, then AWS's own example form (x-amz-date's value in the Date line), then what a
  // signer sending both headers computes (Date line from Date, x-amz-date as an amz header).
  std::vector<std::string> candidates;
  if (amz_date) {
    candidates.push_back(sigv2_string_to_sign(request, "", options.domain));
    candidates.push_back(sigv2_string_to_sign(request, trim(*amz_date), options.domain, true));
    if (date) candidates.push_back(sigv2_string_to_sign(request, trim(*date), options.domain));
  } else {
    candidates.push_back(sigv2_string_to_sign(request, trim(*date), options.domain));
  }
  for (const std::string& string_to_sign : candidates) {
    if (constant_time_equal(sigv2_signature(found.secret_key, string_to_sign), provided)) {
      return identity_of(std::move(found), access_key_id, "REST-HEADER");
    }
  }
  return fail(signature_mismatch(access_key_id, candidates.front(), provided));
}

Result<Identity> verify_sigv2_query(const Request& request, CredentialStore& credentials,
                                    const Clock& clock, const VerifierOptions& options) {
  const std::string* access_key_id = find_param(request.params, "AWSAccessKeyId");
  const std::string* expires_text = find_param(request.params, "Expires");
  const std::string* provided = find_param(request.params, "Signature");
  if (!access_key_id || !provided || !expires_text) {
    return fail(ErrorCode::kAccessDenied,
                "Query-string authentication requires the Signature, Expires and AWSAccessKeyId "
                "parameters");
  }
  int64_t expires = 0;
  const char* end = expires_text->data() + expires_text->size();
  const auto [ptr, ec] = std::from_chars(expires_text->data(), end, expires);
  if (ec != std::errc() || ptr != end || expires < 0) {
    return fail(ErrorCode::kAccessDenied, "Invalid date (should be seconds since epoch)");
  }
  const TimePoint now = clock.now();
  if (std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() > expires) {
    return fail(ErrorCode::kAccessDenied, "Request has expired");
  }
  Credentials found = CV_TRY(find_key(credentials, *access_key_id));
  const std::string string_to_sign = sigv2_string_to_sign(request, *expires_text, options.domain);
  // The Signature parameter is decoded with '+' as a space (form encoding); a client that
  // left '+' unescaped meant a '+', which no base64 signature lacks room for.
  std::string signature = *provided;
  std::replace(signature.begin(), signature.end(), ' ', '+');
  if (!constant_time_equal(sigv2_signature(found.secret_key, string_to_sign), signature)) {
    return fail(signature_mismatch(*access_key_id, string_to_sign, signature));
  }
  Identity identity = identity_of(std::move(found), *access_key_id, "REST-QUERY-STRING");
  identity.presigned = true;
  return identity;
}

}  // namespace cv::auth
