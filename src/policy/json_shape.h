// The JSON checks that come before building a tree: syntax, and no key repeated within one
// object (Boost.JSON would silently keep one of them; AWS refuses the document).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::policy {

// kMalformedPolicy "Duplicate key in policy: X" for a repeated key, or `syntax_message`
// (with the parser's reason) for invalid JSON.
Status check_json_shape(std::string_view json, std::string_view syntax_message);

}  // namespace cv::policy
