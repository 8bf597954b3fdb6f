// The one place an Error becomes an S3 error response: status from the code table, the
// <Error> document of core/error_document.h (no body for HEAD and 304), and the request id.
#pragma once

#include "core/error.h"
#include "core/http_message.h"

namespace cv::s3 {

Response error_response(const Error& error, const Request& request);

}  // namespace cv::s3
