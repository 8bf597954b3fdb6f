// The pieces of SigV4's canonical request and string to sign, shared by the verifier and the
// signer. Internal to the auth layer. Pure functions, thread-safe.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http_message.h"

namespace cv::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
inline constexpr std::string_view kS3Service = "s3";

// The canonical URI of a raw (percent-encoded) path: every '/'-separated segment is
// percent-decoded and re-encoded with uri_encode, so "%7e", "~" and "%7E" agree and an
// encoded "%2F" stays encoded. An empty path is "/". nullopt on a malformed escape.
std::optional<std::string> canonical_uri(std::string_view raw_path);

// The canonical query string of a raw query: each name and value percent-decoded ('+' as a
// space only with plus_as_space) and uri_encode'd, sorted by name then value, joined with
// '&'. A parameter whose decoded name is `skip_name` is left out (X-Amz-Signature).
// nullopt on a malformed escape.
std::optional<std::string> canonical_query_from_raw(std::string_view raw_query,
                                                    std::string_view skip_name, bool plus_as_space);

// The canonical query string of decoded parameters (the signer's side).
std::string canonical_query(const QueryParams& params);

// "name:value\n" for each of `signed_names` (lowercase, in the given order) taking the
// values of `fields` with that name, each trimmed and inner spaces collapsed, several joined
// with ','. A name without a field gives "name:\n".
std::string canonical_headers(const std::vector<std::pair<std::string, std::string>>& fields,
                              const std::vector<std::string_view>& signed_names);

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers,
                              std::string_view payload_hash);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>"
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// Lowercase hex HMAC-SHA256 of `string_to_sign` under the raw signing key.
std::string signature_hex(std::string_view signing_key, std::string_view string_to_sign);

// "20130524/us-east-1/s3/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service);

// The parts of "AKID/20130524/us-east-1/s3/aws4_request" (X-Amz-Credential).
struct CredentialScope {
  std::string access_key_id;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;
  std::string scope() const;  // everything after the access key id
};

// Splits a credential; the access key id is everything before the last four '/'-parts.
// nullopt when there are fewer parts, an empty one, or a date that is not 8 digits.
std::optional<CredentialScope> parse_credential(std::string_view text);

}  // namespace cv::auth
