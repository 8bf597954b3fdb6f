// Fuzzes request authentication: SigV4Verifier::verify (src/auth/sigv4.h) on requests whose
// Authorization header, query, x-amz-date and x-amz-content-sha256 come from the input, and
// verify_post_policy (src/auth/post_policy.h) on form fields from the input. Besides raw
// inputs, requests and policies are also signed properly by the harness so the fuzzer gets
// past the signature check; a request the signer signed must then verify.
//
// Input: the text from the front; from the back one byte for the mode, one for flags and
// eight for a number.
//   raw request / signed request / presigned request: take_request's layout (method line,
//     target line, header lines); for the signed forms the headers are extra signed headers.
//   raw / signed POST policy: "name:value" field lines, an empty line, then (signed form) the
//     policy document (JSON), which the harness base64-encodes and signs.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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
  auto identity = verifier.verify(request);
  trace("SigV4Verifier::verify", identity);
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
// query parameters that are themselves authentication parameters).
void fuzz_signed_request(std::string_view input, bool presigned, uint8_t flags, uint64_t number) {
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

  OneKeyStore store;
  ManualClock clock(now + delay);
  auth::SigV4Verifier verifier(store, clock, {});
  auto identity = verifier.verify(request);
  trace("SigV4Verifier::verify (signed by the harness)", identity);
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
  auto grant =
      auth::verify_post_policy(fields, flags & 1 ? "bucket" : "", store, clock, "us-east-1");
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
  switch (mode % 5) {
    case 0:
      fuzz_raw_request(input, flags, number);
      break;
    case 1:
      fuzz_signed_request(input, false, flags, number);
      break;
    case 2:
      fuzz_signed_request(input, true, flags, number);
      break;
    case 3:
      fuzz_post_policy(input, false, flags);
      break;
    case 4:
      fuzz_post_policy(input, true, flags);
      break;
  }
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_auth(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
