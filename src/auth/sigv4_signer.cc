// The client side of SigV4: signing key derivation, header signing and pre-signed URLs.
#include <algorithm>

#include "auth/canonical_request.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

// The headers a request signs, sorted by lowercase name, and the SignedHeaders list.
struct HeadersToSign {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string_view> names;  // unique, sorted; views into `fields`
  std::string signed_headers;           // names joined with ';'
};

bool is_reserved_header(std::string_view name) {
  return name == "host" || name == "x-amz-date" || name == "x-amz-content-sha256" ||
         name == "authorization";
}

HeadersToSign headers_to_sign(std::vector<std::pair<std::string, std::string>> fields,
                              const SigningRequest& request) {
  HeadersToSign out;
  out.fields = std::move(fields);
  for (const auto& [name, value] : request.headers) {
    std::string lower = to_lower(name);
    if (is_reserved_header(lower)) continue;
    out.fields.emplace_back(std::move(lower), value);
  }
  std::stable_sort(out.fields.begin(), out.fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, value] : out.fields) {
    if (!out.names.empty() && out.names.back() == name) continue;
    out.names.push_back(name);
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += name;
  }
  return out;
}

std::string canonical_path(std::string_view path) {
  return canonical_uri(path).value_or(std::string(path.empty() ? "/" : path));
}

}  // namespace

std::string derive_signing_key(std::string_view secret, std::string_view date,
                               std::string_view region, std::string_view service) {
  const std::string date_key = hmac_sha256("AWS4" + std::string(secret), date);
  const std::string region_key = hmac_sha256(date_key, region);
  const std::string service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, kScopeTerminator);
}

std::vector<std::pair<std::string, std::string>> sign_request(const SigningRequest& request,
                                                              const SigningCredentials& creds,
                                                              TimePoint now) {
  const std::string amz_date = format_amz_date(now);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credential_scope(date, creds.region, creds.service);
  const HeadersToSign headers = headers_to_sign({{"host", request.host},
                                                 {"x-amz-content-sha256", request.payload_hash},
                                                 {"x-amz-date", amz_date}},
                                                request);
  const std::string canonical = canonical_request(request.method, canonical_path(request.path),
                                                  canonical_query(request.query),
                                                  canonical_headers(headers.fields, headers.names),
                                                  headers.signed_headers, request.payload_hash);
  const std::string key = derive_signing_key(creds.secret_key, date, creds.region, creds.service);
  const std::string signature = signature_hex(key, string_to_sign(amz_date, scope, canonical));
  std::string authorization(kSigV4Algorithm);
  authorization += " Credential=" + creds.access_key_id + "/" + scope;
  authorization += ", SignedHeaders=" + headers.signed_headers;
  authorization += ", Signature=" + signature;
  return {{"host", request.host},
          {"x-amz-date", amz_date},
          {"x-amz-content-sha256", request.payload_hash},
          {"authorization", std::move(authorization)}};
}

std::string presign_query(const SigningRequest& request, const SigningCredentials& creds,
                          TimePoint now, std::chrono::seconds expires) {
  const std::string amz_date = format_amz_date(now);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credential_scope(date, creds.region, creds.service);
  const HeadersToSign headers = headers_to_sign({{"host", request.host}}, request);
  QueryParams params = request.query;
  params.emplace_back("X-Amz-Algorithm", kSigV4Algorithm);
  params.emplace_back("X-Amz-Credential", creds.access_key_id + "/" + scope);
  params.emplace_back("X-Amz-Date", amz_date);
  params.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  params.emplace_back("X-Amz-SignedHeaders", headers.signed_headers);
  const std::string query = canonical_query(params);
  const std::string canonical = canonical_request(
      request.method, canonical_path(request.path), query,
      canonical_headers(headers.fields, headers.names), headers.signed_headers, kUnsignedPayload);
  const std::string key = derive_signing_key(creds.secret_key, date, creds.region, creds.service);
  return query +
         "&X-Amz-Signature=" + signature_hex(key, string_to_sign(amz_date, scope, canonical));
}

}  // namespace cv::auth
