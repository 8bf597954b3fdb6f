// Fuzzes request authentication: SigV4Verifier::verify (src/auth/sigv4.h) on requests whose
// Authorization header, query, x-amz-date and x-amz-content-sha256 come from the input, and
// verify_post_policy (src/auth/post_policy.h) on form fields from the input. Besides raw
// inputs, requests and policies are also signed properly by the harness so the fuzzer gets
// past the signature check; a request the signer signed must then verify.
//
// Contract on every request verify accepts (check_amz_headers_signed): each header named
// x-amz-* is listed in the SignedHeaders the signature covers (the Authorization header's, or
// the X-Amz-SignedHeaders parameter of a pre-signed URL), except those the signature binds
// otherwise. And a request signed properly to which one unsigned x-amz-* header is then added
// (x-amz-copy-source, x-amz-meta-*, x-amz-tagging, ...) must be refused: otherwise anyone
// holding a signed request (a pre-signed URL above all) could change what it does.
//
// Input: the text from the front; from the back one byte for the mode (taken modulo 7), one
// for flags and eight for a number.
//   0 raw request, 1 signed request, 2 presigned request: take_request's layout (method line,
//     target line, header lines); for the signed forms the headers are extra signed headers.
//   5 signed, 6 presigned request plus an unsigned header: as 1 and 2, then after the empty
//     line one "name: value" line, the header added after signing (a name that is not
//     x-amz-*, or one bound without listing, is replaced by one of kUnsignedNames).
//   3 raw, 4 signed POST policy: "name:value" field lines, an empty line, then (signed form)
//     the policy document (JSON), which the harness base64-encodes and signs.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "auth/post_policy.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "fuzz_support.h"

namespace cv::fuzz {
namespace {

constexpr std::string_view kDocDate = "20130524T000000Z";
constexpr std::array<std::string_view, 5> kPayloadHashes = {
    "UNSIGNED-PAYLOAD", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER"};

TimePoint doc_time() { return *parse_amz_date(kDocDate); }

auth::SigningCredentials signing_credentials() {
  return auth::SigningCredentials{std::string(kAccessKey), std::string(kSecretKey)};
}

// x-amz-* headers the signature covers without their being listed in SignedHeaders. Header
// auth: x-amz-date is the string to sign's timestamp and x-amz-content-sha256 the canonical
// request's last line. Pre-signed URL: x-amz-content-sha256 is ignored (the payload is never
// verified, the canonical request says UNSIGNED-PAYLOAD); its date is the X-Amz-Date
// parameter, so an x-amz-date header must be signed like any other.
bool bound_without_listing(std::string_view name, bool presigned) {
  if (name == "x-amz-content-sha256") return true;
  return !presigned && name == "x-amz-date";
}

// The SignedHeaders list the verifier checked the signature with: the X-Amz-SignedHeaders
// parameter, or the Authorization header's SignedHeaders component (the last, as
// parse_authorization reads it). nullopt when there is none.
std::optional<std::string_view> signed_headers_of(const Request& request, bool presigned) {
  if (presigned) {
    const std::string* list = find_param(request.params, "X-Amz-SignedHeaders");
    if (!list) return std::nullopt;
    return std::string_view(*list);
  }
  const std::string* authorization = request.headers.find("authorization");
  if (!authorization) return std::nullopt;
  const std::string_view value = trim(*authorization);
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::optional<std::string_view> list;
  for (const std::string_view item : split_list(value.substr(space + 1))) {
    if (item.starts_with("SignedHeaders=")) list = trim(item.substr(14));
  }
  return list;
}

// The contract above: a request verify accepted carries no x-amz-* header outside the
// signed list (names are lowercase in Headers, and in a list the verifier accepted).
void check_amz_headers_signed(const Request& request, const auth::Identity& identity) {
  if (identity.anonymous) return;
  const auto list = signed_headers_of(request, identity.presigned);
  CV_FUZZ_CHECK(list.has_value());
  // Split exactly (no trimming, empty names kept) as the verifier compares names.
  std::vector<std::string_view> names;
  for (std::string_view rest = *list;;) {
    const size_t semicolon = rest.find(';');
    names.push_back(rest.substr(0, semicolon));
    if (semicolon == std::string_view::npos) break;
    rest.remove_prefix(semicolon + 1);
  }
  for (const auto& [name, value] : request.headers.fields()) {
    if (!name.starts_with("x-amz-") || bound_without_listing(name, identity.presigned)) continue;
    const bool listed = std::find(names.begin(), names.end(), name) != names.end();
    if (!listed) {
      std::fprintf(stderr, "accepted with the x-amz-* header '%s' not in SignedHeaders '%s'\n",
                   name.c_str(), std::string(*list).c_str());
    }
    CV_FUZZ_CHECK(listed);
  }
}

// verify, then the contract on what it accepts.
Result<auth::Identity> verify_checked(const auth::SigV4Verifier& verifier, const Request& request,
                                      const char* what) {
  auto identity = verifier.verify(request);
  trace(what, identity);
  if (identity) check_amz_headers_signed(request, *identity);
  return identity;
}

// Headers an attacker would add to a signed request to change what it does.
// (x-amz-date too: a pre-signed URL takes its date from the query, so the header must be
// signed; for header auth it is bound, and kUnsignedNames[0] is used instead.)
constexpr std::array<std::string_view, 8> kUnsignedNames = {
    "x-amz-copy-source",
    "x-amz-meta-x",
    "x-amz-tagging",
    "x-amz-acl",
    "x-amz-storage-class",
    "x-amz-server-side-encryption",
    "x-amz-website-redirect-location",
    "x-amz-date",
};

// A raw request verified at the documentation's time, or at the time the request names
// (so the fuzzer can pass the clock-skew checks with any date).
void fuzz_raw_request(std::string_view input, uint8_t flags, uint64_t number) {
  const Request request = take_request(input);
  TimePoint now = doc_time();
  if (flags & 1) {
    std::string_view date = request.headers.get("x-amz-date");
    if (const std::string* param = find_param(request.params, "X-Amz-Date")) date = *param;
    // A real clock reads a time between 1970 and 2200 (nearer the limits of TimePoint the
    // harness's own arithmetic would overflow).
    const auto when = parse_amz_date(date);
    if (when && *when >= TimePoint() && *when < TimePoint() + std::chrono::years(230)) now = *when;
    now += std::chrono::seconds(static_cast<int64_t>(number % 4096) - 2048);
  }
  OneKeyStore store;
  ManualClock clock(now);
  auth::SigV4Verifier verifier(store, clock, {});
  auto identity = verify_checked(verifier, request, "SigV4Verifier::verify");
  if (identity && !identity->anonymous) CV_FUZZ_CHECK(identity->user_id == kUserId);
}

bool is_token(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool is_reserved(std::string_view name) {
  return name == "host" || name == "x-amz-date" || name == "x-amz-content-sha256" ||
         name == "authorization";
}

// A request signed by sign_request (header) or presign_query (query) from the input's
// method, path, query parameters and extra headers. It must verify unless the input is one
// the signer cannot express (a malformed path escape, header names that are not tokens, or
// query parameters that are themselves authentication parameters). With `add_unsigned`, one
// x-amz-* header is added after signing (the input's next line after the headers) and the
// request must then be refused, expressible or not.
void fuzz_signed_request(std::string_view input, bool presigned, bool add_unsigned, uint8_t flags,
                         uint64_t number) {
  const Request source = take_request(input);
  auth::SigningRequest signing;
  signing.method = source.method;
  signing.host = std::string(source.headers.get("host", "bucket.s3.example.com"));
  signing.path = source.path;
  signing.query = source.params;
  bool expressible = percent_decode(source.path).has_value();
  for (const auto& [name, value] : source.headers.fields()) {
    if (is_reserved(name)) continue;
    signing.headers.emplace_back(name, value);
    if (!is_token(name)) expressible = false;
  }
  for (const auto& [name, value] : signing.query) {
    if (name.starts_with("X-Amz-") || name == "AWSAccessKeyId" || name == "Signature") {
      expressible = false;
    }
  }
  signing.payload_hash = std::string(kPayloadHashes[flags % kPayloadHashes.size()]);

  const TimePoint now = doc_time();
  Request request;
  request.method = signing.method;
  request.path = signing.path;
  std::string query;
  for (const auto& [name, value] : signing.query) {
    if (!query.empty()) query.push_back('&');
    query += uri_encode(name) + "=" + uri_encode(value);
  }
  // Verified a little later than signed, within the allowed skew / expiry.
  auto delay = std::chrono::seconds((number >> 32) % 600);
  if (presigned) {
    const auto expires = std::chrono::seconds(1 + number % 604800);
    delay = std::min(delay, expires - std::chrono::seconds(1));
    const std::string auth_query =
        auth::presign_query(signing, signing_credentials(), now, expires);
    // presign_query includes the request's own parameters.
    query = auth_query;
    request.headers.add("host", signing.host);
  } else {
    for (const auto& [name, value] : auth::sign_request(signing, signing_credentials(), now)) {
      request.headers.add(name, value);
    }
  }
  for (const auto& [name, value] : signing.headers) request.headers.add(name, value);
  request.query = query;
  request.target = request.path + (query.empty() ? "" : "?" + query);
  request.params = parse_query(query).value_or(QueryParams{});

  std::string added;
  if (add_unsigned) {
    Headers extra;
    take_headers(input, extra);
    std::string value;
    if (!extra.fields().empty()) std::tie(added, value) = extra.fields().front();
    if (!added.starts_with("x-amz-") || bound_without_listing(added, presigned)) {
      added = kUnsignedNames[(number >> 24 & 0xFF) % kUnsignedNames.size()];
      if (bound_without_listing(added, presigned)) added = kUnsignedNames[0];
    }
    request.headers.add(added, value);
  }

  OneKeyStore store;
  ManualClock clock(now + delay);
  auth::SigV4Verifier verifier(store, clock, {});
  if (add_unsigned) {
    auto identity = verifier.verify(request);
    trace("SigV4Verifier::verify (signed, then an unsigned header added)", identity);
    if (identity) {
      std::fprintf(stderr, "%s request accepted with the unsigned header '%s' added\n",
                   presigned ? "pre-signed" : "header-signed", added.c_str());
    }
    CV_FUZZ_CHECK(!identity.has_value());
    return;
  }
  auto identity =
      verify_checked(verifier, request, "SigV4Verifier::verify (signed by the harness)");
  if (!expressible) return;
  if (!identity) {
    std::fprintf(stderr, "signed request rejected: %s\n", identity.error().message.c_str());
  }
  CV_FUZZ_CHECK(identity.has_value());
  CV_FUZZ_CHECK(!identity->anonymous && identity->user_id == kUserId);
  CV_FUZZ_CHECK(identity->presigned == presigned);
}

auth::FormFields take_fields(std::string_view& input) {
  auth::FormFields fields;
  while (!input.empty()) {
    const std::string_view line = take_line(input);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    fields.emplace_back(std::string(line.substr(0, colon)),
                        colon == std::string_view::npos ? "" : std::string(line.substr(colon + 1)));
  }
  return fields;
}

// Fields from the input; with `sign`, the rest of the input is the policy document and the
// harness adds policy, x-amz-algorithm, -credential, -date and -signature in front.
void fuzz_post_policy(std::string_view input, bool sign, uint8_t flags) {
  auth::FormFields fields = take_fields(input);
  if (sign) {
    const std::string policy = base64_encode(input);
    const std::string key =
        auth::derive_signing_key(kSecretKey, kDocDate.substr(0, 8), "us-east-1", "s3");
    auth::FormFields front = {
        {"policy", policy},
        {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
        {"x-amz-credential", std::string(kAccessKey) + "/20130524/us-east-1/s3/aws4_request"},
        {"x-amz-date", std::string(kDocDate)},
        {"x-amz-signature", hex_encode(hmac_sha256(key, policy))},
    };
    fields.insert(fields.begin(), front.begin(), front.end());
  }
  OneKeyStore store;
  ManualClock clock(doc_time());
  // flags & 2: SigV2 forms (AWSAccessKeyId + signature) accepted too.
  auto grant = auth::verify_post_policy(fields, flags & 1 ? "bucket" : "", store, clock,
                                        "us-east-1", (flags & 2) != 0);
  trace("verify_post_policy", grant);
  if (grant) {
    CV_FUZZ_CHECK(grant->user_id == kUserId);
    if (grant->content_length_range) {
      CV_FUZZ_CHECK(grant->content_length_range->first <= grant->content_length_range->second);
    }
  }
}

void fuzz_auth(std::string_view input) {
  InputTail tail(input);
  const uint8_t mode = tail.byte();
  const uint8_t flags = tail.byte();
  const uint64_t number = tail.u64();
  switch (mode % 7) {
    case 0:
      fuzz_raw_request(input, flags, number);
      break;
    case 1:
      fuzz_signed_request(input, false, false, flags, number);
      break;
    case 2:
      fuzz_signed_request(input, true, false, flags, number);
      break;
    case 3:
      fuzz_post_policy(input, false, flags);
      break;
    case 4:
      fuzz_post_policy(input, true, flags);
      break;
    case 5:
      fuzz_signed_request(input, false, true, flags, number);
      break;
    case 6:
      fuzz_signed_request(input, true, true, flags, number);
      break;
  }
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_auth(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
