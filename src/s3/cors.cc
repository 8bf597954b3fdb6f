// Put/Get/DeleteBucketCors, the OPTIONS preflight, and CORS headers on actual requests.
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/cors_rules.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kCorsConfig = "cors";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::vector<std::string> split_header_list(std::string_view list) {
  std::vector<std::string> out;
  for (const std::string_view item : split_list(list)) out.push_back(to_lower(item));
  return out;
}

void add_cors_headers(const CorsRule& rule, std::string_view origin, Response& response) {
  const bool any_origin = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                    "*") != rule.allowed_origins.end();
  response.headers.set("access-control-allow-origin", any_origin ? "*" : std::string(origin));
  if (!any_origin) response.headers.set("access-control-allow-credentials", "true");
  response.headers.set("access-control-allow-methods", join(rule.allowed_methods));
  if (!rule.expose_headers.empty()) {
    response.headers.set("access-control-expose-headers", join(rule.expose_headers));
  }
  response.headers.set("vary",
                       "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

}  // namespace

Result<Response> put_bucket_cors(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  CV_TRY(parse_cors_configuration(body));
  CV_TRY(services.vault.put_bucket_config(call.route.bucket, kCorsConfig, body));
  return empty_response(200);
}

Result<Response> get_bucket_cors(const Services& services, Call& call) {
  const auto document = CV_TRY(services.vault.get_bucket_config(call.route.bucket, kCorsConfig));
  if (!document) return fail(ErrorCode::kNoSuchCORSConfiguration, {}, call.route.bucket);
  const auto rules = CV_TRY(parse_cors_configuration(*document));
  XmlWriter xml("CORSConfiguration");
  for (const auto& rule : rules) {
    auto node = xml.root().append_child("CORSRule");
    if (!rule.id.empty()) add_text(node, "ID", rule.id);
    for (const auto& v : rule.allowed_headers) add_text(node, "AllowedHeader", v);
    for (const auto& v : rule.allowed_methods) add_text(node, "AllowedMethod", v);
    for (const auto& v : rule.allowed_origins) add_text(node, "AllowedOrigin", v);
    for (const auto& v : rule.expose_headers) add_text(node, "ExposeHeader", v);
    if (rule.max_age_seconds)
      add_text(node, "MaxAgeSeconds", std::to_string(*rule.max_age_seconds));
  }
  return xml_response(xml.str());
}

Result<Response> delete_bucket_cors(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_bucket_config(call.route.bucket, kCorsConfig));
  return empty_response(204);
}

Result<Response> preflight(const Services& services, Call& call) {
  const std::string* origin = call.request.headers.find("origin");
  const std::string* method = call.request.headers.find("access-control-request-method");
  if (!origin || !method) {
    return fail(ErrorCode::kBadRequest, "Insufficient information. Origin request header needed.");
  }
  if (call.route.bucket.empty()) return fail(ErrorCode::kCORSForbidden);
  const auto state = route_bucket_state(services, call);
  const std::string* document = state ? (*state)->document(kCorsConfig) : nullptr;
  if (!document) {
    return fail(ErrorCode::kCORSForbidden, "CORSResponse: CORS is not enabled for this bucket.");
  }
  const auto rules = CV_TRY(parse_cors_configuration(*document));
  const auto requested =
      split_header_list(call.request.headers.get("access-control-request-headers"));
  const CorsRule* rule = match_cors_rule(rules, *origin, *method, requested);
  if (!rule) return fail(ErrorCode::kCORSForbidden);
  Response response = empty_response(200);
  add_cors_headers(*rule, *origin, response);
  if (!requested.empty()) response.headers.set("access-control-allow-headers", join(requested));
  if (rule->max_age_seconds) {
    response.headers.set("access-control-max-age", std::to_string(*rule->max_age_seconds));
  }
  return response;
}

void apply_cors(const Services& services, Call& call, Response& response) {
  const std::string* origin = call.request.headers.find("origin");
  if (!origin) return;
  const auto state = route_bucket_state(services, call);
  const std::string* document = state ? (*state)->document(kCorsConfig) : nullptr;
  if (!document) return;
  auto rules = parse_cors_configuration(*document);
  if (!rules) return;
  if (const CorsRule* rule = match_cors_rule(*rules, *origin, call.request.method, {})) {
    add_cors_headers(*rule, *origin, response);
  }
}

}  // namespace cv::s3
