#include "s3/cors_rules.h"

#include <algorithm>
#include <charconv>

#include "core/encoding.h"
#include "s3/xml.h"

namespace cv::s3 {

bool wildcard_match(std::string_view pattern, std::string_view text) {
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == text;
  const std::string_view head = pattern.substr(0, star);
  const std::string_view tail = pattern.substr(star + 1);
  return text.size() >= head.size() + tail.size() && text.starts_with(head) &&
         text.ends_with(tail) && wildcard_match(tail, text.substr(text.size() - tail.size()));
}

Result<std::vector<CorsRule>> parse_cors_configuration(std::string_view xml) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, xml, "CORSConfiguration"));
  std::vector<CorsRule> rules;
  for (auto node : root.children()) {
    if (local_name(node) != "CORSRule") continue;
    CorsRule rule;
    for (auto field : node.children()) {
      const std::string_view name = local_name(field);
      const std::string value = field.text().get();
      if (name == "ID") {
        rule.id = value;
      } else if (name == "AllowedOrigin") {
        if (std::count(value.begin(), value.end(), '*') > 1) {
          return fail(ErrorCode::kInvalidRequest,
                      "AllowedOrigin \"" + value + "\" can not have more than one wildcard.");
        }
        rule.allowed_origins.push_back(value);
      } else if (name == "AllowedMethod") {
        static constexpr std::string_view kMethods[] = {"GET", "PUT", "POST", "DELETE", "HEAD"};
        if (std::find(std::begin(kMethods), std::end(kMethods), value) == std::end(kMethods)) {
          return fail(
              ErrorCode::kInvalidRequest,
              "Found unsupported HTTP method in CORS config. Unsupported method is " + value);
        }
        rule.allowed_methods.push_back(value);
      } else if (name == "AllowedHeader") {
        if (std::count(value.begin(), value.end(), '*') > 1) {
          return fail(ErrorCode::kInvalidRequest,
                      "AllowedHeader \"" + value + "\" can not have more than one wildcard.");
        }
        rule.allowed_headers.push_back(to_lower(value));
      } else if (name == "ExposeHeader") {
        rule.expose_headers.push_back(value);
      } else if (name == "MaxAgeSeconds") {
        int seconds = 0;
        if (std::from_chars(value.data(), value.data() + value.size(), seconds).ptr !=
            value.data() + value.size()) {
          return fail(ErrorCode::kMalformedXML);
        }
        rule.max_age_seconds = seconds;
      }
    }
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) {
      return fail(ErrorCode::kMalformedXML);
    }
    rules.push_back(std::move(rule));
  }
  if (rules.empty() || rules.size() > 100) return fail(ErrorCode::kMalformedXML);
  return rules;
}

const CorsRule* match_cors_rule(const std::vector<CorsRule>& rules, std::string_view origin,
                                std::string_view method,
                                const std::vector<std::string>& request_headers) {
  for (const auto& rule : rules) {
    const bool origin_ok = std::any_of(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                       [&](const auto& p) { return wildcard_match(p, origin); });
    const bool method_ok = std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(),
                                     method) != rule.allowed_methods.end();
    const bool headers_ok =
        std::all_of(request_headers.begin(), request_headers.end(), [&](const std::string& header) {
          return std::any_of(rule.allowed_headers.begin(), rule.allowed_headers.end(),
                             [&](const auto& p) { return wildcard_match(p, header); });
        });
    if (origin_ok && method_ok && headers_ok) return &rule;
  }
  return nullptr;
}

}  // namespace cv::s3
