#include "auth/canonical_request.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/hash.h"
#include "core/http_message.h"

namespace cv::auth {

std::optional<std::string> canonical_uri(std::string_view raw_path) {
  if (raw_path.empty()) return std::string("/");
  std::string out;
  out.reserve(raw_path.size() + raw_path.size() / 4);
  while (true) {
    const size_t slash = raw_path.find('/');
    auto segment = percent_decode(raw_path.substr(0, slash));
    if (!segment) return std::nullopt;
    out += uri_encode(*segment);
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    raw_path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::string> canonical_query_from_raw(std::string_view raw_query,
                                                    std::string_view skip_name,
                                                    bool plus_as_space) {
  auto params = parse_query(raw_query, plus_as_space);
  if (!params) return std::nullopt;
  // An empty skip_name skips nothing: "=v" (a parameter with an empty name) is signed too.
  if (!skip_name.empty()) {
    std::erase_if(*params, [&](const auto& param) { return param.first == skip_name; });
  }
  return canonical_query(*params);
}

std::string canonical_query(const QueryParams& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params)
    encoded.emplace_back(uri_encode(name), uri_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string canonical_headers(const std::vector<std::pair<std::string, std::string>>& fields,
                              const std::vector<std::string_view>& signed_names) {
  std::string out;
  for (std::string_view name : signed_names) {
    out += name;
    out.push_back(':');
    bool first = true;
    for (const auto& [field_name, value] : fields) {
      if (field_name != name) continue;
      if (!first) out.push_back(',');
      out += trim_and_collapse(value);
      first = false;
    }
    out.push_back('\n');
  }
  return out;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers,
                              std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.size() + signed_headers.size() +
              payload_hash.size() + 5);
  out += method;
  out.push_back('\n');
  out += uri;
  out.push_back('\n');
  out += query;
  out.push_back('\n');
  out += headers;
  out.push_back('\n');
  out += signed_headers;
  out.push_back('\n');
  out += payload_hash;
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out.push_back('\n');
  out += amz_date;
  out.push_back('\n');
  out += scope;
  out.push_back('\n');
  out += hex_encode(sha256(canonical_request));
  return out;
}

std::string signature_hex(std::string_view signing_key, std::string_view string_to_sign) {
  return hex_encode(hmac_sha256(signing_key, string_to_sign));
}

std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string out(date);
  out.push_back('/');
  out += region;
  out.push_back('/');
  out += service;
  out.push_back('/');
  out += kScopeTerminator;
  return out;
}

std::string CredentialScope::scope() const {
  return date + '/' + region + '/' + service + '/' + terminator;
}

std::optional<CredentialScope> parse_credential(std::string_view text) {
  std::string_view parts[4];
  for (int i = 3; i >= 0; --i) {
    const size_t slash = text.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(slash + 1);
    text = text.substr(0, slash);
    if (parts[i].empty()) return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  if (parts[0].size() != 8 ||
      !std::all_of(parts[0].begin(), parts[0].end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return CredentialScope{std::string(text), std::string(parts[0]), std::string(parts[1]),
                         std::string(parts[2]), std::string(parts[3])};
}

}  // namespace cv::auth
