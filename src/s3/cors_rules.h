// Bucket CORS configuration: parsing S3's <CORSConfiguration> and matching requests to rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::s3 {

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // may contain one '*' wildcard each
  std::vector<std::string> allowed_methods;  // GET, PUT, POST, DELETE, HEAD
  std::vector<std::string> allowed_headers;  // lowercase; may contain '*'
  std::vector<std::string> expose_headers;
  std::optional<int> max_age_seconds;
};

// Parses and validates a configuration document (MalformedXML, InvalidRequest).
Result<std::vector<CorsRule>> parse_cors_configuration(std::string_view xml);

// The first rule allowing `origin` to use `method` with `request_headers` (lowercase).
const CorsRule* match_cors_rule(const std::vector<CorsRule>& rules, std::string_view origin,
                                std::string_view method,
                                const std::vector<std::string>& request_headers);

// Glob match with '*' matching any run of characters (S3 allows one per pattern).
bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace cv::s3
